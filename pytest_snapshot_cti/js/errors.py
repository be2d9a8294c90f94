"""What driving a JavaScript connector can raise, each saying where in the team's code it happened."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class OpenCTIFailure(Exception):
    """The connector called ``failure(error)``: ``err_code`` and ``err_message`` are what it sent.

    Each is ``None`` when the error object lacks it (or is no object at all); a malformed
    object is also reported at the end of the test (rules F1–F3), even when the test
    catches this exception. ``error`` is the object as JSON carried it.
    """

    def __init__(self, function: str, err_code: Any, err_message: Any, error: Any = None, *, malformed: str | None = None) -> None:
        self.function = function
        self.err_code = err_code
        self.err_message = err_message
        self.error = error
        if malformed is None:
            text = f"{function}() failed: {err_code}: {err_message}"
        else:
            text = f"{function}() failed with a malformed error object: {malformed} (errCode {err_code!r}, errMessage {err_message!r})"
        super().__init__(text)

    # The names OpenCTI uses, for tests that read like the JavaScript they drive.
    @property
    def errCode(self) -> Any:
        return self.err_code

    @property
    def errMessage(self) -> Any:
        return self.err_message


class JsError(Exception):
    """An exception thrown in the connector (or its stubs) and not caught there, with its JavaScript stack.

    ``name`` and ``message`` are the JavaScript error's; ``stack`` keeps only the frames in
    the team's files; ``where`` is the first of them (``src/acme_cti.js:42:7``).
    """

    def __init__(
        self, context: str, name: str, message: str, stack: str = "", where: str | None = None, *, more: Sequence[JsError] = ()
    ) -> None:
        self.context = context
        self.name = name
        self.js_message = message
        self.stack = stack
        self.where = where
        self.more = tuple(more)
        lines = [f"{context}: {name}: {message}" if name else f"{context}: {message}"]
        lines.extend(f"    {frame}" for frame in stack.splitlines())
        for other in self.more:
            lines.append(f"and {other}")
        super().__init__("\n".join(lines))

    @classmethod
    def from_host(cls, context: str, data: Mapping[str, Any], *, more: Sequence[JsError] = ()) -> JsError:
        return cls(
            context, str(data.get("name", "")), str(data.get("message", "")), str(data.get("stack") or ""), data.get("where"), more=more
        )


class JsLoadError(Exception):
    """The connector could not be set up: a file missing or unparsable, or no implementation to construct.

    Its text is one line (``src/acme_cti.js:12:5: SyntaxError: Unexpected token '}'``).
    """


class JsTimeoutError(TimeoutError):
    """Neither ``success`` nor ``failure`` came in time, or the connector's code did not return (an endless loop)."""


class JsHostError(RuntimeError):
    """The Node host itself went away or misbehaved (not the connector's fault)."""


class NodeNotFoundError(RuntimeError):
    """No usable Node.js (18 or newer) was found; the text says why and how to point at one."""
