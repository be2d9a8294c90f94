"""Call-centre scenarios: fixed scripts of the model's transitions, and the streams they write.

Each scenario is a script of transitions (:mod:`model`) written once and read twice: by the
stream writer, which turns it into the ``forwardEvent`` stream a correct connector sends
(honouring L1–L5 and C1–C7, in an :class:`EventFactory`'s voice), and by the conformance kit,
which drives a team's connector through the same transitions.

A scenario starts right after a successful login (Snapshot ``Login``, then AgentStateEvent
``Ready``), so ``contract.check_stream(events, login={"agent_id": ..., "extension": ...})``
holds; ``logout=True`` (the default of the ``logout`` scenario) ends it with the
post-logout Snapshot. Every Snapshot restates the lines exactly as the CallStateEvents
before it left them (reference §2.5: Alerting→Alerting, Initiated→Initiate,
Established→Connected, Held→Holding, Retrieved→Retrieved, Disconnected/Abandoned→gone).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Protocol, TypeVar

from .model import Call, World
from .stream_writer import LINE_STATE_OF_CALL_EVENT, Event, ScriptValues, Steps, StreamWriter

__all__ = ["LINE_STATE_OF_CALL_EVENT", "SCENARIOS", "FactoryVoice", "Script", "build", "parameters", "story"]

T = TypeVar("T")


class ScenarioFactory(ScriptValues, Protocol):
    """What a scenario takes from an :class:`~pytest_snapshot_cti.factories.EventFactory`: its agent, its values and
    its events (named by what it does: the factories call :func:`build`, so this module does not import them)."""

    agent_id: str
    extension: str

    def reason_code(self, kind: str) -> str: ...

    def agent_event(self, state: str | None = None, *, acw: bool = False) -> Event: ...

    def call_event(
        self, state: str | None = None, *, call_id: str | None = None, call_type: str | None = None, other_dn: str | None = None
    ) -> Event: ...

    def build_snapshot(
        self, agent_state: str, lines: Iterable[tuple[str, str]] = (), *, link: str = "CONNECTED", device: str = "OPENED", reason: str = ""
    ) -> Event: ...

    def party_info(self, call_id: str | None = None, *, parties: Sequence[str] | None = None) -> Event: ...


class FactoryVoice:
    """Scenario events as an :class:`EventFactory` makes them (its Faker values, its ACD's reason codes)."""

    busy_while_alerting = True

    def __init__(self, factory: ScenarioFactory) -> None:
        self.factory = factory

    def choose(self, options: Sequence[T]) -> T:
        return options[0]

    def agent_event(self, name: str, reason: str | None, acw: bool) -> Event:
        event = self.factory.agent_event(name, acw=acw)
        if reason is not None:
            event["pyReasonCode"] = reason
        return event

    def call_event(self, name: str, call: Call, extension: str) -> Event:
        event = self.factory.call_event(name, call_id=call.call_id, call_type=call.call_type, other_dn=call.other_dn)
        if call.call_type in ("OUTBOUND", "CONSULT"):
            event["pyANI"] = extension
        return event

    def snapshot(self, w: World, agent_state: str, lines: list[tuple[str, str]], reason: str) -> Event:
        event = self.factory.build_snapshot(agent_state, lines, link=w.link, device=w.device, reason=reason)
        event["pyAgentId"] = w.agent_id
        event["pyThisDN"] = w.extension
        return event

    def party_info(self, call_id: str, extension: str, parties: Sequence[str]) -> Event:
        event = self.factory.party_info(call_id, parties=parties)
        event["pyThisDN"] = extension
        event["pyParties"][0]["pyDN"] = extension
        return event

    def no_reason(self) -> str:
        return self.factory.reason_code("")


class Script(StreamWriter):
    """One agent's scenario being written: the model's transitions in the factory's voice."""

    def __init__(self, factory: ScenarioFactory, agent_id: str, extension: str) -> None:
        super().__init__(FactoryVoice(factory))
        self.factory = factory
        self.agent_id = agent_id
        self.extension = extension

    def logged_in(self) -> None:
        logged_in(self, self.agent_id, self.extension)

    def logged_out(self) -> None:
        logged_out(self)


# -- recurring fragments (scripts of transitions: read by the writer and by the conformance kit) --
def logged_in(s: Steps, agent_id: str, extension: str) -> None:
    """Login (Snapshot Login) → the agent Ready."""
    s.login(agent_id, extension)
    s.ready()


def after_call_work(s: Steps) -> None:
    s.after_call_work()
    s.snapshot()
    s.ready()
    s.snapshot()


def logged_out(s: Steps) -> None:
    """NotReady (unless already) → logout: the post-logout Snapshot (Logout, CLOSED, [])."""
    if s.world.agent_state != "NotReady":
        s.not_ready()
        s.snapshot()
    s.logout()


def _login(s: Steps) -> None:
    """Snapshot Login → AgentStateEvent Ready → Snapshot Ready."""
    s.snapshot()


def _logout(s: Steps) -> None:
    """… → AgentStateEvent NotReady → Snapshot NotReady → AgentStateEvent Logout → Snapshot Logout (CLOSED, [])."""
    s.snapshot()


def _inbound_call(s: Steps, *, call_id: str | None = None, caller: str | None = None, hold: bool = True, acw: bool = True) -> None:
    """Alerting → PartyInfo → Established → Held → Retrieved → Disconnected → ACW → Ready, a Snapshot after each step."""
    f = s.factory
    cid = call_id or f.new_call_id()
    number = caller or f.external_number()
    s.call_offered(cid, number)
    s.snapshot()
    s.party_info(cid, number)
    s.answer(cid)
    s.snapshot()
    if hold:
        s.hold(cid)
        s.snapshot()
        s.retrieve(cid)
        s.snapshot()
    s.caller_hangs_up(cid)
    _wrap_up(s, acw)


def _wrap_up(s: Steps, acw: bool) -> None:
    if acw:
        after_call_work(s)
    else:
        s.snapshot()


def _outbound_call(s: Steps, *, call_id: str | None = None, number: str | None = None, acw: bool = True) -> None:
    """Initiated → Established → PartyInfo → Disconnected → ACW → Ready, a Snapshot after each step."""
    f = s.factory
    cid = call_id or f.new_call_id()
    dialled = number or f.external_number()
    s.dial(cid, dialled)
    s.snapshot()
    s.far_end_answers(cid)
    s.snapshot()
    s.party_info(cid, dialled)
    s.hang_up(cid)
    _wrap_up(s, acw)


def _consult_transfer(
    s: Steps,
    *,
    call_id: str | None = None,
    consult_call_id: str | None = None,
    caller: str | None = None,
    target: str | None = None,
    acw: bool = True,
) -> None:
    """Inbound call answered, held; consult call (CONSULT) Initiated → Established; transfer clears both lines."""
    f = s.factory
    original = call_id or f.new_call_id()
    consult = consult_call_id or f.new_call_id()
    number = caller or f.external_number()
    colleague = target or f.colleague_extension()
    s.call_offered(original, number)
    s.snapshot()
    s.answer(original)
    s.snapshot()
    s.party_info(original, number)
    s.hold(original)
    s.snapshot()
    s.consult(consult, colleague)
    s.snapshot()
    s.far_end_answers(consult)
    s.snapshot()
    s.party_info(consult, colleague)
    s.transfer_complete(consult)
    _wrap_up(s, acw)


def _missed_call(s: Steps, *, call_id: str | None = None, caller: str | None = None, reason: str = "MissedCallAgent") -> None:
    """Alerting → Abandoned (not answered) → AgentStateEvent NotReady with ``reason`` → Snapshot NotReady."""
    f = s.factory
    cid = call_id or f.new_call_id()
    number = caller or f.external_number()
    s.call_offered(cid, number)
    s.snapshot()
    s.abandoned(cid)
    s.not_ready(reason)
    s.snapshot()


def _link_drop_reconnect(s: Steps, *, call_id: str | None = None, caller: str | None = None, acw: bool = True) -> None:
    """On a call, the link drops (Snapshot DISCONNECTED, Unknown, []) and comes back restating the call (L3)."""
    f = s.factory
    cid = call_id or f.new_call_id()
    number = caller or f.external_number()
    s.call_offered(cid, number)
    s.answer(cid)
    s.snapshot()
    s.link_down()
    s.link_up()
    s.caller_hangs_up(cid)
    _wrap_up(s, acw)


Builder = Callable[..., None]

_BUILDERS: Final[Mapping[str, tuple[Builder, bool]]] = {
    # name -> (builder, logs out by default)
    "login": (_login, False),
    "logout": (_logout, True),
    "inbound_call": (_inbound_call, False),
    "outbound_call": (_outbound_call, False),
    "consult_transfer": (_consult_transfer, False),
    "missed_call": (_missed_call, False),
    "link_drop_reconnect": (_link_drop_reconnect, False),
}

#: Names accepted by :meth:`EventFactory.scenario`, in documentation order.
SCENARIOS: Final[tuple[str, ...]] = tuple(_BUILDERS)
_COMMON: Final = ("agent_id", "extension", "logout")


def story(events: Iterable[Any]) -> list[str | list[str]]:
    """What a stream tells, ids aside: each call event's name, and each change of the Snapshot's lines.

    Compares a connector's recorded stream with a scenario without tying the test to call
    ids, numbers or timing: ``assert story(cti_recorder.events) == story(expected)``.
    """
    told: list[str | list[str]] = []
    lines: list[str] | None = None
    for event in events:
        if not isinstance(event, Mapping):
            continue
        if event.get("pyEventType") == "CallStateEvent":
            told.append(str(event.get("pyEventName")))
        elif event.get("pyEventType") == "SnapshotEvent":
            raw = event.get("pyLines")
            now = [str(line.get("pyLineState")) for line in raw if isinstance(line, Mapping)] if isinstance(raw, list) else []
            if now != lines:
                lines = now
                told.append(now)
    return told


def parameters(name: str) -> tuple[str, ...]:
    """Every parameter scenario ``name`` accepts (the common ones first)."""
    builder, _ = lookup(name)
    own = [p for p in inspect.signature(builder).parameters if p != "s"]
    return (*_COMMON, *own)


def lookup(name: str) -> tuple[Builder, bool]:
    found = _BUILDERS.get(name) if isinstance(name, str) else None
    if found is None:
        import difflib

        close = difflib.get_close_matches(str(name), SCENARIOS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown scenario {name!r}{hint}: choose one of {', '.join(SCENARIOS)}")
    return found


def build(factory: ScenarioFactory, name: str, params: Mapping[str, Any]) -> list[Event]:
    """The events of scenario ``name`` for ``factory``'s agent (``params`` as documented per scenario)."""
    _, logs_out = lookup(name)
    accepted = parameters(name)
    unknown = [key for key in params if key not in accepted]
    if unknown:
        raise ValueError(f"scenario {name!r} got unknown parameter {', '.join(map(repr, unknown))}: it accepts {', '.join(accepted)}")
    own = dict(params)
    agent_id = own.pop("agent_id", None) or factory.agent_id
    extension = own.pop("extension", None) or factory.extension
    logout = own.pop("logout", logs_out)
    for key, value in (("agent_id", agent_id), ("extension", extension), *own.items()):
        if key in ("hold", "acw"):
            if not isinstance(value, bool):
                raise ValueError(f"scenario {name!r}: {key} must be True or False, got {value!r}")
        elif value is not None and not (isinstance(value, str) and value):
            raise ValueError(f"scenario {name!r}: {key} must be a non-empty string (Pega sends every id as a JSON string), got {value!r}")
    if not isinstance(logout, bool):
        raise ValueError(f"scenario {name!r}: logout must be True or False, got {logout!r}")
    script = Script(factory, agent_id, extension)
    play(script, name, own, logout)
    return script.events


def play(s: Steps, name: str, params: Mapping[str, Any], logout: bool) -> None:
    """Scenario ``name`` as transitions on ``s``: login, the scenario's own steps, and logout when asked."""
    builder, _ = lookup(name)
    logged_in(s, s.agent_id, s.extension)
    builder(s, **params)
    if logout:
        logged_out(s)
