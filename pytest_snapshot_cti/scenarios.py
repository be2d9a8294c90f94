"""Call-centre scenarios: ordered ``forwardEvent`` streams that honour L1–L5 and C1–C7.

A scenario starts right after a successful login (Snapshot ``Login``, then AgentStateEvent
``Ready``), so ``contract.check_stream(events, login={"agent_id": ..., "extension": ...})``
holds; ``logout=True`` (the default of the ``logout`` scenario) ends it with the
post-logout Snapshot. Every Snapshot restates the lines exactly as the CallStateEvents
before it left them (reference §2.5: Alerting→Alerting, Initiated→Initiate,
Established→Connected, Held→Holding, Retrieved→Retrieved, Disconnected/Abandoned→gone).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from .factories import Event, EventFactory

#: CallStateEvent pyEventName -> Snapshot pyLineState (None: the line is gone).
LINE_STATE_OF_CALL_EVENT: Final[Mapping[str, str | None]] = {
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


class Script:
    """One agent's stream being written: keeps the lines in step with the call events."""

    def __init__(self, factory: EventFactory, agent_id: str, extension: str) -> None:
        self.factory = factory
        self.agent_id = agent_id
        self.extension = extension
        self.events: list[Event] = []
        self.lines: dict[str, str] = {}
        self.reason = ""
        self.state = "Login"

    def snapshot(self, agent_state: str, *, link: str = "CONNECTED", device: str = "OPENED") -> None:
        """A Snapshot of the current lines (none when the link is down or the device closed)."""
        observable = link == "CONNECTED" and device == "OPENED" and agent_state != "Logout"
        lines = list(self.lines.items()) if observable else []
        reason = self.reason if agent_state in ("NotReady", "Logout") else self.factory.reason_code("")
        event = self.factory.build_snapshot(agent_state, lines, link=link, device=device, reason=reason)
        event["pyAgentId"] = self.agent_id
        event["pyThisDN"] = self.extension
        self.events.append(event)
        self.state = agent_state

    def agent(self, state: str, *, acw: bool = False, reason: str | None = None) -> None:
        event = self.factory.agent_event(state, acw=acw)
        if reason is not None:
            event["pyReasonCode"] = reason
        self.reason = event["pyReasonCode"]
        self.events.append(event)

    def call(self, state: str, call_id: str, call_type: str, other_dn: str) -> None:
        event = self.factory.call_event(state, call_id=call_id, call_type=call_type, other_dn=other_dn)
        if call_type in ("OUTBOUND", "CONSULT"):
            event["pyANI"] = self.extension
        self.events.append(event)
        line_state = LINE_STATE_OF_CALL_EVENT[state]
        if line_state is None:
            self.lines.pop(call_id, None)
        else:
            self.lines[call_id] = line_state

    def party_info(self, call_id: str, *parties: str) -> None:
        event = self.factory.party_info(call_id, parties=parties)
        event["pyThisDN"] = self.extension
        event["pyParties"][0]["pyDN"] = self.extension
        self.events.append(event)

    # -- recurring fragments ------------------------------------------------------------------
    def logged_in(self) -> None:
        self.snapshot("Login")
        self.agent("Ready")

    def after_call_work(self) -> None:
        self.agent("NotReady", acw=True)
        self.snapshot("NotReady")
        self.agent("Ready")
        self.snapshot("Ready")

    def logged_out(self) -> None:
        if self.state != "NotReady":
            self.agent("NotReady")
            self.snapshot("NotReady")
        self.agent("Logout")
        self.snapshot("Logout", device="CLOSED")


def _login(s: Script) -> None:
    """Snapshot Login → AgentStateEvent Ready → Snapshot Ready."""
    s.snapshot("Ready")


def _logout(s: Script) -> None:
    """… → AgentStateEvent NotReady → Snapshot NotReady → AgentStateEvent Logout → Snapshot Logout (CLOSED, [])."""
    s.snapshot("Ready")


