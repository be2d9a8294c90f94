"""Lifecycle rules L1–L5: what must hold over an ordered stream of forwarded events.

Login and logout are either *known* (the recorder was told what ``login``/``logout`` was
called with) or *evident* in the stream (an AgentStateEvent ``Login``/``Logout``). A
capture file that starts mid-session therefore raises no L1 on its first call event.

Each rule is one pass over the stream (a day of one agent's traffic is a million events):
a Login or Logout waits for the event that settles it instead of rescanning what follows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

from .kind_detection import detect
from .rules import LIVE_LINE_STATES, SNAPSHOT_ONLY_FIELDS
from .violations import Severity, Violation, quoted

SeverityOf = Callable[[str], Severity | None]
END_OF_STREAM: Final = "end of stream"
_CALL_ENDS: Final = frozenset({"Disconnected", "Abandoned"})


def _published(rule_id: str) -> Severity | None:
    from .rules import RULES

    return RULES[rule_id].published


def event_type(event: Any) -> str | None:
    """The event's type for stream purposes: Snapshot-shaped payloads count as Snapshots, and an
    event without pyEventType as the kind the contract checks it as (:mod:`kind_detection`).

    Besides mappings, an event decoded straight into a typed Struct (:class:`structs.TypedEvent`,
    the CLI's fast path) is read as the mapping it stands for: its tag is its pyEventType.
    """
    if type(event) is not dict and not isinstance(event, Mapping):
        typed = getattr(type(event), "stream_type", None)
        if not typed:
            return None
        if typed == "SnapshotEvent" or any(event.get(name) is not None for name in type(event).snapshot_fields):
            return "SnapshotEvent"
        return str(typed)
    value = event.get("pyEventType")
    if value == "SnapshotEvent" or not SNAPSHOT_ONLY_FIELDS.isdisjoint(event):
        return "SnapshotEvent"
    if "pyEventType" not in event:
        return detect(event).event_type
    return value if isinstance(value, str) else None


def _live_call_ids(snapshot: Any) -> dict[str, str]:
    """Call id -> line state of the Snapshot's live lines (lines may be mappings or typed Structs)."""
    lines = snapshot.get("pyLines")
    if not isinstance(lines, list):
        return {}
    live: dict[str, str] = {}
    for line in lines:
        if type(line) is dict or isinstance(line, Mapping):
            call_id, state = line.get("pyCallId"), line.get("pyLineState")
        elif getattr(type(line), "cti_typed", False):  # a typed line: a field it lacks reads as UNSET, which is no str
            call_id, state = getattr(line, "pyCallId", None), getattr(line, "pyLineState", None)
        else:
            continue
        if isinstance(call_id, str) and isinstance(state, str) and state in LIVE_LINE_STATES:
            live[call_id] = state
    return live


class _Stream:
    """One stream being checked: where each event is, how severe each rule is, what was found (per rule)."""

    def __init__(
        self,
        events: Sequence[Any],
        locations: Sequence[str] | None,
        severity: SeverityOf,
        end: str = END_OF_STREAM,
        locate: Callable[[int], str] | None = None,
    ) -> None:
        self.events = events
        self.severity = severity
        self.end = end
        #: ``locate(index)``: where the event at ``index`` is (``file:line``, ``event #3 (…)``)
        self.locate: Callable[[int], str] = locate or (locations.__getitem__ if locations is not None else _numbered)
        self._severities: dict[str, Severity | None] = {}

    def where(self, index: int | None) -> str:
        return self.end if index is None else self.locate(index)

    def severity_of(self, rule: str) -> Severity | None:
        try:
            return self._severities[rule]
        except KeyError:
            severity = self._severities[rule] = self.severity(rule)
            return severity

    def report(self, found: list[Violation], rule: str, index: int | None, path: str, message: str, hint: str | None = None) -> None:
        severity = self.severity_of(rule)
        if severity is not None:
            found.append(Violation.made(rule, severity, path, message, hint, self.end if index is None else self.locate(index)))


def _numbered(index: int) -> str:
    return f"event #{index + 1}"


class _Reading:
    """How to read each event of a stream: its stream type and its fields, decided once per class.

    A dict is read with ``get``; a typed Struct (:class:`structs.TypedEvent`) by attribute, its type
    being its tag unless it may carry a Snapshot-only field; anything else through :func:`event_type`.
    """

    def __init__(self) -> None:
        #: class -> (fixed stream type or None, read fields by attribute)
        self.classes: dict[type, tuple[str | None, bool]] = {dict: (None, False)}

    def of(self, event: Any) -> tuple[str | None, bool]:
        cls = type(event)
        known = self.classes.get(cls)
        if known is None:
            typed = getattr(cls, "stream_type", None)
            fixed = typed if typed == "SnapshotEvent" or (typed and not getattr(cls, "snapshot_fields", ())) else None
            known = self.classes[cls] = (fixed, bool(typed))
        return known


_L1_HINT: Final = "send the SnapshotEvent first: Pega Call synchronises from it"
_L1_END_HINT: Final = "Pega Call needs a SnapshotEvent after a successful login to synchronise"
_L2_HINT: Final = "Pega Call needs a SnapshotEvent after a successful logout"


def _l1_findings(stream: _Stream, settled: list[tuple[int, int, str]]) -> list[Violation]:
    """L1: each login point (``-1``: the known login) settled by an agent or call event before any Snapshot.

    ``settled`` holds (point, the event's index, its type), noted in the pass and made into findings
    here in one go: a capture of agent events alone has one a login, the rules' most frequent finding.
    """
    severity = stream.severity_of("L1")
    if severity is None:
        return []
    locate, made = stream.locate, Violation.made
    return [
        made(
            "L1",
            severity,
            "$.pyEventType",
            f"{kind} forwarded after {'login' if point < 0 else f'the Login event ({locate(point)})'} before any Snapshot",
            _L1_HINT,
            locate(index),
        )
        for point, index, kind in settled
    ]


def _l1_at_end(stream: _Stream, found: list[Violation], points: list[int]) -> None:
    """L1: login points no Snapshot and no other event followed, up to the end of the stream."""
    severity = stream.severity_of("L1")
    if severity is not None:
        for point in points:
            after = "login" if point < 0 else f"the Login event ({stream.locate(point)})"
            found.append(Violation.made("L1", severity, "$", f"no Snapshot was forwarded after {after}", _L1_END_HINT, stream.end))


def _l2_findings(stream: _Stream, found: list[Violation], points: list[int]) -> None:
    """L2: no Snapshot with pyAgentState 'Logout' answered a logout (``-1``: the known one) or a Logout event."""
    severity = stream.severity_of("L2")
    if severity is None:
        return
    locate, made, end = stream.locate, Violation.made, stream.end
    for point in points:
        after = "logout" if point < 0 else f"the Logout event ({locate(point)})"
        found.append(made("L2", severity, "$", f"no Snapshot with pyAgentState 'Logout' was forwarded after {after}", _L2_HINT, end))


def _l5_findings(stream: _Stream, found: list[Violation], index: int) -> None:
    """L5 on the Snapshot that answered a logout."""
    snap = stream.events[index]
    if snap.get("pyLines") != []:
        stream.report(
            found, "L5", index, "$.pyLines", f"the post-logout Snapshot has pyLines {quoted(snap.get('pyLines'))}", "send pyLines []"
        )
    if snap.get("pyDeviceState") != "CLOSED":
        stream.report(
            found,
            "L5",
            index,
            "$.pyDeviceState",
            f"the post-logout Snapshot has pyDeviceState {quoted(snap.get('pyDeviceState'))}",
            "logout unsubscribes the device: send 'CLOSED'",
        )


def _l3_findings(
    stream: _Stream, found: list[Violation], index: int, pending: Iterable[str], restated: Mapping[str, str], dropped_at: int
) -> None:
    for call_id in pending:
        if call_id not in restated:
            stream.report(
                found,
                "L3",
                index,
                "$.pyLines",
                f"call {call_id!r} was live when the link dropped ({stream.where(dropped_at)}) and the reconnect Snapshot does not restate it",
                "after a reconnect, restate every call that is still up (or send its Disconnected event first)",
            )


def _check(stream: _Stream, login: Mapping[str, str | None] | None, logout_known: bool) -> list[Violation]:
    """L1–L5 in one pass over the stream: a Login or Logout waits for the event that settles it.

    L1: each login point (a known login, each AgentStateEvent Login) waits for the first Snapshot
    (fine) or the first other agent or call event (a finding). L2/L5: a known logout is checked once,
    against the stream's last Snapshot (Logout events then add nothing: reporting both would name one
    missing Snapshot twice); otherwise each Logout event waits for the first Snapshot after it with
    pyAgentState 'Logout', whose pyLines and pyDeviceState L5 checks. L3: the calls live when the link
    dropped are restated by the reconnect Snapshot. L4 (a known login): every Snapshot's agent and extension.

    Findings are returned rule by rule (L1, then L5, L3, L4), then those about the end of the stream (L1, L2).
    """
    events, reading = stream.events, _Reading()
    classes = reading.classes
    settled: list[tuple[int, int, str]] = []  # L1: (login point, the agent or call event that came first, its type)
    l2: list[Violation] = []
    l3: list[Violation] = []
    logins: list[int] = [-1] if login is not None else []
    logouts: list[int] = []
    last_snapshot: int | None = None
    snapshots: list[int] = []
    live: dict[str, Any] = {}
    pending: dict[str, Any] = {}
    dropped_at: int | None = None
    for index, event in enumerate(events):
        fixed, by_attribute = classes.get(type(event)) or reading.of(event)
        kind = fixed or ("SnapshotEvent" if type(event) is dict and event.get("pyEventType") == "SnapshotEvent" else event_type(event))
        if kind is None:
            continue
        if kind == "AgentStateEvent":
            name = getattr(event, "pyEventName", None) if by_attribute else event.get("pyEventName")
            if name == "Login":
                logins.append(index)  # a Login is no "other" event for L1: it opens a point of its own
            else:
                if logins:
                    for point in logins:
                        settled.append((point, index, kind))
                    logins.clear()
                if name == "Logout" and not logout_known:
                    logouts.append(index)
        elif kind == "CallStateEvent":
            if logins:
                for point in logins:
                    settled.append((point, index, kind))
                logins.clear()
            call_id = getattr(event, "pyCallId", None) if by_attribute else event.get("pyCallId")
            if isinstance(call_id, str):
                name = getattr(event, "pyEventName", None) if by_attribute else event.get("pyEventName")
                if isinstance(name, str) and name in _CALL_ENDS:
                    live.pop(call_id, None)
                    pending.pop(call_id, None)
                else:
                    live[call_id] = name
        elif kind == "SnapshotEvent":
            logins.clear()
            last_snapshot = index
            if login is not None:
                snapshots.append(index)
            if logouts and (getattr(event, "pyAgentState", None) if by_attribute else event.get("pyAgentState")) == "Logout":
                for _ in logouts:
                    _l5_findings(stream, l2, index)
                logouts.clear()
            link = getattr(event, "pyLinkState", None) if by_attribute else event.get("pyLinkState")
            if link == "DISCONNECTED":
                if dropped_at is None:
                    dropped_at = index
                    pending = dict(live)
            elif link == "CONNECTED":
                restated = _live_call_ids(event)
                if dropped_at is not None:
                    _l3_findings(stream, l3, index, pending, restated, dropped_at)
                    dropped_at = None
                    pending = {}
                live = restated
    at_end: list[Violation] = []  # L1's, then L2's: those about the end of the stream come last
    _l1_at_end(stream, at_end, logins)
    if logout_known:
        if last_snapshot is not None and events[last_snapshot].get("pyAgentState") == "Logout":
            _l5_findings(stream, l2, last_snapshot)
        else:
            _l2_findings(stream, at_end, [-1])
    _l2_findings(stream, at_end, logouts)
    found = [*_l1_findings(stream, settled), *l2, *l3]
    if login is not None:
        found.extend(_l4_findings(stream, snapshots, login))
    found.extend(at_end)
    return found


def _l4_findings(stream: _Stream, snapshots: Iterable[int], login: Mapping[str, str | None]) -> list[Violation]:
    found: list[Violation] = []
    expected = {"pyAgentId": login.get("agent_id"), "pyThisDN": login.get("extension")}
    for index in snapshots:
        snap = stream.events[index]
        for field, value in expected.items():
            if value is not None and field in snap and snap[field] != value:
                stream.report(
                    found,
                    "L4",
                    index,
                    f"$.{field}",
                    f"{field} is {quoted(snap[field])} but login was called with {quoted(value)}",
                    "the Snapshot must describe the agent and extension that logged in",
                )
    return found


LOGIN_KEYS: Final = frozenset({"agent_id", "extension"})


def check_stream_arguments(events: Any, login: Any, logout: Any) -> list[Any]:
    """``events`` as a list; a mapping or text where the sequence belongs, or a ``login`` that is not a
    mapping of ``agent_id``/``extension``, is a :class:`ContractUsageError`, never a silent ``[]``."""
    from .violations import ContractUsageError

    if isinstance(events, (Mapping, str, bytes, bytearray)) or not isinstance(events, Iterable):
        what = "one event (a mapping)" if isinstance(events, Mapping) else f"a {type(events).__name__}"
        raise ContractUsageError(
            f"check_stream(events): expected a sequence of events such as a list of dicts, got {what}; wrap one event in a list"
        )
    if login is not None:
        if not isinstance(login, Mapping):
            raise ContractUsageError(
                f"check_stream(login=...): expected a mapping such as {{'agent_id': '5501', 'extension': '8808'}}, got a {type(login).__name__}"
            )
        unknown = sorted(str(key) for key in login if key not in LOGIN_KEYS)
        if unknown:
            raise ContractUsageError(
                f"check_stream(login=...): unknown key {', '.join(map(repr, unknown))}; use 'agent_id' and 'extension'"
            )
    if not isinstance(logout, bool):
        raise ContractUsageError(f"check_stream(logout=...): expected True or False, got {type(logout).__name__} {logout!r}")
    return list(events)


def check_stream(
    events: Sequence[Any],
    *,
    login: Mapping[str, str | None] | None = None,
    logout: bool = False,
    severity: SeverityOf | None = None,
    locations: Sequence[str] | None = None,
) -> list[Violation]:
    """Violations of L1–L5 in ``events`` (in order), each located at the event concerned.

    ``login`` is ``{"agent_id": ..., "extension": ...}`` when the caller knows login
    succeeded before the first event; ``logout`` is True when logout was called.
    ``severity`` maps a rule id to its severity (``None`` to skip it); the default is
    the published profile's.
    """
    events = check_stream_arguments(events, login, logout)
    return stream_findings(events, login=login, logout=logout, severity=severity, locations=locations)


def stream_findings(
    events: Sequence[Any],
    *,
    login: Mapping[str, str | None] | None = None,
    logout: bool = False,
    severity: SeverityOf | None = None,
    locations: Sequence[str] | None = None,
    end: str = END_OF_STREAM,
    locate: Callable[[int], str] | None = None,
) -> list[Violation]:
    """:func:`check_stream` without its argument checks; ``end`` locates what concerns the end of the stream,
    ``locate(index)`` (instead of ``locations``) each event, asked only for the events findings are about.

    ``events`` may hold typed Structs (:class:`structs.TypedEvent`) beside mappings, as the CLI keeps them.
    Findings at an event come first, in the order made, then those at the end of the stream.
    """
    return _check(_Stream(events, locations, severity or _published, end, locate), login, logout)


def split_streams(events: Iterable[Any]) -> dict[str, list[int]]:
    """Group event indexes into streams by ``pyThisDN`` (else ``pyAgentId``), in order of first appearance.

    Agent events carry neither, so an unkeyed event joins the stream of the last keyed event
    before it; unkeyed events before the first keyed one (a capture that opens with an
    AgentStateEvent ``Login``) join the first stream. With no key at all, everything is the
    ``""`` stream.
    """
    if not isinstance(events, Sequence):
        events = list(events)
    keyless: dict[type, bool] = {dict: False}  # per class: can its events carry no key at all?
    if all(keyless.setdefault(cls, _keyless(cls)) for cls in set(map(type, events))):  # agent events alone, typed: no key to read
        return {"": list(range(len(events)))} if events else {}
    streams: dict[str, list[int]] = {}
    leading: list[int] = []
    current: str | None = None
    members: list[int] = leading
    typed: set[type] = set()  # classes read by attribute (structs.Readable)
    for index, event in enumerate(events):
        cls = type(event)
        never = keyless.get(cls)
        if never is None:
            never = keyless[cls] = _keyless(cls)
            if getattr(cls, "cti_typed", False):
                typed.add(cls)
        if not never:
            # a typed event's missing field reads as UNSET: false, and no str
            key = (
                (getattr(event, "pyThisDN", None) or getattr(event, "pyAgentId", None))
                if cls in typed
                else event.get("pyThisDN") or event.get("pyAgentId")
            )
            if isinstance(key, str) and key and key != current:
                current = key
                members = streams.setdefault(key, [])
                if leading:
                    members.extend(leading)
                    leading = []
        members.append(index)
    if leading:
        streams[""] = leading
    return streams


def _keyless(cls: type) -> bool:
    """True for a class whose events never name a stream: not a mapping, or a typed Struct without the key fields."""
    fields = getattr(cls, "__struct_fields__", None)
    if getattr(cls, "stream_type", None) and fields is not None:
        return not {"pyThisDN", "pyAgentId"}.intersection(fields)
    return not issubclass(cls, Mapping)
