"""What a contract check reports, and how it reads to a person.

Kept free of heavy imports: the plugin, the CLI and the assertion helpers all format
violations, and none of them should pay for jsonschema to do it.
"""

from __future__ import annotations

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


def format_report(
    violations: Sequence[Violation],
    *,
    subject: str,
    profile: str,
    limit: int | None = None,
) -> str:
    """The full, multi-line message used by assertions, the recorder and capture items.

    Errors come first, then warnings; every line carries path, message, hint and rule
    id, so the text is complete even under ``--assert=plain``.
    """
    errors = errors_of(violations)
    warnings = warnings_of(violations)
    counts = [plural(len(errors), "error")] if errors else []
    if warnings:
        counts.append(plural(len(warnings), "warning"))
    head = f"{subject} violates the Pega OpenCTI contract (profile: {profile}) — {', '.join(counts) or 'no findings'}:"
    ordered = errors + warnings
    shown = ordered if limit is None else ordered[:limit]
    lines = [head]
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