def _inbound_call(s: Script, *, call_id: str | None = None, caller: str | None = None, hold: bool = True, acw: bool = True) -> None:
    """Alerting → PartyInfo → Established → Held → Retrieved → Disconnected → ACW → Ready, a Snapshot after each step."""
    f = s.factory
    cid = call_id or f.new_call_id()
    number = caller or f.external_number()
    s.call("Alerting", cid, "INBOUND", number)
    s.snapshot("Busy")
    s.party_info(cid, number)
    s.call("Established", cid, "INBOUND", number)
    s.snapshot("Busy")
    if hold:
        s.call("Held", cid, "INBOUND", number)
        s.snapshot("Busy")
        s.call("Retrieved", cid, "INBOUND", number)
        s.snapshot("Busy")
    s.call("Disconnected", cid, "INBOUND", number)
    _wrap_up(s, acw)


def _wrap_up(s: Script, acw: bool) -> None:
    if acw:
        s.after_call_work()
    else:
        s.snapshot("Ready")


def _outbound_call(s: Script, *, call_id: str | None = None, number: str | None = None, acw: bool = True) -> None:
    """Initiated → Established → PartyInfo → Disconnected → ACW → Ready, a Snapshot after each step."""
    f = s.factory
    cid = call_id or f.new_call_id()
    dialled = number or f.external_number()
    s.call("Initiated", cid, "OUTBOUND", dialled)
    s.snapshot("Busy")
    s.call("Established", cid, "OUTBOUND", dialled)
    s.snapshot("Busy")
    s.party_info(cid, dialled)
    s.call("Disconnected", cid, "OUTBOUND", dialled)
    _wrap_up(s, acw)


def _consult_transfer(
    s: Script,
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
    s.call("Alerting", original, "INBOUND", number)
    s.snapshot("Busy")
    s.call("Established", original, "INBOUND", number)
    s.snapshot("Busy")
    s.party_info(original, number)
    s.call("Held", original, "INBOUND", number)
    s.snapshot("Busy")
    s.call("Initiated", consult, "CONSULT", colleague)
    s.snapshot("Busy")
    s.call("Established", consult, "CONSULT", colleague)
    s.snapshot("Busy")
    s.party_info(consult, colleague)
    s.call("Disconnected", original, "INBOUND", number)
    s.call("Disconnected", consult, "CONSULT", colleague)
    _wrap_up(s, acw)


def _missed_call(s: Script, *, call_id: str | None = None, caller: str | None = None, reason: str = "MissedCallAgent") -> None:
    """Alerting → Abandoned (not answered) → AgentStateEvent NotReady with ``reason`` → Snapshot NotReady."""
    f = s.factory
    cid = call_id or f.new_call_id()
    number = caller or f.external_number()
    s.call("Alerting", cid, "INBOUND", number)
    s.snapshot("Busy")
    s.call("Abandoned", cid, "INBOUND", number)
    s.agent("NotReady", reason=reason)
    s.snapshot("NotReady")


def _link_drop_reconnect(s: Script, *, call_id: str | None = None, caller: str | None = None, acw: bool = True) -> None:
    """On a call, the link drops (Snapshot DISCONNECTED, Unknown, []) and comes back restating the call (L3)."""
    f = s.factory
    cid = call_id or f.new_call_id()
    number = caller or f.external_number()
    s.call("Alerting", cid, "INBOUND", number)
    s.call("Established", cid, "INBOUND", number)
    s.snapshot("Busy")
    s.snapshot("Unknown", link="DISCONNECTED")
    s.snapshot("Busy")
    s.call("Disconnected", cid, "INBOUND", number)
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
    builder, _ = _lookup(name)
    own = [p for p in inspect.signature(builder).parameters if p != "s"]
    return (*_COMMON, *own)


def _lookup(name: str) -> tuple[Builder, bool]:
    found = _BUILDERS.get(name) if isinstance(name, str) else None
    if found is None:
        import difflib

        close = difflib.get_close_matches(str(name), SCENARIOS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown scenario {name!r}{hint}: choose one of {', '.join(SCENARIOS)}")
    return found


def build(factory: EventFactory, name: str, params: Mapping[str, Any]) -> list[Event]:
    """The events of scenario ``name`` for ``factory``'s agent (``params`` as documented per scenario)."""
    builder, logs_out = _lookup(name)
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
    script.logged_in()
    builder(script, **own)
    if logout:
        script.logged_out()
    return script.events
