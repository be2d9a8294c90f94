"""The contact centre as one state machine: what can happen next, and what is then true.

Why: the scenarios, the Hypothesis event streams and the conformance kit all need the same two
answers: which things can happen from here (an offered call can be answered, a held one
retrieved), and what the world is like afterwards (the call is Holding, the agent NotReady with
reason "12"). Stated once here, every reference stream is written from it (:mod:`stream_writer`)
and every connector is judged against it (:mod:`oracle`).

The world is the agent (logged out, or logged in with a state and a reason code), the device
(``OPENED``/``CLOSED``), the link to the CTI server (``CONNECTED``/``DISCONNECTED``) and the
live calls (id, call type, line state in Snapshot words, other party). A transition is a thing
that happens in a contact centre; each has a precondition and an effect. Call ids, numbers and
reason codes are strings, as Pega Call receives them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

#: Line states of a live call (Snapshot ``pyLineState`` words).
LIVE_STATES: Final = ("Alerting", "Connected", "Holding", "Retrieved", "Initiate")
#: The agent is talking on a line in one of these.
TALKING: Final = frozenset({"Connected", "Retrieved"})
#: C7's active lines: at most one at a time.
ACTIVE: Final = frozenset({"Alerting", "Connected", "Retrieved"})
#: Calls one agent's device holds at most (a held call, a consult call and one more offered).
MAX_CALLS: Final = 3


class ModelError(ValueError):
    """A transition asked of the model that cannot happen now (its precondition does not hold)."""


@dataclass
class Call:
    """One live call at the agent's device."""

    call_id: str
    call_type: str  # INBOUND, OUTBOUND or CONSULT (CallEvent's pyCallType)
    line_state: str  # one of LIVE_STATES
    other_dn: str  # the far end as the device sees it
    consult_of: str | None = None  # for a consult call: the held call it was made from
    parties: tuple[str, ...] = ()  # the far ends, a conference's several

    def __post_init__(self) -> None:
        if not self.parties:
            self.parties = (self.other_dn,)


@dataclass
class World:
    """The contact centre as it is: the one truth a connector's events must describe."""

    logged_in: bool = False
    agent_id: str | None = None
    extension: str | None = None
    #: a Snapshot pyAgentState, never Busy: Busy is how a talking agent is *shown*, not a state set
    agent_state: str = "Logout"
    #: the reason the state carries; None when the ACD picks its own (after-call work)
    reason_code: str | None = ""
    #: after login, or after the last call ends with no state requested during it, the ACD may
    #: put the agent where it likes (after-call work, NotReady after a missed call)
    acd_chooses: bool = False
    #: an agent transition happened while a call was live (it must show once the last call ends)
    requested_during_calls: bool = False
    link: str = "CONNECTED"
    device: str = "CLOSED"
    calls: dict[str, Call] = field(default_factory=dict)

    def copy(self) -> World:
        return copy.deepcopy(self)

    @property
    def observable(self) -> bool:
        """Calls and agent changes are seen: logged in, link up, device monitored."""
        return self.logged_in and self.link == "CONNECTED" and self.device == "OPENED"

    def in_state(self, *states: str) -> list[str]:
        """Ids of the live calls whose line is in one of ``states``, oldest first."""
        return [call_id for call_id, call in self.calls.items() if call.line_state in states]

    def consult_calls(self) -> list[str]:
        """Consult calls that are talking and whose original call is still held."""
        return [
            call_id
            for call_id, call in self.calls.items()
            if call.consult_of is not None and call.line_state in TALKING and call.consult_of in self.calls
        ]

    def held_without_consult(self) -> list[str]:
        consulted = {call.consult_of for call in self.calls.values()}
        return [call_id for call_id in self.in_state("Holding") if self.calls[call_id].consult_of is None and call_id not in consulted]


# -- preconditions -------------------------------------------------------------------------------
def _can_change_agent(w: World) -> bool:
    return w.observable


def _only_held(w: World) -> bool:
    """Every other call is on hold: a new call may ring or be dialled without two active lines."""
    return all(call.line_state == "Holding" for call in w.calls.values())


