"""The error object an OpenCTI ``failure`` callback receives: ``{errCode, errMessage}``, both strings.

Pega Call maps ``errCode`` to a message rule and shows ``errMessage`` when it has no
translation, so a missing or non-string field (or no object at all) is an error; a code
outside Pega's documented defaults is only a warning, because CTI servers have codes of
their own. The documented codes and their provenance live in ``error_codes.json``.
Rules: F1 (an object), F2 (errCode), F3 (errMessage), F4 (a documented code), F5 (one answer).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .violations import Severity, Violation

CALL_HINT = "call failure({errCode: 'OPENCTI_…', errMessage: '…'}): Pega Call maps errCode to a message and shows errMessage"


@dataclass(frozen=True)
class Field:
    """One field of the error object as the callback saw it (``kind`` is JavaScript's ``typeof``, or ``null``/``array``)."""

    present: bool
    kind: str
    value: Any = None
    text: str = ""


@dataclass(frozen=True)
class ErrorObject:
    """What ``failure`` received, in terms both runtimes share.

    ``kind`` is ``none`` (no argument), ``undefined``, ``null``, ``string``, ``number``,
    ``boolean``, ``array``, ``object`` or ``function``; ``text`` shows the value as the
    connector's language writes it.
    """

    kind: str
    text: str
    err_code: Field | None = None
    err_message: Field | None = None

    @property
    def code(self) -> str | None:
        field = self.err_code
        return field.value if field is not None and field.kind == "string" else None

    @property
    def message(self) -> str | None:
        field = self.err_message
        return field.value if field is not None and field.kind == "string" else None


@cache
def documented_codes() -> Mapping[str, str]:
    """Pega Call's default error codes and their default messages (see ``error_codes.json``)."""
    data = json.loads((resources.files("pytest_snapshot_cti") / "error_codes.json").read_text(encoding="utf-8"))
    return dict(data["codes"])


@cache
def _truncated_prefixes() -> tuple[str, ...]:
    data = json.loads((resources.files("pytest_snapshot_cti") / "error_codes.json").read_text(encoding="utf-8"))
    return tuple(data.get("truncated_after", ()))


def is_documented_code(code: str) -> bool:
    return code in documented_codes() or code.startswith(_truncated_prefixes())


def from_python(error: Any, *, given: bool = True) -> ErrorObject:
    """Describe a Python connector's failure argument (``given=False``: called with nothing)."""
    if not given:
        return ErrorObject("none", "")
    kind = _python_kind(error)
    if kind != "object":
        return ErrorObject(kind, repr(error))
    return ErrorObject(kind, repr(error), _python_field(error, "errCode"), _python_field(error, "errMessage"))


def _python_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping) or hasattr(value, "__dict__"):
        return "object"
    return "function" if callable(value) else type(value).__name__


def _python_field(error: Any, name: str) -> Field:
    if isinstance(error, Mapping):
        present = name in error
        value = error.get(name)
    else:
        present = hasattr(error, name)
        value = getattr(error, name, None)
    if not present:
        return Field(False, "undefined", None, "undefined")
    kind = _python_kind(value)
    return Field(True, kind, value if kind in ("string", "number", "boolean", "null") else None, repr(value))


def from_host(description: Mapping[str, Any]) -> ErrorObject:
    """The Node host's description of what ``failure`` received (see ``describeFailure`` in host.js)."""

    def field(data: Any) -> Field | None:
        if not isinstance(data, Mapping):
            return None
        return Field(bool(data.get("present")), str(data.get("type")), data.get("value"), str(data.get("text", "")))

    return ErrorObject(
        str(description.get("kind")),
        str(description.get("text", "")),
        field(description.get("errCode")),
        field(description.get("errMessage")),
    )


_ARTICLES = {"none": "no argument", "undefined": "undefined", "null": "null"}


def _shown(error: ErrorObject) -> str:
    if error.kind in _ARTICLES:
        return _ARTICLES[error.kind]
    article = "an" if error.kind[0] in "aeiou" else "a"
    return f"{article} {error.kind} ({error.text})" if error.text else f"{article} {error.kind}"


def check_error_object(error: ErrorObject, *, location: str | None = None) -> list[Violation]:
    """F1–F4 findings for one ``failure`` argument (published severities; the recorder applies the profile)."""
    found: list[Violation] = []

    def report(rule: str, severity: Severity, path: str, message: str, hint: str | None) -> None:
        found.append(Violation(rule, severity, path, message, hint, location))

    if error.kind not in ("object", "function"):
        report("F1", "error", "$", f"failure was called with {_shown(error)} instead of an error object {{errCode, errMessage}}", CALL_HINT)
        return found
    for name, field, rule, why in (
        ("errCode", error.err_code, "F2", "Pega Call maps errCode (e.g. 'OPENCTI_CF_INVALID_OBJECT_STATE') to a message rule"),
        ("errMessage", error.err_message, "F3", "Pega Call shows errMessage when it has no translation for errCode"),
    ):
        if field is None or not field.present or field.kind == "undefined":
            report(rule, "error", f"$.{name}", f"the error object has no {name}", why)
        elif field.kind != "string":
            report(rule, "error", f"$.{name}", f"{name} is {field.text} (a {field.kind}), not a string", f"send it as a string: {why}")
    code = error.code
    if code is not None and not is_documented_code(code):
        near = difflib.get_close_matches(code.upper(), documented_codes(), n=1, cutoff=0.8)
        hint = f"did you mean {near[0]!r}?" if near else "vendor codes are allowed: map this one to a message rule in Pega Call"
        report("F4", "warning", "$.errCode", f"errCode {code!r} is not one of Pega Call's documented default error codes", hint)
    return found


def answered_twice(function: str, first: str | None, again: str, *, location: str | None = None) -> Violation:
    """F5: a request's callbacks were called more than once (or after the request timed out)."""
    if first is None:
        message = f"{function}() called {again} after the request had timed out"
    else:
        message = f"{function}() answered twice: {first}, then {again}"
    return Violation("F5", "warning", "$", message, "call success or failure once per request", location)
