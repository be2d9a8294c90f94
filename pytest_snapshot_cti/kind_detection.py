"""Which contract applies to an event that does not say: no ``pyEventType``.

Why: Pega's own embedded connector builds call events without ``pyEventType`` (erratum E26),
and a contract that waves such an event through unchecked proves nothing. An event without
the type is recognised from the fields only one sibling schema lists, checked as that kind,
and still reported under ``kind.unknown`` (which names the kind it was checked as).

One place states the rule; the engine's dispatch and the stream rules both read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .rules import SNAPSHOT_ONLY_FIELDS
from .schemas import EVENT_TYPES

#: Fields that only one sibling schema lists (Snapshot-only fields are decided before this).
TELLTALE_FIELDS: Final[Mapping[str, frozenset[str]]] = {
    "agent": frozenset({"pyWorkMode"}),
    "call": frozenset({"pyANI", "pyCallType", "pyOtherDN"}),
    "party": frozenset({"pyParties"}),
}
_EVENT_TYPES: Final[Mapping[str, str]] = {"agent": "AgentStateEvent", "call": "CallStateEvent", "party": "PartyInfoEvent"}


@dataclass(frozen=True)
class Detection:
    """What the fields of an event without ``pyEventType`` say about its kind."""

    #: kind -> the telltale fields of that kind the event carries (kinds in table order)
    evidence: Mapping[str, tuple[str, ...]]

    @property
    def kind(self) -> str | None:
        """The one kind the fields point to; ``None`` when they point to none or to several."""
        return next(iter(self.evidence)) if len(self.evidence) == 1 else None

    @property
    def event_type(self) -> str | None:
        return _EVENT_TYPES[self.kind] if self.kind is not None else None

    def message(self) -> str:
        """The ``kind.unknown`` message: the kind it was checked as, or why none applies."""
        if self.kind is not None:
            return f"event has no pyEventType; checked as a {self.event_type} (recognised by {', '.join(self.evidence[self.kind])})"
        if self.evidence:
            told = "; ".join(f"{_EVENT_TYPES[kind]}: {', '.join(fields)}" for kind, fields in self.evidence.items())
            return f"event has no pyEventType and carries fields of more than one kind ({told}), so no contract applies"
        return "event has no pyEventType, so no contract applies"

    def hint(self) -> str | None:
        if self.kind is not None:
            return f'add "pyEventType": "{self.event_type}"; the published contracts dispatch on it (erratum E26)'
        return None


def detect(event: Mapping[str, Any]) -> Detection:
    """The kinds whose telltale fields ``event`` carries (call it for events without ``pyEventType``)."""
    evidence = {kind: tuple(sorted(fields.intersection(event))) for kind, fields in TELLTALE_FIELDS.items()}
    return Detection({kind: found for kind, found in evidence.items() if found})


def untyped_kind(event: Mapping[str, Any]) -> str | None:
    """The kind an event without ``pyEventType`` is checked as, ``None`` when no contract applies."""
    return detect(event).kind


def checked_as(event: Mapping[str, Any]) -> str | None:
    """The kind auto-detection checks ``event`` as without a ``kind.*`` finding: ``snapshot`` when it says so
    or carries a Snapshot-only field, else the kind its pyEventType names; ``None`` for any other event
    (no pyEventType, CallInfoEvent, a type no contract has), which the engine reports.

    One statement of the dispatch: :class:`~pytest_snapshot_cti.contract.Contract` and the dict path read it.
    """
    event_type = event.get("pyEventType")
    if event_type == "SnapshotEvent" or not SNAPSHOT_ONLY_FIELDS.isdisjoint(event):
        return "snapshot"
    return EVENT_TYPES.get(event_type) if isinstance(event_type, str) else None