def _no_calls(w: World) -> bool:
    return not w.calls


# -- effects ---------------------------------------------------------------------------------------
def _set_agent(w: World, state: str, reason: str | None) -> None:
    w.agent_state, w.reason_code, w.acd_chooses = state, reason, False
    if w.calls:
        w.requested_during_calls = True


def _call_ended(w: World, call_id: str) -> None:
    del w.calls[call_id]
    if not w.calls:
        w.acd_chooses = not w.requested_during_calls
        w.requested_during_calls = False


def _login(w: World, agent_id: str, extension: str) -> None:
    w.logged_in, w.agent_id, w.extension = True, agent_id, extension
    w.agent_state, w.reason_code, w.acd_chooses = "Login", "", True
    w.link, w.device, w.calls = "CONNECTED", "OPENED", {}


def _logout(w: World, reason_code: str) -> None:
    w.logged_in, w.agent_state, w.reason_code, w.acd_chooses = False, "Logout", reason_code, False
    w.device = "CLOSED"


def _ready(w: World) -> None:
    _set_agent(w, "Ready", "")


def _not_ready(w: World, reason_code: str) -> None:
    _set_agent(w, "NotReady", reason_code)


def _after_call_work(w: World) -> None:
    _set_agent(w, "NotReady", None)


def _call_offered(w: World, call_id: str, caller: str) -> None:
    w.calls[call_id] = Call(call_id, "INBOUND", "Alerting", caller)


def _answer(w: World, call_id: str) -> None:
    w.calls[call_id].line_state = "Connected"


def _hold(w: World, call_id: str) -> None:
    w.calls[call_id].line_state = "Holding"


def _retrieve(w: World, call_id: str) -> None:
    w.calls[call_id].line_state = "Retrieved"


def _dial(w: World, call_id: str, number: str) -> None:
    w.calls[call_id] = Call(call_id, "OUTBOUND", "Initiate", number)


def _consult(w: World, call_id: str, number: str) -> None:
    w.calls[call_id] = Call(call_id, "CONSULT", "Initiate", number, consult_of=w.held_without_consult()[-1])


def _far_end_answers(w: World, call_id: str) -> None:
    w.calls[call_id].line_state = "Connected"


def _transfer_complete(w: World, call_id: str) -> None:
    original = w.calls[call_id].consult_of
    assert original is not None
    del w.calls[original]
    _call_ended(w, call_id)


def _conference_complete(w: World, call_id: str) -> None:
    consult = w.calls.pop(call_id)
    assert consult.consult_of is not None
    original = w.calls[consult.consult_of]
    original.line_state = "Connected"
    original.parties = (*original.parties, consult.other_dn)


def _link_down(w: World) -> None:
    w.link = "DISCONNECTED"


def _link_up(w: World) -> None:
    w.link = "CONNECTED"


def _device_closed(w: World) -> None:
    w.device = "CLOSED"


@dataclass(frozen=True)
class Transition:
    """One thing that can happen in a contact centre.

    ``params`` are its arguments in order (a transition on a call takes the call id first);
    ``new_call`` marks the ones whose call id is a new call's; ``targets`` lists the live
    calls a transition on an existing call may apply to (the ids its first argument may be);
    ``expects`` says, for the README's table and for messages, what the oracle then expects Pega
    Call to have been told.
    """

    name: str
    params: tuple[str, ...]
    doc: str
    expects: str
    enabled: Callable[[World], bool]
    effect: Callable[..., None]
    targets: Callable[[World], list[str]] | None = None
    new_call: bool = False

    def possible(self, w: World) -> bool:
        if not self.enabled(w):
            return False
        return self.targets is None or bool(self.targets(w))


def _on_call(states: tuple[str, ...]) -> Callable[[World], list[str]]:
    def targets(w: World) -> list[str]:
        return w.in_state(*states) if w.observable else []

    return targets


def _retrievable(w: World) -> list[str]:
    if not w.observable or any(call.line_state != "Holding" for call in w.calls.values()):
        return []
    return w.in_state("Holding")


def _consult_targets(w: World) -> list[str]:
    return w.consult_calls() if w.observable else []


