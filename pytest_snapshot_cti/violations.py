"""What a contract check reports, and how it reads to a person.

Kept free of heavy imports: the plugin, the CLI and the assertion helpers all format
violations, and none of them should pay for jsonschema to do it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

#: Names used in messages for each ``pyEventType`` / kind.
KIND_LABELS: Mapping[str, str] = {
    "snapshot": "Snapshot event",
    "agent": "AgentStateEvent",
    "call": "CallStateEvent",
    "party": "PartyInfoEvent",
    "unknown": "Event",
}


@dataclass(frozen=True)
class Violation:
    """One way an event (or a stream of events) breaks the contract.

    ``rule`` is ``schema.<keyword>``, ``json.<problem>``, or a semantic rule id
    (``S1``..``S5``, ``C1``..``C7``, ``L1``..``L5``). ``path`` is a JSON path into the
    event (``$`` for the event itself); ``location`` says where the event came from
    (``captures/login.jsonl:12``, ``event #3``) when it came from a file or a stream.
    """

    rule: str
    severity: Severity
    path: str
    message: str
    hint: str | None = None
    location: str | None = None

    @classmethod
    def made(cls, rule: str, severity: Severity, path: str, message: str, hint: str | None, location: str | None) -> Violation:
        """``Violation(...)`` at half the cost of the frozen dataclass's ``__init__`` (six guarded assignments).

        For the stream rules, which may find hundreds of thousands in a day of one agent's traffic.
        The same object in every respect (fields, equality, hash, repr).
        """
        made = object.__new__(cls)
        made.__dict__.update(rule=rule, severity=severity, path=path, message=message, hint=hint, location=location)
        return made

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def at(self, location: str | None) -> Violation:
        """The same violation, located (keeps an existing location as a prefix)."""
        if location is None or location == self.location:
            return self
        if self.location:
            location = f"{location} {self.location}"
        return Violation(self.rule, self.severity, self.path, self.message, self.hint, location)

    def with_severity(self, severity: Severity) -> Violation:
        return Violation(self.rule, severity, self.path, self.message, self.hint, self.location)

    def format(self, *, with_location: bool = True, with_rule: bool = True) -> str:
        """``<location> <path>: <message> (<hint>) [<rule>]`` — check-jsonschema's shape."""
        text = f"{self.path}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if with_rule:
            text += f" [{self.rule}]"
        if with_location and self.location:
            text = f"{self.location} {text}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
            "location": self.location,
        }

    def __str__(self) -> str:
        return self.format()


def quoted(value: Any) -> str:
    """``repr(value)`` for a message, also when it holds an integer too long to print.

    Python refuses to write integers of more than 4,300 digits (``sys.set_int_max_str_digits``);
    an event may still carry one, and a message must never raise.
    """
    try:
        return repr(value)
    except ValueError:
        return _quoted_parts(value)


