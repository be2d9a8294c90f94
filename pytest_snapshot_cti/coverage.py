"""What a run exercised: events checked by type, findings by rule, and enum-value coverage.

The enum fields come from the contract's own schemas (never a hand-written list), so a
newer contract directory brings its own vocabulary. Everything serialises to plain
JSON-able dicts: pytest-xdist workers ship :meth:`ContractCoverage.to_dict` to the
controller, which :meth:`~ContractCoverage.merge`\\ s them; the result equals a serial run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Union

from .violations import plural

if TYPE_CHECKING:
    from .contract import Contract
    from .violations import Violation

#: Report format version (``--cti-report``); bump on an incompatible change.
FORMAT_VERSION: Final = 1
NO_TYPE: Final = "(no pyEventType)"
NOT_A_STRING: Final = "(pyEventType not a string)"
NOT_OBJECT: Final = "(not an object)"
#: Kind -> pyEventType, in the contract's order (mirrors ``schemas.KINDS``, which this module avoids importing).
_KIND_TYPES: Final = {"snapshot": "SnapshotEvent", "agent": "AgentStateEvent", "call": "CallStateEvent", "party": "PartyInfoEvent"}

ContractSource = Union["Contract", Callable[[], "Contract"], None]
#: ``listener(event or None, findings)``: told of every finding counted (the plugin's warnings section).
FindingsListener = Callable[[Any, "Sequence[Violation]"], None]


def type_as_written(event: Mapping[str, Any]) -> str:
    """The tally's label: ``pyEventType`` as the producer wrote it, not the kind it was checked as."""
    if "pyEventType" not in event:
        return NO_TYPE
    value = event["pyEventType"]
    return value if isinstance(value, str) else NOT_A_STRING


@dataclass
class EnumField:
    """One enum-valued field of one event type and how often each documented value was seen."""

    event_type: str
    path: tuple[str, ...]
    values: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``pyAgentState``, ``pyLines[].pyLineState``, ``CallStateEvent.pyCallType``."""
        name = ".".join(self.path).replace(".[]", "[]")
        if self.event_type == "SnapshotEvent" or self.applies_to_all:
            return name
        return f"{self.event_type}.{name}"

    @property
    def applies_to_all(self) -> bool:
        # Every event carries a pyEventType; the Snapshot schema's enum lists them all.
        return self.path == ("pyEventType",)

    @property
    def never(self) -> list[str]:
        return [value for value, count in self.values.items() if count == 0]

    @property
    def exercised(self) -> int:
        return sum(1 for count in self.values.values() if count)

    def observe(self, event: Mapping[str, Any]) -> None:
        for value in _values_at(event, self.path):
            if isinstance(value, str) and value in self.values:
                self.values[value] += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_type": self.event_type,
            "field": self.label,
            "path": list(self.path),
            "values": dict(self.values),
            "exercised": self.exercised,
            "total": len(self.values),
            "never": self.never,
        }


def _values_at(node: Any, path: Sequence[str]) -> Iterator[Any]:
    if not path:
        yield node
        return
    head, rest = path[0], path[1:]
    if head == "[]":
        if isinstance(node, list):
            for item in node:
                yield from _values_at(item, rest)
    elif isinstance(node, Mapping) and head in node:
        yield from _values_at(node[head], rest)


def enum_paths(schema: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], list[str]]]:
    """Every ``(path, enum)`` in a schema's properties, array items included, in schema order."""
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return
    for name, prop in properties.items():
        if not isinstance(prop, Mapping):
            continue
        path = (*prefix, str(name))
        enum = prop.get("enum")
        if isinstance(enum, list):
            yield path, [value for value in enum if isinstance(value, str)]
        yield from enum_paths(prop, path)
        items = prop.get("items")
        if isinstance(items, Mapping):
            yield from enum_paths(items, (*path, "[]"))


