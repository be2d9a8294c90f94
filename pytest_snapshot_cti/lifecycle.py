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
_CALL_ENDS: Final = frozenset({"Disconnected", "Abandoned"})


def _published(rule_id: str) -> Severity | None:
    from .rules import RULES

    return RULES[rule_id].published


def event_type(event: Any) -> str | None:
    """The event's type for stream purposes: Snapshot-shaped payloads count as Snapshots, and an
    event without pyEventType as the kind the contract checks it as (:mod:`kind_detection`)."""
    if not isinstance(event, Mapping):
        return None
    value = event.get("pyEventType")
    if value == "SnapshotEvent" or not SNAPSHOT_ONLY_FIELDS.isdisjoint(event):
        return "SnapshotEvent"
    if "pyEventType" not in event:
        return detect(event).event_type
    return value if isinstance(value, str) else None


def _live_call_ids(snapshot: Mapping[str, Any]) -> dict[str, str]:
    lines = snapshot.get("pyLines")
    if not isinstance(lines, list):
        return {}
    return {
        line["pyCallId"]: line.get("pyLineState", "")
        for line in lines
        if isinstance(line, Mapping)
        and isinstance(line.get("pyCallId"), str)
        and isinstance(line.get("pyLineState"), str)
        and line["pyLineState"] in LIVE_LINE_STATES
    }


class _Stream:
    def __init__(self, events: Sequence[Any], locations: Sequence[str] | None, severity: SeverityOf) -> None:
        self.events = events
        self.types = [event_type(e) for e in events]
        self.locations = locations
        self.severity = severity
        self.found: list[Violation] = []

    def where(self, index: int | None) -> str:
        if index is None:
            return "end of stream"
        if self.locations is not None:
            return self.locations[index]
        return f"event #{index + 1}"

    def report(self, rule: str, index: int | None, path: str, message: str, hint: str | None = None) -> None:
        sev = self.severity(rule)
        if sev is not None:
            self.found.append(Violation(rule, sev, path, message, hint, self.where(index)))


def _check_l1(stream: _Stream, login_known: bool) -> None:
    """L1 in one pass: each login point waits for the first Snapshot (fine) or the first agent/call event (a finding).

    Every login point still waiting is settled by the same event, so points are reported in their own order.
    """
    waiting: list[int] = [-1] if login_known else []
    types, events = stream.types, stream.events
    for index, kind in enumerate(types):
        if kind == "SnapshotEvent":
            waiting.clear()
        elif kind == "CallStateEvent" or kind == "AgentStateEvent":
            if kind == "AgentStateEvent" and events[index].get("pyEventName") == "Login":
                waiting.append(index)  # a Login is no "other" event: it opens a point of its own
                continue
            for point in waiting:
                stream.report(
                    "L1",
                    index,
                    "$.pyEventType",
                    f"{kind} forwarded after {_login_label(stream, point)} before any Snapshot",
                    "send the SnapshotEvent first: Pega Call synchronises from it",
                )
            waiting.clear()
    for point in waiting:
        stream.report(
            "L1",
            None,
            "$",
            f"no Snapshot was forwarded after {_login_label(stream, point)}",
            "Pega Call needs a SnapshotEvent after a successful login to synchronise",
        )


def _login_label(stream: _Stream, point: int) -> str:
    return "login" if point < 0 else f"the Login event ({stream.where(point)})"


def _check_logout(stream: _Stream, logout_known: bool) -> None:
    """L2 and L5 in one pass.

    A known logout is checked once, against the stream's last Snapshot; Logout events in the stream
    then add nothing (reporting both would name one missing Snapshot twice). Otherwise each Logout
    event waits for the first Snapshot after it with pyAgentState 'Logout'.
    """
    types, events = stream.types, stream.events
    if logout_known:
        last = next((i for i in range(len(types) - 1, -1, -1) if types[i] == "SnapshotEvent"), None)
        if last is not None and events[last].get("pyAgentState") == "Logout":
            _check_l5(stream, last)
        else:
            _report_l2(stream, -1)
        return
    waiting: list[int] = []
    for index, kind in enumerate(types):
        if kind == "AgentStateEvent":
            if events[index].get("pyEventName") == "Logout":
                waiting.append(index)
        elif kind == "SnapshotEvent" and waiting and events[index].get("pyAgentState") == "Logout":
            for _ in waiting:
                _check_l5(stream, index)
            waiting.clear()
    for point in waiting:
        _report_l2(stream, point)


