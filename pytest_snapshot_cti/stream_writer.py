"""The one writer of reference streams: a transition of the model in, what a correct connector forwards out.

Why: the factory scenarios and the Hypothesis event streams used to keep two near-copies of
"which events follow a hold, and what the next Snapshot says". Both now drive :class:`StreamWriter`
through the model's transitions; only the *voice* differs (how the details look: Faker values
for scenarios, Hypothesis draws for strategies, and which of Pega's equivalent names to use).

:class:`Steps` names every transition as a method, so a scenario is written once as a script of
transitions and read by two interpreters: this writer (events) and the conformance kit (a
connector driven through them, :mod:`conformance`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, Protocol, TypeVar

from . import model
from .model import Call, World

Event = dict[str, Any]
T = TypeVar("T")

#: CallStateEvent pyEventName -> Snapshot pyLineState (None: the line is gone), reference §2.5.
LINE_STATE_OF_CALL_EVENT: Final = {
    "Alerting": "Alerting",
    "Offering": "Alerting",  # Pega's event for a new inbound call (erratum E25)
    "Initiated": "Initiate",
    "Established": "Connected",
    "Connected": "Connected",
    "Held": "Holding",
    "Retrieved": "Retrieved",
    "Disconnected": None,
    "Abandoned": None,
}

#: The CallStateEvent names a correct connector may forward for each call transition (first: the usual one).
CALL_EVENT_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "call_offered": ("Alerting", "Offering"),
    "answer": ("Established", "Connected"),
    "far_end_answers": ("Established", "Connected"),
    "hold": ("Held",),
    "retrieve": ("Retrieved",),
    "dial": ("Initiated",),
    "consult": ("Initiated",),
    "caller_hangs_up": ("Disconnected",),
    "hang_up": ("Disconnected",),
    "abandoned": ("Abandoned",),
}


class Voice(Protocol):
    """How the events of a stream look; the writer decides which events there are."""

    #: a Snapshot shows Busy while only a ringing call is live (both are correct)
    busy_while_alerting: bool

    def choose(self, options: Sequence[T]) -> T:
        """One of ``options`` (the writer's equally correct alternatives; the first is the usual one)."""

    def agent_event(self, name: str, reason: str | None, acw: bool) -> Event:
        """An AgentStateEvent ``name``; ``reason`` None: the voice picks one (it is read back from the event)."""

    def call_event(self, name: str, call: Call, extension: str) -> Event: ...

    def snapshot(self, w: World, agent_state: str, lines: list[tuple[str, str]], reason: str) -> Event: ...

    def party_info(self, call_id: str, extension: str, parties: Sequence[str]) -> Event: ...

    def no_reason(self) -> str:
        """What this ACD sends for "no reason code" ('' or '0')."""


class PlainVoice:
    """Events in the plainest correct form: the usual name of each alternative, ``Phone`` media,
    ``AfterCallWork`` for after-call work; what :func:`reference_events` writes. Subclasses vary it."""

    busy_while_alerting = False

    def choose(self, options: Sequence[T]) -> T:
        return options[0]

    def pick_reason(self, name: str) -> str:
        """The reason code of an agent event the transition gave none for (a logout's, a NotReady's)."""
        return ""

    def agent_event(self, name: str, reason: str | None, acw: bool) -> Event:
        if reason is None:
            reason = "AfterCallWork" if acw else self.pick_reason(name)
        doc: Event = {"pyEventType": "AgentStateEvent", "pyEventName": name, "pyMedia": "Phone", "pyReasonCode": reason}
        if name == "Ready":
            doc["pyWorkMode"] = "MODE_AUTO_IN"
        elif name == "NotReady":
            doc["pyWorkMode"] = "ACW" if reason in ("AfterCallWork", "ACW") else "AUX_WORK"
        return doc

    def call_event(self, name: str, call: Call, extension: str) -> Event:
        return {
            "pyEventType": "CallStateEvent",
            "pyEventName": name,
            "pyCallId": call.call_id,
            "pyCallType": call.call_type,
            "pyANI": extension if call.call_type in ("OUTBOUND", "CONSULT") else call.other_dn,
            "pyOtherDN": call.other_dn,
            "pyMedia": "Phone",
        }

    def snapshot(self, w: World, agent_state: str, lines: list[tuple[str, str]], reason: str) -> Event:
        return {
            "pyEventType": "SnapshotEvent",
            "pyEventName": "Snapshot",
            "pyAgentId": w.agent_id,
            "pyAgentState": agent_state,
            "pyThisDN": w.extension,
            "pyLinkState": w.link,
            "pyDeviceState": w.device,
            "pyLines": [{"pyCallId": call_id, "pyLineState": state} for call_id, state in lines],
            "pyMedia": "Phone",
            "pyReasonCode": reason,
        }

    def party_info(self, call_id: str, extension: str, parties: Sequence[str]) -> Event:
        return {
            "pyEventType": "PartyInfoEvent",
            "pyEventName": "PartyInfo",
            "pyCallId": call_id,
            "pyThisDN": extension,
            "pyMedia": "Phone",
            "pyParties": [{"pyDN": dn} for dn in (extension, *parties)],
        }

    def no_reason(self) -> str:
        return ""


def reference_events(w: World, name: str, *args: str, voice: Voice | None = None) -> list[Event]:
    """What a correct connector forwards when transition ``name(*args)`` happens in ``w`` (the model's
    reference stream for one step; Snapshots only where the reference requires one)."""
    writer = StreamWriter(voice if voice is not None else PlainVoice())
    writer.world = w.copy()
    writer._told_reason = w.reason_code or ""
    writer.step(name, *args)
    return writer.events


class ScriptValues(Protocol):
    """Where scenario scripts take their values from: an :class:`~pytest_snapshot_cti.factories.EventFactory`
    (named by what it does, so the writer does not import the factories that write scenarios with it)."""

    def new_call_id(self) -> str: ...

    def external_number(self) -> str: ...

    def colleague_extension(self) -> str: ...


class Steps:
    """Every model transition as a method; a subclass says what a step does (:meth:`step`).

    Scenario scripts call these, plus :meth:`snapshot` and :meth:`party_info` where the
    reference stream has one; an interpreter that drives a connector ignores those two.
    """

    world: World
    #: where scenario scripts take their values (call ids, numbers) from, and the agent they log in
    factory: ScriptValues
    agent_id: str
    extension: str

    def step(self, name: str, *args: str | None, **options: Any) -> None:
        raise NotImplementedError

    def snapshot(self) -> None:
        """A Snapshot of the world as it is (written by the stream writer only)."""

    def party_info(self, call_id: str, *parties: str) -> None:
        """A PartyInfoEvent for ``call_id`` (written by the stream writer only)."""

    # agent
    def login(self, agent_id: str, extension: str) -> None:
        self.step("login", agent_id, extension)

    def logout(self, reason_code: str | None = None) -> None:
        self.step("logout", reason_code)

    def ready(self) -> None:
        self.step("ready")

    def not_ready(self, reason_code: str | None = None) -> None:
        self.step("not_ready", reason_code)

    def after_call_work(self) -> None:
        self.step("after_call_work")

    # calls
    def call_offered(self, call_id: str, caller: str, **options: Any) -> None:
        self.step("call_offered", call_id, caller, **options)

    def answer(self, call_id: str, **options: Any) -> None:
        self.step("answer", call_id, **options)

    def caller_hangs_up(self, call_id: str) -> None:
        self.step("caller_hangs_up", call_id)

    def abandoned(self, call_id: str) -> None:
        self.step("abandoned", call_id)

    def hang_up(self, call_id: str) -> None:
        self.step("hang_up", call_id)

    def hold(self, call_id: str) -> None:
        self.step("hold", call_id)

    def retrieve(self, call_id: str) -> None:
        self.step("retrieve", call_id)

    def dial(self, call_id: str, number: str) -> None:
        self.step("dial", call_id, number)

    def far_end_answers(self, call_id: str, **options: Any) -> None:
        self.step("far_end_answers", call_id, **options)

    def consult(self, call_id: str, number: str) -> None:
        self.step("consult", call_id, number)

    def transfer_complete(self, call_id: str) -> None:
        self.step("transfer_complete", call_id)

    def conference_complete(self, call_id: str) -> None:
        self.step("conference_complete", call_id)

    # link and device
    def link_down(self) -> None:
        self.step("link_down")

    def link_up(self) -> None:
        self.step("link_up")

    def device_closed(self) -> None:
        self.step("device_closed")


class StreamWriter(Steps):
    """Applies each transition to the model and writes the events a correct connector forwards.

    Snapshots the reference requires (after login, logout, a link change or a closed device)
    are written by the step; elsewhere a Snapshot is optional and written only when asked
    (:meth:`snapshot`, or :meth:`maybe_snapshot` to let the voice decide).
    ``marks`` holds the index of the Snapshot each ``login``/``logout``/``link_down``/``link_up``
    step wrote last (mutations of a stream aim at them).
    """

    def __init__(self, voice: Voice) -> None:
        self.voice = voice
        self.world = World()
        self.events: list[Event] = []
        self.marks: dict[str, int] = {}
        self._told_reason = ""  # the reason code of the last agent event forwarded

    # -- writing ------------------------------------------------------------------------------
    def snapshot(self) -> None:
        w = self.world
        observable = w.link == "CONNECTED" and w.device == "OPENED" and w.logged_in
        lines = [(call_id, call.line_state) for call_id, call in w.calls.items()] if observable else []
        if w.link == "DISCONNECTED":
            state = "Unknown"
        elif not w.logged_in:
            state = "Logout"
        elif lines and (self.voice.busy_while_alerting or any(s != "Alerting" for _, s in lines)):
            state = "Busy"
        else:
            state = w.agent_state
        reason = self._told_reason if state in ("NotReady", "Logout") else self.voice.no_reason()
        self.events.append(self.voice.snapshot(w, state, lines, reason))

    def maybe_snapshot(self) -> None:
        if self.voice.choose((False, True)):
            self.snapshot()

    def party_info(self, call_id: str, *parties: str) -> None:
        assert self.world.extension is not None
        self.events.append(self.voice.party_info(call_id, self.world.extension, parties))

    def _agent(self, name: str, reason: str | None, *, acw: bool = False) -> str:
        event = self.voice.agent_event(name, reason, acw)
        self._told_reason = str(event.get("pyReasonCode", ""))
        self.events.append(event)
        return self._told_reason

    def _call(self, name: str, call: Call) -> None:
        assert self.world.extension is not None
        self.events.append(self.voice.call_event(name, call, self.world.extension))

    def _mark(self, name: str) -> None:
        self.marks[name] = len(self.events) - 1

    # -- one transition -----------------------------------------------------------------------
    def step(self, name: str, *args: str | None, event_name: str | None = None, **options: Any) -> None:
        """Apply transition ``name`` to the model and write its events.

        An agent transition's ``None`` reason code is the voice's pick; ``event_name`` picks
        the CallStateEvent name among the equivalent ones (``"Offering"`` for ``call_offered``).
        """
        if options:
            raise TypeError(f"{name}: unexpected option {', '.join(options)}")
        before = self.world
        if name in ("logout", "not_ready"):
            agent_name = "Logout" if name == "logout" else "NotReady"
            reason = self._agent(agent_name, args[0])
            self.world = model.apply(before, name, reason)
            if name == "logout":
                self.snapshot()
                self._mark("logout")
            return
        if name == "ready":
            self.world = model.apply(before, name)
            self._agent("Ready", None)
            return
        if name == "after_call_work":
            self.world = model.apply(before, name)
            self._agent("NotReady", None, acw=True)
            return
        strings = tuple(str(a) for a in args)
        self.world = after = model.apply(before, name, *strings)
        if name == "login":
            if self.voice.choose((False, True)):
                self._agent("Login", "")
            self.snapshot()
            self._mark("login")
        elif name in ("link_down", "link_up", "device_closed"):
            self.snapshot()
            self._mark(name)
        elif name == "transfer_complete":
            consult = before.calls[strings[0]]
            assert consult.consult_of is not None
            self._call("Disconnected", before.calls[consult.consult_of])
            self._call("Disconnected", consult)
        elif name == "conference_complete":
            consult = before.calls[strings[0]]
            assert consult.consult_of is not None
            original = after.calls[consult.consult_of]
            self._call("Disconnected", consult)
            self._call(self.voice.choose(("Connected", "Retrieved")), original)
            self.party_info(original.call_id, *original.parties)
        else:
            call = after.calls.get(strings[0]) or before.calls[strings[0]]
            names = CALL_EVENT_NAMES[name]
            if event_name is not None and event_name not in names:
                raise ValueError(f"{name}: event_name must be one of {', '.join(names)}, got {event_name!r}")
            self._call(event_name or self.voice.choose(names), call)