def fields_of(contract: Contract) -> list[EnumField]:
    found: list[EnumField] = []
    for kind, event_type in _KIND_TYPES.items():
        if kind not in contract.kinds:
            continue
        for path, values in enum_paths(contract.schema(kind)):
            found.append(EnumField(event_type, path, dict.fromkeys(values, 0)))
    return found


class ContractCoverage:
    """Tallies of validated events and the enum values they exercised.

    ``contract`` supplies the enum fields (a :class:`Contract`, or a zero-argument callable
    returning one, read on first use; default: the bundled published contract).
    """

    def __init__(self, contract: ContractSource = None) -> None:
        self._source = contract
        self._fields: list[EnumField] | None = None
        self.by_type: dict[str, int] = {}
        self.valid = 0
        self.invalid = 0
        self.unreadable = 0
        #: rule id -> {"error": n, "warning": n}
        self.by_rule: dict[str, dict[str, int]] = {}
        #: Set while a test marked ``xfail`` runs: its findings are also tallied as expected ones.
        self.xfail_test_running = False
        #: Findings made while ``xfail_test_running`` (already counted in ``by_rule`` too).
        self.in_xfail_tests: dict[str, int] = {"errors": 0, "warnings": 0}
        self.listener: FindingsListener | None = None

    # -- input -----------------------------------------------------------------------------
    @property
    def fields(self) -> list[EnumField]:
        if self._fields is None:
            source = self._source
            if source is None:
                from .contract import load_contract

                contract = load_contract()
            elif callable(source):
                contract = source()
            else:
                contract = source
            self._fields = fields_of(contract)
        return self._fields

    def add(self, event: Any, violations: Iterable[Violation] = ()) -> None:
        """Count one validated event and what its validation found."""
        from .lifecycle import event_type

        findings = list(violations)
        if isinstance(event, (str, bytes, bytearray)):
            from .reader import MISSING, parse_event

            document, _ = parse_event(event)
            event = None if document is MISSING else document
        if isinstance(event, Mapping):
            label = type_as_written(event)
            checked_as = event_type(event)  # enum coverage follows the schema the event was checked against
            for enum_field in self.fields:
                if enum_field.applies_to_all or enum_field.event_type == checked_as:
                    enum_field.observe(event)
        else:
            label = NOT_OBJECT
        self.by_type[label] = self.by_type.get(label, 0) + 1
        if any(v.severity == "error" for v in findings):
            self.invalid += 1
        else:
            self.valid += 1
        self._count(findings, event)

    def add_unreadable(self, violations: Iterable[Violation]) -> None:
        """Count one payload that could not be read at all (a bad line in a capture file)."""
        self.unreadable += 1
        self.add_findings(violations)

    def add_findings(self, violations: Iterable[Violation]) -> None:
        """Count findings that belong to no single validation (lifecycle rules over a stream)."""
        self._count(list(violations), None)

    def _count(self, violations: Sequence[Violation], event: Any) -> None:
        if self.listener is not None and violations:
            self.listener(event, violations)
        for violation in violations:
            counts = self.by_rule.setdefault(violation.rule, {"error": 0, "warning": 0})
            counts[violation.severity] += 1
            if self.xfail_test_running:
                self.in_xfail_tests[f"{violation.severity}s"] += 1

    # -- totals ----------------------------------------------------------------------------
    @property
    def events(self) -> int:
        """Payloads checked: validated events plus unreadable ones."""
        return self.valid + self.invalid + self.unreadable

    @property
    def errors(self) -> int:
        return sum(counts["error"] for counts in self.by_rule.values())

    @property
    def warnings(self) -> int:
        return sum(counts["warning"] for counts in self.by_rule.values())

    def __bool__(self) -> bool:
        return bool(self.events or self.by_rule)

    # -- merging and serialising -------------------------------------------------------------
    def merge(self, other: ContractCoverage | Mapping[str, Any]) -> ContractCoverage:
        """Add ``other``'s counts (another coverage, or its :meth:`to_dict`) to this one; returns self."""
        data = other.to_dict() if isinstance(other, ContractCoverage) else other
        events = data.get("events", {})
        for label, count in events.get("by_type", {}).items():
            self.by_type[label] = self.by_type.get(label, 0) + int(count)
        self.valid += int(events.get("valid", 0))
        self.invalid += int(events.get("invalid", 0))
        self.unreadable += int(events.get("unreadable", 0))
        for rule, counts in data.get("findings", {}).get("by_rule", {}).items():
            mine = self.by_rule.setdefault(rule, {"error": 0, "warning": 0})
            for severity in ("error", "warning"):
                mine[severity] += int(counts.get(severity, 0))
        for key, count in data.get("findings", {}).get("in_xfail_tests", {}).items():
            self.in_xfail_tests[key] = self.in_xfail_tests.get(key, 0) + int(count)
        incoming = data.get("coverage")
        if incoming:
            if self._fields is None and not self:
                self._fields = [EnumField(f["event_type"], tuple(f["path"]), dict.fromkeys(f["values"], 0)) for f in incoming]
            index = {(f.event_type, f.path): f for f in self.fields}
            for item in incoming:
                target = index.get((item["event_type"], tuple(item["path"])))
                if target is None:
                    continue
                for value, count in item["values"].items():
                    if value in target.values:
                        target.values[value] += int(count)
        return self

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data, keys sorted where order carries no meaning (serial == xdist)."""
        return {
            "events": {
                "total": self.events,
                "valid": self.valid,
                "invalid": self.invalid,
                "unreadable": self.unreadable,
                "by_type": dict(sorted(self.by_type.items())),
            },
            "findings": {
                "errors": self.errors,
                "warnings": self.warnings,
                "by_rule": {rule: dict(counts) for rule, counts in sorted(self.by_rule.items())},
                **({"in_xfail_tests": dict(self.in_xfail_tests)} if any(self.in_xfail_tests.values()) else {}),
            },
            "coverage": [f.to_dict() for f in self.fields] if (self._fields is not None or self.events) else [],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ContractCoverage:
        coverage = cls()
        coverage._fields = [EnumField(f["event_type"], tuple(f["path"]), dict.fromkeys(f["values"], 0)) for f in data.get("coverage", [])]
        return coverage.merge(data)

    # -- rendering ---------------------------------------------------------------------------
    def summary_lines(self) -> list[str]:
        """The terminal summary's lines (no title)."""
        types = ", ".join(f"{label} {count}" for label, count in sorted(self.by_type.items(), key=lambda kv: (-kv[1], kv[0])))
        if self.unreadable:
            types += f"{', ' if types else ''}unreadable {self.unreadable}"
        lines = [
            f"events checked: {self.events}" + (f" ({types})" if types else ""),
            f"  {self.valid} valid, {self.invalid} invalid, {self.unreadable} unreadable",
        ]
        rules = ", ".join(f"{rule} {sum(counts.values())}" for rule, counts in sorted(self.by_rule.items()))
        findings = f"findings: {plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}"
        lines.append(findings + (f" ({rules})" if rules else ""))
        expected = self.in_xfail_tests
        if any(expected.values()):
            lines.append(
                f"  of which in tests marked xfail: {plural(expected['errors'], 'error')}, {plural(expected['warnings'], 'warning')}"
            )
        fields = self.fields if self.events else []
        if fields:
            lines.append("coverage (enum values exercised):")
            width = max(len(f.label) for f in fields)
            for enum_field in fields:
                text = f"  {enum_field.label:<{width}} {enum_field.exercised}/{len(enum_field.values)}"
                if enum_field.never:
                    text += f" — never: {', '.join(enum_field.never)}"
                lines.append(text)
        return lines

    def one_line(self) -> str:
        """The summary for ``-q``: ``11 events checked (9 valid, 1 invalid, 1 unreadable), 2 errors, 0 warnings``."""
        return (
            f"{plural(self.events, 'event')} checked ({self.valid:,} valid, {self.invalid:,} invalid, {self.unreadable:,} unreadable), "
            f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}"
        )

    def render_text(self) -> str:
        return "\n".join(self.summary_lines())
