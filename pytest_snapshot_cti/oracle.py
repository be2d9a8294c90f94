"""The model oracle: does what a connector told Pega Call agree with what is true?

Why: a Snapshot can honour every schema rule and still lie (a held call shown Connected, a
call that ended still listed). The conformance kit knows the truth (the :mod:`model`'s world
after each transition); this module reads the forwarded events the way Pega Call does
(:class:`Belief`) and names each disagreement under a rule of its own (O1–O5, in the rule
table of :mod:`rules`). Where OpenCTI allows several correct ways, each is accepted: a Snapshot instead of a
call event, extra events, Busy while a call is live, the ACD's own choice of agent state after
login or after a call, ``Connected`` and ``Retrieved`` for a talking line, ``''`` and ``'0'``
for "no reason code".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from .lifecycle import event_type
from .model import LIVE_STATES, TALKING, World
from .stream_writer import LINE_STATE_OF_CALL_EVENT

_AGENT_EVENT_STATES: Final = frozenset({"Ready", "NotReady", "Login", "Logout", "Unknown"})
_NO_REASON: Final = frozenset({"", "0"})


@dataclass(frozen=True)
class Told:
    """One thing Pega Call was told, and where: event index (0-based) and JSON path."""

    value: str
    index: int
    path: str


@dataclass
class Belief:
    """The state of the contact centre as Pega Call reads it from the forwarded events."""

    agent: Told | None = None
    reason: Told | None = None
    link: Told | None = None
    device: Told | None = None
    calls: dict[str, Told] = field(default_factory=dict)
    #: call id -> where Pega Call was told it ended
    ended: dict[str, Told] = field(default_factory=dict)

    def hear(self, event: Any, index: int) -> None:
        """Update with event number ``index`` (its position in the stream, 0-based)."""
        if not isinstance(event, Mapping):
            return
        kind = event_type(event)
        if kind == "SnapshotEvent":
            self._snapshot(event, index)
        elif kind == "AgentStateEvent":
            name = event.get("pyEventName")
            if isinstance(name, str) and name in _AGENT_EVENT_STATES:
                self.agent = Told(name, index, "$.pyEventName")
                self.reason = Told(_text(event.get("pyReasonCode", "")), index, "$.pyReasonCode")
        elif kind == "CallStateEvent":
            call_id, name = event.get("pyCallId"), event.get("pyEventName")
            if isinstance(call_id, str) and isinstance(name, str) and name in LINE_STATE_OF_CALL_EVENT:
                state = LINE_STATE_OF_CALL_EVENT[name]
                told = Told(state or name, index, "$.pyEventName")
                if state is None:
                    self.calls.pop(call_id, None)
                    self.ended[call_id] = told
                else:
                    self.calls[call_id] = told
                    self.ended.pop(call_id, None)

    def _snapshot(self, event: Mapping[str, Any], index: int) -> None:
        for name, attribute in (("pyAgentState", "agent"), ("pyLinkState", "link"), ("pyDeviceState", "device")):
            if name in event:
                setattr(self, attribute, Told(_text(event[name]), index, f"$.{name}"))
        if "pyAgentState" in event or "pyReasonCode" in event:  # a Snapshot restates the reason: absent means none
            self.reason = Told(_text(event.get("pyReasonCode", "")), index, "$.pyReasonCode")
        lines = event.get("pyLines")
        if not isinstance(lines, list):
            return
        restated: dict[str, Told] = {}
        for n, line in enumerate(lines):
            if not isinstance(line, Mapping):
                continue
            call_id, state = line.get("pyCallId"), line.get("pyLineState")
            if isinstance(call_id, str) and call_id and isinstance(state, str) and state in LIVE_STATES:
                restated[call_id] = Told(state, index, f"$.pyLines[{n}].pyLineState")
        for call_id in self.calls:
            if call_id not in restated:
                self.ended[call_id] = Told("gone", index, "$.pyLines")
        for call_id in restated:
            self.ended.pop(call_id, None)
        self.calls = restated


def _text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


@dataclass(frozen=True)
class Disagreement:
    """One thing Pega Call was told that is not true (``index``: the event that told it, if one did)."""

    rule: str
    index: int | None
    path: str
    message: str
    hint: str


def compare(w: World, belief: Belief, gone: Mapping[str, str]) -> list[Disagreement]:
    """What ``belief`` gets wrong about ``w``; ``gone`` names the step each ended call ended at."""
    found: list[Disagreement] = []
    _link_and_device(w, belief, found)
    if w.logged_in and w.link == "DISCONNECTED":
        return found  # nothing else is observable (C1 says what such a Snapshot shows)
    if w.logged_in and w.device == "OPENED":
        _calls(w, belief, gone, found)
    elif not w.logged_in:
        _stale(w, belief, gone, found)
    _agent(w, belief, found)
    return found


def _at(told: Told | None) -> tuple[int | None, str]:
    return (told.index, told.path) if told is not None else (None, "$")


#: (what, its true state) -> how a message says it, and the hint that fixes a wrong telling.
_LINK_AND_DEVICE: Final = {
    ("link", "DISCONNECTED"): (
        "the link to the CTI server is down",
        "send a Snapshot with pyLinkState 'DISCONNECTED' (agent Unknown, pyLines [])",
    ),
    ("link", "CONNECTED"): (
        "the link to the CTI server is up",
        "after the link comes back, send a Snapshot with pyLinkState 'CONNECTED' restating the calls",
    ),
    ("device", "CLOSED"): ("the device is no longer monitored", "send a Snapshot with pyDeviceState 'CLOSED' and pyLines []"),
    ("device", "OPENED"): ("the device is monitored", "a Snapshot of a logged-in, monitored device says pyDeviceState 'OPENED'"),
}


def _link_and_device(w: World, belief: Belief, found: list[Disagreement]) -> None:
    if not w.logged_in:
        return  # after logout, the Snapshot's device and lines are L5's business
    for what, truth, told in (("link", w.link, belief.link), ("device", w.device, belief.device)):
        said = told.value if told else None
        if said == truth or (said is None and truth in ("CONNECTED", "OPENED")):  # not told yet: as it was at login
            continue
        state, hint = _LINK_AND_DEVICE[(what, truth)]
        found.append(Disagreement("O5", *_at(told), f"{state} but Pega Call was {'last told' if said else 'told'} {_said(said)}", hint))


def _said(value: str | None) -> str:
    return "nothing" if value is None else repr(value)


def _calls(w: World, belief: Belief, gone: Mapping[str, str], found: list[Disagreement]) -> None:
    for call_id, call in w.calls.items():
        told = belief.calls.get(call_id)
        if told is None:
            ended = belief.ended.get(call_id)
            if ended is not None:
                found.append(
                    Disagreement(
                        "O1",
                        ended.index,
                        ended.path,
                        f"call {call_id!r} is live ({call.line_state}) but Pega Call was told it ended",
                        "a call leaves Pega Call's panel only when it ends: keep it (and its line) until it does",
                    )
                )
            else:
                found.append(
                    Disagreement(
                        "O1",
                        None,
                        "$",
                        f"call {call_id!r} is live ({call.line_state}) but Pega Call was never told of it",
                        _tell(call.line_state),
                    )
                )
        elif not _agrees(call.line_state, told.value):
            found.append(
                Disagreement(
                    "O2",
                    told.index,
                    told.path,
                    f"call {call_id!r} is {call.line_state} but Pega Call was last told {told.value!r}",
                    _tell(call.line_state),
                )
            )
    _stale(w, belief, gone, found)


def _stale(w: World, belief: Belief, gone: Mapping[str, str], found: list[Disagreement]) -> None:
    for call_id, told in belief.calls.items():
        if call_id in w.calls:
            continue
        why = f"it ended at {gone[call_id]}" if call_id in gone else "the contact centre has no such call"
        found.append(
            Disagreement(
                "O3",
                told.index,
                told.path,
                f"Pega Call still shows call {call_id!r} as {told.value!r}, but {why}",
                "send its Disconnected (or Abandoned) CallStateEvent, or a Snapshot without the line",
            )
        )


def _agrees(truth: str, told: str) -> bool:
    return told == truth or (truth in TALKING and told in TALKING)


_TELL: Final = {
    "Alerting": "when a call rings, send a CallStateEvent Alerting (or Offering) for it, or a Snapshot listing it 'Alerting'",
    "Connected": "when a call is answered, send a CallStateEvent Established (or Connected), or a Snapshot listing it 'Connected'",
    "Retrieved": "when a held call is taken back, send a CallStateEvent Retrieved, or a Snapshot listing it 'Retrieved'",
    "Holding": "when a call is put on hold, send a CallStateEvent Held, or a Snapshot listing it 'Holding'",
    "Initiate": "when the agent dials, send a CallStateEvent Initiated, or a Snapshot listing it 'Initiate'",
}


def _tell(line_state: str) -> str:
    return _TELL[line_state]


def _agent(w: World, belief: Belief, found: list[Disagreement]) -> None:
    told = belief.agent.value if belief.agent else None
    if told is None:
        found.append(Disagreement("O4", None, "$", "Pega Call was never told the agent's state", "send a Snapshot after login"))
        return
    accepted = {w.agent_state}
    if w.logged_in and w.calls:
        accepted.add("Busy")
    if w.acd_chooses and w.logged_in:
        accepted |= {"Ready", "NotReady"}
        if w.agent_state == "Login":
            accepted.add("Unknown")  # the ACD has not reported the agent yet
    if told not in accepted:
        expected = f"{w.agent_state}" + (
            f" with reason code {w.reason_code!r}" if w.agent_state in ("NotReady", "Logout") and w.reason_code else ""
        )
        if w.logged_in and w.calls:
            expected += " (or Busy while a call is live)"
        found.append(
            Disagreement(
                "O4",
                *_at(belief.agent),
                f"the agent is {expected} but Pega Call was last told {told!r}",
                "forward an AgentStateEvent (or a Snapshot) with the agent's new state when it changes",
            )
        )
        return
    if told != w.agent_state or w.reason_code is None or w.agent_state not in ("NotReady", "Logout") or w.acd_chooses:
        return
    reason = belief.reason.value if belief.reason else ""
    if reason != w.reason_code and not (reason in _NO_REASON and w.reason_code in _NO_REASON):
        found.append(
            Disagreement(
                "O4",
                *_at(belief.reason),
                f"the agent is {w.agent_state} with reason code {w.reason_code!r} but Pega Call was told {reason!r}",
                "carry the reason code the agent chose in pyReasonCode, as a string",
            )
        )