def _quoted_parts(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return repr(value)
        except ValueError:
            return f"<an integer of about {int(value.bit_length() * 0.30103) + 1:,} digits>"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_quoted_parts(k)}: {_quoted_parts(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_quoted_parts(item) for item in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_quoted_parts(item) for item in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def json_path(parts: Iterable[str | int]) -> str:
    """``['pyLines', 0, 'pyLineState']`` -> ``$.pyLines[0].pyLineState``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out


def errors_of(violations: Iterable[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity == "error"]


def warnings_of(violations: Iterable[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity == "warning"]


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``, ``1,204,311 events``: every count the toolkit prints."""
    return f"{count:,} {word}" + ("" if count == 1 else "s")


_EVENT_LOCATION = re.compile(r"event #(?P<index>\d+) \((?P<label>[^()]*)\)")
_LINE_LOCATION = re.compile(r"(?P<path>.+):(?P<line>\d+)")


def fold_locations(locations: Sequence[str | None]) -> str | None:
    """Where one identical finding was made, in one phrase, first-seen order kept.

    ``event #2 (CallStateEvent)``, ``event #3 (CallStateEvent)`` -> ``events #2, #3 (CallStateEvent)``;
    ``login.jsonl:2``, ``login.jsonl:5`` -> ``login.jsonl:2, 5``; anything else is listed as it is.
    """
    unique = list(dict.fromkeys(location for location in locations if location))
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    events = [_EVENT_LOCATION.fullmatch(location) for location in unique]
    if all(events):
        groups: dict[str, list[str]] = {}
        for match in events:
            assert match is not None
            groups.setdefault(match["label"], []).append(f"#{match['index']}")
        parts = [f"{'events' if len(indexes) > 1 else 'event'} {_listed(indexes)} ({label})" for label, indexes in groups.items()]
        return ", ".join(parts)
    lines = [_LINE_LOCATION.fullmatch(location) for location in unique]
    if all(lines) and len({match["path"] for match in lines if match}) == 1:
        first = lines[0]
        assert first is not None
        return f"{first['path']}:{_listed([match['line'] for match in lines if match])}"
    return _listed(unique)


#: Places named in one folded line; the rest are counted.
FOLDED_SHOWN = 10


def _listed(items: Sequence[str]) -> str:
    """``#1, #2, #3`` or, past :data:`FOLDED_SHOWN`, ``#1, … #10 and 15 more``."""
    if len(items) <= FOLDED_SHOWN:
        return ", ".join(items)
    return f"{', '.join(items[:FOLDED_SHOWN])} and {len(items) - FOLDED_SHOWN:,} more"


def fold(violations: Sequence[Violation]) -> list[tuple[Violation, int]]:
    """Identical findings (rule, severity, path, message, hint) made at several places as one, located at all of them.

    Returns ``(violation, count)`` pairs in first-seen order; the violation's location is the folded phrase.
    """
    groups: dict[tuple[str, Severity, str, str, str | None], list[Violation]] = {}
    for violation in violations:
        key = (violation.rule, violation.severity, violation.path, violation.message, violation.hint)
        groups.setdefault(key, []).append(violation)
    folded: list[tuple[Violation, int]] = []
    for (rule, severity, path, message, hint), members in groups.items():
        where = fold_locations([member.location for member in members])
        folded.append((Violation(rule, severity, path, message, hint, where), len(members)))
    return folded


def format_report(
    violations: Sequence[Violation],
    *,
    subject: str,
    profile: str,
    limit: int | None = None,
    notes: Sequence[str] = (),
) -> str:
    """The full, multi-line message used by assertions, the recorder and capture items.

    Errors come first, then warnings; every line carries path, message, hint and rule
    id, so the text is complete even under ``--assert=plain``. Identical findings on several
    events read as one line (``events #2, #3, #5 (CallStateEvent) $.pyCallId: …``); ``notes``
    (a likely cause) come right after the head line. The head counts every finding.
    """
    errors = errors_of(violations)
    warnings = warnings_of(violations)
    counts = [plural(len(errors), "error")] if errors else []
    if warnings:
        counts.append(plural(len(warnings), "warning"))
    head = f"{subject} violates the Pega OpenCTI contract (profile: {profile}) — {', '.join(counts) or 'no findings'}:"
    ordered = [violation for violation, _ in fold(errors + warnings)]
    shown = ordered if limit is None else ordered[:limit]
    lines = [head, *(f"  {note}" for note in notes)]
    for violation in shown:
        marker = "" if violation.severity == "error" else "warning: "
        lines.append(f"  {marker}{violation.format()}")
    if len(shown) < len(ordered):
        lines.append(f"  … and {len(ordered) - len(shown)} more (showing the first {len(shown)})")
    return "\n".join(lines)


class ContractViolationError(AssertionError):
    """Raised by the assertion helpers; carries the violations for programmatic use."""

    def __init__(self, message: str, violations: Sequence[Violation] = ()) -> None:
        super().__init__(message)
        self.violations: tuple[Violation, ...] = tuple(violations)


class ContractUsageError(ValueError):
    """A bad configuration value (unknown profile, rule id, contracts directory…)."""