def _report_l2(stream: _Stream, point: int) -> None:
    after = "logout" if point < 0 else f"the Logout event ({stream.where(point)})"
    stream.report(
        "L2",
        None,
        "$",
        f"no Snapshot with pyAgentState 'Logout' was forwarded after {after}",
        "Pega Call needs a SnapshotEvent after a successful logout",
    )


def _check_l5(stream: _Stream, index: int) -> None:
    snap = stream.events[index]
    if snap.get("pyLines") != []:
        stream.report("L5", index, "$.pyLines", f"the post-logout Snapshot has pyLines {quoted(snap.get('pyLines'))}", "send pyLines []")
    if snap.get("pyDeviceState") != "CLOSED":
        stream.report(
            "L5",
            index,
            "$.pyDeviceState",
            f"the post-logout Snapshot has pyDeviceState {quoted(snap.get('pyDeviceState'))}",
            "logout unsubscribes the device: send 'CLOSED'",
        )


def _check_l3(stream: _Stream) -> None:
    live: dict[str, Any] = {}
    dropped_at: int | None = None
    pending: dict[str, Any] = {}
    for index, event in enumerate(stream.events):
        kind = stream.types[index]
        if kind == "CallStateEvent":
            call_id = event.get("pyCallId")
            if isinstance(call_id, str):
                if isinstance(event.get("pyEventName"), str) and event["pyEventName"] in _CALL_ENDS:
                    live.pop(call_id, None)
                    pending.pop(call_id, None)
                else:
                    live[call_id] = event.get("pyEventName")
        elif kind == "SnapshotEvent":
            link = event.get("pyLinkState")
            if link == "DISCONNECTED":
                if dropped_at is None:
                    dropped_at = index
                    pending = dict(live)
            elif link == "CONNECTED":
                restated = _live_call_ids(event)
                if dropped_at is not None:
                    for call_id in pending:
                        if call_id not in restated:
                            stream.report(
                                "L3",
                                index,
                                "$.pyLines",
                                f"call {call_id!r} was live when the link dropped ({stream.where(dropped_at)}) "
                                "and the reconnect Snapshot does not restate it",
                                "after a reconnect, restate every call that is still up (or send its Disconnected event first)",
                            )
                    dropped_at = None
                    pending = {}
                live = restated


def _check_l4(stream: _Stream, login: Mapping[str, str | None]) -> None:
    expected = {"pyAgentId": login.get("agent_id"), "pyThisDN": login.get("extension")}
    for index, kind in enumerate(stream.types):
        if kind != "SnapshotEvent":
            continue
        snap = stream.events[index]
        for field, value in expected.items():
            if value is not None and field in snap and snap[field] != value:
                stream.report(
                    "L4",
                    index,
                    f"$.{field}",
                    f"{field} is {quoted(snap[field])} but login was called with {quoted(value)}",
                    "the Snapshot must describe the agent and extension that logged in",
                )


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
    stream = _Stream(events, locations, severity or _published)
    _check_l1(stream, login is not None)
    _check_logout(stream, logout)
    _check_l3(stream)
    if login is not None:
        _check_l4(stream, login)
    order = {id(v): n for n, v in enumerate(stream.found)}
    return sorted(stream.found, key=lambda v: (v.location == "end of stream", order[id(v)]))


def split_streams(events: Iterable[Any]) -> dict[str, list[int]]:
    """Group event indexes into streams by ``pyThisDN`` (else ``pyAgentId``), in order of first appearance.

    Agent events carry neither, so an unkeyed event joins the stream of the last keyed event
    before it; unkeyed events before the first keyed one (a capture that opens with an
    AgentStateEvent ``Login``) join the first stream. With no key at all, everything is the
    ``""`` stream.
    """
    streams: dict[str, list[int]] = {}
    leading: list[int] = []
    current: str | None = None
    for index, event in enumerate(events):
        if isinstance(event, Mapping):
            key = event.get("pyThisDN") or event.get("pyAgentId")
            if isinstance(key, str) and key:
                current = key
        if current is None:
            leading.append(index)
            continue
        stream = streams.setdefault(current, [])
        if leading:
            stream.extend(leading)
            leading = []
        stream.append(index)
    if leading:
        streams[""] = leading
    return streams