def _t(
    name: str,
    params: tuple[str, ...],
    doc: str,
    expects: str,
    enabled: Callable[[World], bool],
    effect: Callable[..., None],
    targets: Callable[[World], list[str]] | None = None,
    *,
    new_call: bool = False,
) -> Transition:
    return Transition(name, params, doc, expects, enabled, effect, targets, new_call)


#: Every transition, in the order the README's table lists them.
TRANSITIONS: Final[Mapping[str, Transition]] = {
    t.name: t
    for t in (
        _t(
            "login",
            ("agent_id", "extension"),
            "the agent logs in at an extension (always the first step of a shift)",
            "a Snapshot with that agent and extension, link CONNECTED, device OPENED, no calls",
            lambda w: not w.logged_in,
            _login,
        ),
        _t(
            "logout",
            ("reason_code",),
            "the agent logs out (no call is live)",
            "pyAgentState 'Logout' with that reason code (and the post-logout Snapshot, L2)",
            lambda w: w.logged_in and w.link == "CONNECTED" and not w.calls,
            _logout,
        ),
        _t(
            "ready",
            (),
            "the agent becomes Ready",
            "Ready (Busy while a call is live; Ready once the last one ends)",
            lambda w: _can_change_agent(w) and (w.agent_state != "Ready" or w.acd_chooses),
            _ready,
        ),
        _t(
            "not_ready",
            ("reason_code",),
            "the agent becomes NotReady with a reason code",
            "NotReady with that reason code ('' and '0' both mean none)",
            _can_change_agent,
            _not_ready,
        ),
        _t(
            "after_call_work",
            (),
            "the agent goes into after-call work (no call is live)",
            "NotReady, any reason code (the ACD's own for after-call work)",
            lambda w: _can_change_agent(w) and _no_calls(w) and not (w.agent_state == "NotReady" and w.reason_code is None),
            _after_call_work,
        ),
        _t(
            "call_offered",
            ("call_id", "caller"),
            "an inbound call rings at the agent's device (other calls, if any, are held)",
            "that call Alerting (a CallStateEvent Alerting or Offering, or a Snapshot line)",
            lambda w: _can_change_agent(w) and _only_held(w) and len(w.calls) < MAX_CALLS,
            _call_offered,
            new_call=True,
        ),
        _t(
            "answer",
            ("call_id",),
            "the agent answers a ringing call",
            "that call Connected (Established or Connected)",
            lambda w: True,
            _answer,
            _on_call(("Alerting",)),
        ),
        _t(
            "caller_hangs_up",
            ("call_id",),
            "the far end hangs up an answered call (talking or held)",
            "that call gone (Disconnected, or a Snapshot without it)",
            lambda w: True,
            lambda w, call_id: _call_ended(w, call_id),
            _on_call(("Connected", "Retrieved", "Holding")),
        ),
        _t(
            "abandoned",
            ("call_id",),
            "a ringing call stops ringing unanswered (a missed call)",
            "that call gone (Abandoned or Disconnected)",
            lambda w: True,
            lambda w, call_id: _call_ended(w, call_id),
            _on_call(("Alerting",)),
        ),
        _t(
            "hang_up",
            ("call_id",),
            "the agent hangs up a call (talking, held or still dialling)",
            "that call gone",
            lambda w: True,
            lambda w, call_id: _call_ended(w, call_id),
            _on_call(("Connected", "Retrieved", "Holding", "Initiate")),
        ),
        _t(
            "hold",
            ("call_id",),
            "the agent puts a talking call on hold",
            "that call Holding",
            lambda w: True,
            _hold,
            _on_call(("Connected", "Retrieved")),
        ),
        _t(
            "retrieve",
            ("call_id",),
            "the agent takes a held call back (no other call is active)",
            "that call Retrieved (or Connected)",
            lambda w: True,
            _retrieve,
            _retrievable,
        ),
        _t(
            "dial",
            ("call_id", "number"),
            "the agent dials out (no call is live); the new call is call_id",
            "that call Initiate (Initiated)",
            lambda w: _can_change_agent(w) and _no_calls(w),
            _dial,
            new_call=True,
        ),
        _t(
            "far_end_answers",
            ("call_id",),
            "the dialled party answers an outbound or consult call",
            "that call Connected (Established)",
            lambda w: True,
            _far_end_answers,
            _on_call(("Initiate",)),
        ),
        _t(
            "consult",
            ("call_id", "number"),
            "with a call on hold, the agent dials a colleague; the new consult call is call_id",
            "that call Initiate; the held call still Holding",
            lambda w: _can_change_agent(w) and _only_held(w) and bool(w.held_without_consult()) and len(w.calls) < MAX_CALLS,
            _consult,
            new_call=True,
        ),
        _t(
            "transfer_complete",
            ("call_id",),
            "the agent completes the transfer of the held call to the consult call's party (call_id: the consult call)",
            "both calls gone",
            lambda w: True,
            _transfer_complete,
            _consult_targets,
        ),
        _t(
            "conference_complete",
            ("call_id",),
            "the agent joins the held call and the consult call (call_id: the consult call) into a conference",
            "the consult call gone; the held call Connected (or Retrieved) with every party",
            lambda w: True,
            _conference_complete,
            _consult_targets,
        ),
        _t(
            "link_down",
            (),
            "the connection to the CTI server drops",
            "a Snapshot with pyLinkState DISCONNECTED",
            lambda w: w.logged_in and w.link == "CONNECTED",
            _link_down,
        ),
        _t(
            "link_up",
            (),
            "the connection to the CTI server comes back",
            "a Snapshot with pyLinkState CONNECTED restating every live call and the agent state",
            lambda w: w.logged_in and w.link == "DISCONNECTED",
            _link_up,
        ),
        _t(
            "device_closed",
            (),
            "the device stops being monitored (no call is live); only logout follows",
            "a Snapshot with pyDeviceState CLOSED and no lines",
            lambda w: w.observable and _no_calls(w),
            _device_closed,
        ),
    )
}


