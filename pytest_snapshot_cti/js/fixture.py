"""The body of the ``cti_js_connector`` fixture (plugin.py registers it and imports this lazily)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any

import pytest

from .connector import DEFAULT_TIMEOUT, JsConnector, PathLike
from .errors import JsError, JsLoadError, JsTimeoutError, NodeNotFoundError
from .node import REQUIRE_VARIABLE, find_node, node_required

if TYPE_CHECKING:
    from ..recorder import EventRecorder
    from .bridge import JsHost

ConnectorFactory = Callable[..., JsConnector]


def js_connector_factory(request: pytest.FixtureRequest, recorder: EventRecorder) -> Generator[ConnectorFactory, None, None]:
    """A factory of :class:`JsConnector` forwarding to ``recorder``; one Node process per test, stopped at its end."""
    try:
        node = find_node()
    except NodeNotFoundError as err:
        reason = str(err)
        if node_required():
            pytest.fail(f"{REQUIRE_VARIABLE}=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    hosts: list[JsHost] = []

    def make(
        files: PathLike | Sequence[PathLike],
        *,
        implementation: str | None = None,
        stubs: PathLike | Sequence[PathLike] = (),
        timeout: float = DEFAULT_TIMEOUT,
        seed: int = 0,
    ) -> JsConnector:
        """``cti_js_connector("src/acme_cti.js", implementation="pega.cti.desktopApi.acme", stubs=["tests/fake_acd.js"])``.

        Relative paths are read from the rootdir. A file that does not load fails the test
        with one line (``src/acme_cti.js:12:5: SyntaxError: …``).
        """
        __tracebackhide__ = True
        from .bridge import JsHost

        if not hosts or not hosts[-1].alive:
            hosts.append(JsHost(node))
        message: Any = None
        try:
            return JsConnector(
                files,
                implementation=implementation,
                stubs=stubs,
                forward_event=recorder,
                timeout=timeout,
                base_dir=request.config.rootpath,
                host=hosts[-1],
                seed=seed,
            )
        except (JsLoadError, JsError, JsTimeoutError) as err:
            message = str(err)
        pytest.fail(message, pytrace=False)

    try:
        yield make
    finally:
        for host in hosts:
            host.close()
