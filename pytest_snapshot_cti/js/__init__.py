"""Drive a JavaScript OpenCTI connector from Python: a Node host (``host.js``) and :class:`JsConnector`.

In pytest, use the ``cti_js_connector`` fixture (it forwards to the test's ``cti_recorder``
and skips, or fails under ``CTI_REQUIRE_NODE=1``, when Node.js 18+ is missing).
"""

from __future__ import annotations

from .bridge import JsHost, host_script
from .connector import DEFAULT_TIMEOUT, ConsoleMessage, JsConnector
from .errors import JsError, JsHostError, JsLoadError, JsTimeoutError, NodeNotFoundError, OpenCTIFailure
from .node import find_node

__all__ = [
    "DEFAULT_TIMEOUT",
    "ConsoleMessage",
    "JsConnector",
    "JsError",
    "JsHost",
    "JsHostError",
    "JsLoadError",
    "JsTimeoutError",
    "NodeNotFoundError",
    "OpenCTIFailure",
    "find_node",
    "host_script",
]
