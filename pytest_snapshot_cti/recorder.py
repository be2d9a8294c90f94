"""EventRecorder: a stand-in for OpenCTI's ``forwardEvent`` callback that remembers and checks.

The recorder keeps a *deep copy* of every event at the moment it is forwarded: connectors
often reuse and mutate one dict, and Pega Call receives each event serialised at
forward time, so a copy is what the other side actually sees. While copying, every value
``JSON.stringify`` could not carry faithfully (a datetime, a set, bytes, NaN/Infinity, a
non-string key) is recorded as a ``json.not_serializable`` violation at its JSON path.
JSON text (``str``/``bytes``) is parsed strictly, as Pega's ``JSON.parse`` would.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .reader import MAX_DEPTH, non_string_key
from .violations import ContractViolationError, Violation, errors_of, fold_locations, format_report, json_path

if TYPE_CHECKING:
    from .contract import Contract

_HINTS = {
    "datetime": "send an ISO 8601 string, e.g. value.isoformat()",
    "date": "send an ISO 8601 string, e.g. value.isoformat()",
    "time": "send an ISO 8601 string, e.g. value.isoformat()",
    "set": "send a list (sorted, if order matters to you)",
    "frozenset": "send a list (sorted, if order matters to you)",
    "bytes": "decode it to a str first",
    "bytearray": "decode it to a str first",
    "Decimal": "send a string (or a float, if precision does not matter)",
    "UUID": "send str(value)",
}


def _not_serializable(path: list[str | int], message: str, hint: str | None) -> Violation:
    return Violation("json.not_serializable", "error", json_path(path), message, hint)


def json_copy(value: Any, path: list[str | int], problems: list[Violation]) -> Any:
    """A JSON-shaped deep copy of ``value``; what JSON cannot carry is copied as-is and reported."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str.__str__(value)  # a str subclass (StrEnum) serialises as its text
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            problems.append(
                _not_serializable(
                    path,
                    f"{value!r} is not valid JSON (JSON.parse rejects NaN and Infinity)",
                    "send null or leave the field out",
                )
            )
            return value
        return float(value)
    if len(path) >= MAX_DEPTH and isinstance(value, (Mapping, list, tuple)):
        return value  # too deep to copy by recursion; the contract reports json.depth
    if isinstance(value, Mapping):
        copied: dict[Any, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(non_string_key(path, key))
                key = _json_key(key)  # the copy holds the key as json.dumps would write it
            copied[key] = json_copy(item, [*path, key], problems)
        return copied
    if isinstance(value, (list, tuple)):
        return [json_copy(item, [*path, index], problems) for index, item in enumerate(value)]
    name = type(value).__name__
    problems.append(
        _not_serializable(path, f"a {name} is not JSON-serialisable", _HINTS.get(name, "convert it to a string, number, list or object"))
    )
    try:
        import copy

        return copy.deepcopy(value)
    except Exception:  # an object that cannot be copied is kept as the connector sent it
        return value


def _json_key(key: Any) -> str:
    """A key as ``json.dumps`` writes it (``1`` -> ``"1"``, ``None`` -> ``"null"``), else its ``str``."""
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    return str(key)


class NoEventError(AssertionError, IndexError):
    """``last()`` found nothing: an assertion failure in a test, an ``IndexError`` like ``events[-1]``."""


class EventRecorder:
    """Callable with one event, as OpenCTI's ``forwardEvent``; checks what it heard on demand.

    ``contract`` defaults to the bundled contract under ``profile`` (``published``) with
    ``disable`` switched off; ``fail_on_warnings`` makes
    :meth:`assert_valid` fail on warnings too. Each event is validated once (results are
    cached until :meth:`clear`), so calling :meth:`validate` twice counts each event once.
    """

    def __init__(
        self,
        contract: Contract | None = None,
        *,
        profile: str | None = None,
        disable: Iterable[str] = (),
        fail_on_warnings: bool = False,
    ) -> None:
        if contract is not None and (profile is not None or disable):
            raise ValueError("pass either contract= or profile=/disable=, not both")
        if contract is None and (profile is not None or disable):
            from .contract import load_contract

            contract = load_contract(profile or "published", disable=disable)
        self._contract = contract
        self.fail_on_warnings = fail_on_warnings
        self.events: list[Any] = []
        #: per event: True when it is a value (copied, or read from JSON text), False for text no value could be read from
        self._read: list[bool] = []
        self._problems: list[list[Violation]] = []
        self._results: list[list[Violation]] = []
        self._login: dict[str, str | None] | None = None
        self._logout = False
        self._sources: list[Callable[[], Iterable[Violation]]] = []

    @property
    def contract(self) -> Contract:
        if self._contract is None:
            from .contract import load_contract

            self._contract = load_contract()
        return self._contract

    # -- recording ---------------------------------------------------------------------------
    def __call__(self, event: Any) -> None:
        problems: list[Violation] = []
        read = True
        if isinstance(event, (str, bytes, bytearray)):
            from .reader import DUPLICATE_KEY, MISSING, parse_event

            document, error = parse_event(event)
            if error is not None and error.rule == DUPLICATE_KEY and DUPLICATE_KEY in self.contract.disabled:
                document, error = parse_event(event, disabled=self.contract.disabled)  # read as JSON.parse does: the last key wins
            read = document is not MISSING
            copied = document if read else event  # unreadable text: the contract reports why
        else:
            copied = json_copy(event, [], problems)
        self.events.append(copied)
        self._read.append(read)
        self._problems.append(problems)

    def record_json(self, text: str | bytes, problems: Iterable[Violation] = ()) -> None:
        """Record JSON text another runtime forwarded, with what its serialiser could not carry.

        ``problems`` are ``json.not_serializable`` findings located in the event (a JavaScript
        connector's ``undefined``, function, cycle or ``NaN``): reported like a Python value's.
        """
        self(text)
        self._problems[-1].extend(problems)

    def attach(self, source: Callable[[], Iterable[Violation]]) -> None:
        """Report ``source()``'s findings with this recorder's (a JavaScript connector's error objects).

        They are checked with the stream, under this recorder's contract (profile severities,
        disabled rules), so a test that caught the failure still fails on a malformed error object.
        """
        self._sources.append(source)

    def expect_login(self, agent_id: str | None = None, extension: str | None = None) -> None:
        """Tell the recorder ``login`` succeeded before the first event (enables L1 and L4)."""
        self._login = {"agent_id": agent_id, "extension": extension}

    def expect_logout(self) -> None:
        """Tell the recorder ``logout`` was called (enables L2 and L5 on the last Snapshot)."""
        self._logout = True

    def clear(self) -> None:
        """Forget every event (and what was expected of login/logout)."""
        self.events.clear()
        self._read.clear()
        self._problems.clear()
        self._results.clear()
        self._login = None
        self._logout = False

    # -- looking ----------------------------------------------------------------------------
    @property
    def snapshots(self) -> list[Any]:
        return self.of_type("SnapshotEvent")

    def of_type(self, event_type: str) -> list[Any]:
        """Events of one ``pyEventType`` (Snapshot-shaped payloads count as ``SnapshotEvent``)."""
        from .lifecycle import event_type as type_of

        return [event for event in self.events if type_of(event) == event_type]

    def last(self, event_type: str | None = None) -> Any:
        """The last event (of ``event_type``); an ``AssertionError`` that says what came instead."""
        found = self.events if event_type is None else self.of_type(event_type)
        if not found:
            raise NoEventError(f"no {event_type or 'event'} was forwarded; {self._describe()}")
        return found[-1]

    def _describe(self) -> str:
        if not self.events:
            return "the recorder heard nothing"
        return f"the recorder heard {len(self.events)}: {', '.join(self._label(i) for i in range(len(self.events)))}"

    def _label(self, index: int) -> str:
        """The ``pyEventType`` as the connector wrote it (a stale Snapshot field does not relabel it);
        without one, the kind its fields show (erratum E26), so a location names what was checked."""
        from .kind_detection import detect

        event = self.events[index]
        if not isinstance(event, Mapping):
            return "event without pyEventType"
        value = event.get("pyEventType")
        if isinstance(value, str) and value:
            return value
        return ("pyEventType" not in event and detect(event).event_type) or "event without pyEventType"

    def __len__(self) -> int:
        return len(self.events)

    def __repr__(self) -> str:
        return f"<EventRecorder {len(self.events)} events>"

    # -- checking ---------------------------------------------------------------------------
    def check(self, *, events_only: bool = False) -> tuple[list[Violation], list[Violation]]:
        """``(per-event violations, the rest)``, each located ``event #N (type)``: the rest is the stream's (L1–L5) and the attached sources' findings.

        ``events_only`` skips the lifecycle rules (for a test that failed first: its stream is incomplete).
        """
        from .lifecycle import check_stream
        from .observers import OBSERVERS, notify

        contract = self.contract
        per_event: list[Violation] = []
        for index, event in enumerate(self.events):
            if index == len(self._results):
                found, checked = self._findings_of(index)
                if OBSERVERS:  # the run's summary hears each event once, located, so its findings say which event
                    notify(None if self._read[index] and isinstance(event, str) else event, [v.at(self._where(index)) for v in checked])
                self._results.append(found)
            where = self._where(index)
            per_event.extend(v.at(where) for v in self._results[index])
        if events_only:
            return per_event, []
        locations = [self._where(i) for i in range(len(self.events))]
        stream = check_stream(self.events, login=self._login, logout=self._logout, severity=contract.severity, locations=locations)
        stream.extend(self.source_findings())
        return per_event, stream

    def source_findings(self) -> list[Violation]:
        """What the attached sources found (a JavaScript connector's error objects, its console.error), under this contract."""
        contract = self.contract
        return [
            v.with_severity(severity) for source in self._sources for v in source() if (severity := contract.severity(v.rule)) is not None
        ]

    def findings_of(self, index: int) -> list[Violation]:
        """Event ``index``'s own findings (what JSON could not carry, then the contract's), unlocated.

        Not counted in the run's contract summary (the conformance kit checks each event as it arrives).
        """
        return self._findings_of(index)[0]

    def _findings_of(self, index: int) -> tuple[list[Violation], list[Violation]]:
        """(every finding of event ``index``, the contract's alone)."""
        contract = self.contract
        found = [v for v in self._problems[index] if v.rule not in contract.disabled]
        event = self.events[index]
        # a value is checked as the value it is (a str read from JSON text is a string, not more JSON)
        checked = contract.validate_value(event, observe=False) if self._read[index] else contract.validate(event, observe=False)
        return [*found, *checked], checked

    def _where(self, index: int) -> str:
        return self.location(index)

    def location(self, index: int) -> str:
        """``event #N (type)``: where findings about event ``index`` (0-based) are located."""
        return f"event #{index + 1} ({self._label(index)})"

    def not_serializable(self) -> list[Violation]:
        """What JSON could not carry, found while copying (reported by :meth:`validate` too)."""
        disabled = self.contract.disabled
        return [v.at(self._where(i)) for i, problems in enumerate(self._problems) for v in problems if v.rule not in disabled]

    def validate(self) -> list[Violation]:
        """Every violation: each event against the contract, then the stream against L1–L5."""
        per_event, stream = self.check()
        return per_event + stream

    def failure_message(self, violations: list[Violation] | None = None) -> str | None:
        """The message :meth:`assert_valid` raises, or ``None`` when the events pass."""
        found = self.validate() if violations is None else violations
        if not (errors_of(found) or (self.fail_on_warnings and found)):
            return None
        return self.report(found)

    def report(self, found: list[Violation]) -> str:
        """``found`` as the recorder's message: folded findings, and the likely cause named once."""
        count = len(self.events)
        subject = f"cti_recorder ({count} event{'' if count == 1 else 's'} forwarded)"
        note = self.stale_fields_note()
        return format_report(found, subject=subject, profile=self.contract.profile, notes=[note] if note else [])

    def stale_fields_note(self) -> str | None:
        """Names the usual cause of a burst of findings: one dict reused between forwards, still holding Snapshot keys."""
        from .rules import SNAPSHOT_ONLY_FIELDS

        stale: dict[str, list[int]] = {}
        fields: set[str] = set()
        for index, event in enumerate(self.events):
            if not isinstance(event, Mapping):
                continue
            event_type = event.get("pyEventType")
            carried = SNAPSHOT_ONLY_FIELDS.intersection(event)
            if carried and isinstance(event_type, str) and event_type and event_type != "SnapshotEvent":
                stale.setdefault(event_type, []).append(index)
                fields.update(carried)
        if not stale:
            return None
        event_type = " or ".join(repr(name) for name in stale)
        where = fold_locations([self._where(i) for group in stale.values() for i in group])
        return (
            f"likely cause: {where} carries Snapshot fields and pyEventType {event_type}: "
            f"is one dict reused between forwards? (stale keys: {', '.join(sorted(fields))})"
        )

    def assert_valid(self) -> list[Violation]:
        """Raise :class:`ContractViolationError` on any error (or warning, with ``fail_on_warnings``)."""
        found = self.validate()
        message = self.failure_message(found)
        if message is not None:
            raise ContractViolationError(message, found)
        return found
