"""Contract testing for Pega Call OpenCTI (telephony) connectors.

Importing the package is cheap: names load on first use, so the pytest plugin and the
CLI pay only for what they touch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Contract": "contract",
    "load_contract": "contract",
    "Violation": "violations",
    "ContractViolationError": "violations",
    "ContractUsageError": "violations",
    "validate_event": "assertions",
    "validate_snapshot": "assertions",
    "assert_valid_event": "assertions",
    "assert_valid_snapshot": "assertions",
    "check_stream": "lifecycle",
    "RULES": "rules",
    "EventFactory": "factories",
    "assert_producer_honours_contract": "producer",
    "InvalidCase": "mutations",
    "EventRecorder": "recorder",
    "ContractCoverage": "coverage",
    "JsConnector": "js",
    "OpenCTIFailure": "js",
    "JsTimeoutError": "js",
}

__all__ = [
    "RULES",
    "Contract",
    "ContractCoverage",
    "ContractUsageError",
    "ContractViolationError",
    "EventFactory",
    "EventRecorder",
    "InvalidCase",
    "JsConnector",
    "JsTimeoutError",
    "OpenCTIFailure",
    "Violation",
    "__version__",
    "assert_producer_honours_contract",
    "assert_valid_event",
    "assert_valid_snapshot",
    "check_stream",
    "load_contract",
    "validate_event",
    "validate_snapshot",
]

if TYPE_CHECKING:
    from .assertions import assert_valid_event, assert_valid_snapshot, validate_event, validate_snapshot
    from .contract import Contract, load_contract
    from .coverage import ContractCoverage
    from .js import JsConnector, JsTimeoutError, OpenCTIFailure
    from .lifecycle import check_stream
    from .mutations import InvalidCase
    from .producer import assert_producer_honours_contract
    from .recorder import EventRecorder
    from .rules import RULES
    from .violations import ContractUsageError, ContractViolationError, Violation


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        if name in {"strategies", "factories", "scenarios", "recorder", "coverage", "reader", "lifecycle", "rules", "cli"}:
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
