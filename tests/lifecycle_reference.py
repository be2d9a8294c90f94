"""The lifecycle rules as they were before issue 12 made them linear: the oracle for the new ones.

Kept verbatim but for its argument checks, which it shares (quadratic: L1 and the logout rules rescan the rest of the stream from every
Login/Logout); tests/test_lifecycle_linear.py holds pytest_snapshot_cti.lifecycle to its results.

Lifecycle rules L1–L5: what must hold over an ordered stream of forwarded events.

Login and logout are either *known* (the recorder was told what ``login``/``logout`` was
called with) or *evident* in the stream (an AgentStateEvent ``Login``/``Logout``). A
capture file that starts mid-session therefore raises no L1 on its first call event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

from pytest_snapshot_cti.kind_detection import detect
from pytest_snapshot_cti.lifecycle import check_stream_arguments  # the arguments' checks are not what it is the oracle of
from pytest_snapshot_cti.rules import LIVE_LINE_STATES, SNAPSHOT_ONLY_FIELDS
from pytest_snapshot_cti.violations import Severity, Violation

SeverityOf = Callable[[str], Severity | None]
_CALL_ENDS: Final = frozenset({"Disconnected", "Abandoned"})


def _published(rule_id: str) -> Severity | None:
    from pytest_snapshot_cti.rules import RULES

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

    def snapshots_after(self, start: int) -> Iterator[int]:
        return (i for i in range(start, len(self.events)) if self.types[i] == "SnapshotEvent")

    def agent_events(self, name: str) -> list[int]:
        return [
            i
            for i, e in enumerate(self.events)
            if self.types[i] == "AgentStateEvent" and isinstance(e, Mapping) and e.get("pyEventName") == name
        ]


def _check_l1(stream: _Stream, login_points: Iterable[int]) -> None:
    for point in login_points:
        first_other = next(
            (
                i
                for i in range(point + 1, len(stream.events))
                if stream.types[i] in ("AgentStateEvent", "CallStateEvent")
                and not (stream.types[i] == "AgentStateEvent" and stream.events[i].get("pyEventName") == "Login")
            ),
            None,
        )
        limit = len(stream.events) if first_other is None else first_other
        if any(True for i in stream.snapshots_after(point + 1) if i < limit):
            continue
        after = "login" if point < 0 else f"the Login event ({stream.where(point)})"
        if first_other is None:
            stream.report(
                "L1",
                None,
                "$",
                f"no Snapshot was forwarded after {after}",
                "Pega Call needs a SnapshotEvent after a successful login to synchronise",
            )
        else:
            stream.report(
                "L1",
                first_other,
                "$.pyEventType",
                f"{stream.types[first_other]} forwarded after {after} before any Snapshot",
                "send the SnapshotEvent first: Pega Call synchronises from it",
            )


def _check_logout(stream: _Stream, logout_known: bool) -> None:
    # A known logout is checked once, against the stream's last Snapshot; Logout events in
    # the stream then add nothing (reporting both would name one missing Snapshot twice).
    points = [-1] if logout_known else stream.agent_events("Logout")
    for point in points:
        logout_snaps = [i for i in stream.snapshots_after(point + 1) if stream.events[i].get("pyAgentState") == "Logout"]
        if logout_known and point == -1:
            last = max(stream.snapshots_after(0), default=None)
            logout_snaps = [last] if last is not None and stream.events[last].get("pyAgentState") == "Logout" else []
        if not logout_snaps:
            after = "logout" if point < 0 else f"the Logout event ({stream.where(point)})"
            stream.report(
                "L2",
                None,
                "$",
                f"no Snapshot with pyAgentState 'Logout' was forwarded after {after}",
                "Pega Call needs a SnapshotEvent after a successful logout",
            )
            continue
        index = logout_snaps[0]
        snap = stream.events[index]
        if snap.get("pyLines") != []:
            stream.report("L5", index, "$.pyLines", f"the post-logout Snapshot has pyLines {snap.get('pyLines')!r}", "send pyLines []")
        if snap.get("pyDeviceState") != "CLOSED":
            stream.report(
                "L5",
                index,
                "$.pyDeviceState",
                f"the post-logout Snapshot has pyDeviceState {snap.get('pyDeviceState')!r}",
                "logout unsubscribes the device: send 'CLOSED'",
            )


def _check_l3(stream: _Stream) -> None:
    live: dict[str, str] = {}
    dropped_at: int | None = None
    pending: dict[str, str] = {}
    for index, event in enumerate(stream.events):
        kind = stream.types[index]
        if kind == "CallStateEvent":
            call_id = event.get("pyCallId")
            if isinstance(call_id, str):
                if isinstance(event.get("pyEventName"), str) and event["pyEventName"] in _CALL_ENDS:
                    live.pop(call_id, None)
                    pending.pop(call_id, None)
                else:
                    live[call_id] = str(event.get("pyEventName"))
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
    for index in stream.snapshots_after(0):
        snap = stream.events[index]
        for field, value in expected.items():
            if value is not None and field in snap and snap[field] != value:
                stream.report(
                    "L4",
                    index,
                    f"$.{field}",
                    f"{field} is {snap[field]!r} but login was called with {value!r}",
                    "the Snapshot must describe the agent and extension that logged in",
                )


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
    login_points = stream.agent_events("Login")
    if login is not None:
        login_points = [-1, *login_points]
    _check_l1(stream, login_points)
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