def possible(w: World) -> list[str]:
    """The names of the transitions that can happen from ``w``, in table order."""
    return [name for name, t in TRANSITIONS.items() if t.possible(w)]


def check(w: World, name: str, *args: str) -> Transition:
    """The transition ``name`` if it can happen from ``w`` with ``args``; a :class:`ModelError` saying why not."""
    t = TRANSITIONS.get(name)
    if t is None:
        raise ModelError(f"unknown transition {name!r}: choose one of {', '.join(TRANSITIONS)}")
    if len(args) != len(t.params):
        raise ModelError(f"{name}({', '.join(t.params)}) takes {len(t.params)} argument(s), got {len(args)}")
    for param, value in zip(t.params, args, strict=True):
        if not (isinstance(value, str) and value) and param != "reason_code":
            raise ModelError(f"{name}: {param} must be a non-empty string, got {value!r}")
        if not isinstance(value, str):
            raise ModelError(f"{name}: {param} must be a string, got {value!r}")
    if not t.possible(w):
        raise ModelError(f"{name} cannot happen now: {describe(w)}")
    if t.new_call and args[0] in w.calls:
        raise ModelError(f"{name}: call {args[0]!r} is already live")
    if t.targets is not None and args[0] not in t.targets(w):
        raise ModelError(f"{name}: call {args[0]!r} is not one it can apply to now ({', '.join(map(repr, t.targets(w)))}); {describe(w)}")
    return t


def apply(w: World, name: str, *args: str) -> World:
    """The world after transition ``name(*args)`` from ``w`` (``w`` itself is left as it was)."""
    t = check(w, name, *args)
    after = w.copy()
    t.effect(after, *args)
    return after


def describe(w: World) -> str:
    """The world in one line, for messages."""
    if not w.logged_in:
        return "the agent is logged out"
    calls = ", ".join(f"{call_id!r} {call.line_state}" for call_id, call in w.calls.items()) or "no calls"
    reason = f" ({w.reason_code!r})" if w.agent_state == "NotReady" and w.reason_code else ""
    return f"agent {w.agent_state}{reason}, link {w.link}, device {w.device}, {calls}"
