"""Realistic, reproducible Pega OpenCTI events: named Snapshot presets and sibling events.

An :class:`EventFactory` plays one agent at one extension of one contact centre: the
agent id, the extension, the call-id style (numeric, UUID or hex connection ids) and the
reason-code style are drawn once from the seed and kept for everything it makes. Faker
(an instance of our own, seeded with ``seed_instance``) is used once, to fill small pools
of locale-shaped phone numbers; every event after that is built from a preset template
with cheap choices from a seeded :class:`random.Random`, so ``snapshots(n)`` stays fast.

Same seed, same locale and the same calls give the same events. Faker's shared random
(the one ``Faker.seed()`` and pytest-randomly reset) is never touched.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import secrets
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, Any, Final

from .violations import ContractViolationError, format_report

if TYPE_CHECKING:
    from faker import Faker

    from .contract import Contract
    from .violations import Violation

Event = dict[str, Any]

MEDIA: Final = "Phone"


@dataclass(frozen=True)
class Preset:
    """A named agent/device situation; ``lines`` are the pyLineState of each line, in order."""

    agent: str
    link: str
    device: str
    lines: tuple[str, ...]
    #: which reason code the agent carries: "" (none), "aux", "acw" or "logout"
    reason: str
    summary: str


_PRESET_TABLE: Final[Mapping[str, Preset]] = {
    "logged_out": Preset("Logout", "CONNECTED", "CLOSED", (), "logout", "after logout: device unsubscribed"),
    "login": Preset("Login", "CONNECTED", "OPENED", (), "", "right after a successful login"),
    "ready": Preset("Ready", "CONNECTED", "OPENED", (), "", "available for calls"),
    "not_ready": Preset("NotReady", "CONNECTED", "OPENED", (), "aux", "unavailable, with a reason code"),
    "after_call_work": Preset("NotReady", "CONNECTED", "OPENED", (), "acw", "wrap-up: NotReady with an ACW reason code"),
    "ringing": Preset("Busy", "CONNECTED", "OPENED", ("Alerting",), "", "an inbound call is offered"),
    "dialing": Preset("Busy", "CONNECTED", "OPENED", ("Initiate",), "", "an outbound call is being placed"),
    "on_call": Preset("Busy", "CONNECTED", "OPENED", ("Connected",), "", "talking"),
    "on_hold": Preset("Busy", "CONNECTED", "OPENED", ("Holding",), "", "the call is on hold"),
    "retrieved": Preset("Busy", "CONNECTED", "OPENED", ("Retrieved",), "", "the call is back from hold"),
    "consult": Preset("Busy", "CONNECTED", "OPENED", ("Holding", "Initiate"), "", "original call held, consult call dialling"),
    "consult_connected": Preset("Busy", "CONNECTED", "OPENED", ("Holding", "Connected"), "", "original call held, consult call answered"),
    "conference": Preset("Busy", "CONNECTED", "OPENED", ("Connected",), "", "conference: consult merged into one call"),
    "idle_line": Preset("Ready", "CONNECTED", "OPENED", ("None",), "", "a multi-line device reporting an idle line"),
    "link_down": Preset("Unknown", "DISCONNECTED", "OPENED", (), "", "the CTI link dropped: nothing observable"),
    "device_closed": Preset("NotReady", "CONNECTED", "CLOSED", (), "aux", "the extension is not monitored"),
    "unknown": Preset("Unknown", "CONNECTED", "OPENED", (), "", "the ACD cannot tell the agent state yet"),
}

#: Names accepted by :meth:`EventFactory.snapshot`, in documentation order.
PRESETS: Final[tuple[str, ...]] = tuple(_PRESET_TABLE)

_AUX_NAMES: Final = ("Break", "Lunch", "Meeting", "Training", "Coaching", "Personal", "Email", "Outbound")
_LOGOUT_NAMES: Final = ("EndOfShift", "Break", "SystemLogout", "Supervisor")
_ACW_CODES: Final = ("AfterCallWork", "ACW", "WrapUp")
_AGENT_EVENT_NAMES: Final = ("Ready", "NotReady", "Login", "Logout", "Unknown")
#: The random pool of ``call_event()``: the enum as first published. ``Offering`` (erratum E25) is made
#: only when asked for, so seeded output (``snapshot-cti generate --seed``, recorded examples) stays put.
_CALL_EVENT_NAMES: Final = ("Abandoned", "Alerting", "Connected", "Disconnected", "Established", "Held", "Initiated", "Retrieved")
#: Pega's event for a new inbound call (erratum E25).
OFFERING: Final = "Offering"
_CALL_TYPES: Final = ("INTERNAL", "INBOUND", "OUTBOUND", "CONSULT", "UNKNOWN")
_CALL_ID_STYLES: Final = ("numeric", "uuid", "hex")

#: country -> (calling code, national number format: '#' any digit, '%' 1-9)
_NUMBERING: Final[Mapping[str, tuple[str, str]]] = {
    "US": ("1", "%##%######"),
    "CA": ("1", "%##%######"),
    "GB": ("44", "7#########"),
    "IE": ("353", "8########"),
    "DE": ("49", "1%#########"),
    "AT": ("43", "6%#########"),
    "CH": ("41", "7########"),
    "FR": ("33", "%########"),
    "BE": ("32", "4########"),
    "NL": ("31", "6########"),
    "ES": ("34", "6########"),
    "IT": ("39", "3#########"),
    "PT": ("351", "9########"),
    "PL": ("48", "%########"),
    "SE": ("46", "7########"),
    "JP": ("81", "%0########"),
    "IN": ("91", "%#########"),
    "AU": ("61", "4########"),
    "NZ": ("64", "2########"),
    "BR": ("55", "%%9########"),
    "MX": ("52", "%#########"),
}
_POOL_SIZE: Final = 32


def stable_seed(text: str) -> int:
    """A 32-bit seed from ``text`` that is the same in every process (``hash()`` is salted)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:4], "big")


class InvalidOverrideError(ContractViolationError, ValueError):
    """An override made the event break the contract; ``.violations`` says which rules.

    An :class:`AssertionError` (pytest shows it as a test failure) and a :class:`ValueError`
    (it is bad input to the factory). Pass ``validate=False`` to build invalid events on purpose.
    """


_FAKERS: dict[tuple[str, ...], Faker] = {}
_FAKERS_LOCK = threading.Lock()


def _locales(locale: str | Sequence[str] | None) -> tuple[str, ...]:
    if locale is None:
        return ("en_US",)
    if isinstance(locale, str):
        return (locale,)
    locales = tuple(locale)
    if not locales or not all(isinstance(item, str) for item in locales):
        raise ValueError(f"locale must be a Faker locale name or a non-empty list of them, got {locale!r}")
    return locales


def _number_pool(locales: tuple[str, ...], seed: int) -> tuple[str, list[str]]:
    """(country code, E.164-like numbers without '+') drawn once with a seeded Faker of our own."""
    from faker import Faker

    with _FAKERS_LOCK:
        fake = _FAKERS.get(locales)
        if fake is None:
            try:
                fake = Faker(list(locales))
            except AttributeError as err:  # Faker's way of saying "no such locale"
                raise ValueError(f"unknown Faker locale {', '.join(locales)}: {err}") from None
            _FAKERS[locales] = fake
        fake.seed_instance(seed)
        # The first locale's country: a multi-locale Faker answers from a locale it picks (Faker 24 does).
        country = fake[locales[0]].current_country_code() if len(locales) > 1 else fake.current_country_code()
        calling, pattern = _NUMBERING.get(country, _NUMBERING["US"])
        numbers = [calling + fake.numerify(pattern) for _ in range(_POOL_SIZE)]
    return calling, numbers


class EventFactory:
    """Valid, realistic Pega OpenCTI events for one agent at one extension.

    ``seed`` (an int; random when ``None``, and then shown as :attr:`seed`) makes the output
    reproducible; ``locale`` (a Faker locale or list of them) shapes phone numbers;
    ``profile`` is the contract profile overrides are re-validated under (or pass a configured
    ``contract``, e.g. with rules disabled). ``agent_id`` and ``extension`` pin the agent's
    identity (otherwise drawn from the seed).
    """

    def __init__(
        self,
        seed: int | None = None,
        locale: str | Sequence[str] | None = None,
        profile: str = "published",
        *,
        agent_id: str | None = None,
        extension: str | None = None,
        contract: Contract | None = None,
    ) -> None:
        if seed is None:
            seed = secrets.randbits(32)
        elif isinstance(seed, bool) or not isinstance(seed, int):
            raise TypeError(f"seed must be an int or None, got {type(seed).__name__} {seed!r}")
        from .contract import load_contract

        self.contract: Contract = contract if contract is not None else load_contract(profile)
        self.seed: int = seed
        self.profile: str = self.contract.profile
        self.locales: tuple[str, ...] = _locales(locale)
        self.locale: str = self.locales[0]
        self.calling_code, self._numbers = _number_pool(self.locales, seed)
        rng = self._rng = Random(seed)
        digits = rng.choice((4, 4, 5, 6))
        self.agent_id: str = agent_id if agent_id is not None else str(rng.randrange(10 ** (digits - 1), 10**digits))
        ext_digits = rng.choice((4, 4, 5))
        self._ext_digits = ext_digits
        self.extension: str = extension if extension is not None else self._new_extension()
        self._colleagues = [self._new_extension() for _ in range(8)]
        self.call_id_style: str = rng.choice(_CALL_ID_STYLES)
        self._next_call = rng.randrange(1000, 99_999_999)
        self._numeric_reasons = rng.random() < 0.5
        self._acw_code = rng.choice(_ACW_CODES)
        self._ready_mode = rng.choice(("MODE_AUTO_IN", "MODE_MANUAL_IN"))
        self._no_reason = rng.choice(("", "0"))

    def __repr__(self) -> str:
        return f"<EventFactory seed={self.seed} locale={self.locale!r} profile={self.profile!r} agent={self.agent_id} ext={self.extension}>"

    # -- cheap value pools ------------------------------------------------------------------
    def _new_extension(self) -> str:
        n = self._ext_digits
        return str(self._rng.randrange(2 * 10 ** (n - 1), 10**n))

    def new_call_id(self) -> str:
        """A fresh call id in this factory's vendor style (unique within the factory)."""
        style = self.call_id_style
        if style == "uuid":
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        if style == "hex":
            return f"{self._rng.getrandbits(64):016X}"
        self._next_call += self._rng.randint(1, 97)
        return str(self._next_call)

    def external_number(self) -> str:
        """An E.164-like number (country code first, no '+', like Pega's ``"16175551212"``)."""
        return self._rng.choice(self._numbers)

    def colleague_extension(self) -> str:
        """Another agent's extension in the same numbering plan (consult and internal calls)."""
        return self._rng.choice(self._colleagues)

    def reason_code(self, kind: str) -> str:
        """A reason code string: ``kind`` is "aux", "acw", "logout" or "" (no reason: this ACD's '' or '0')."""
        rng = self._rng
        if kind == "acw":
            return self._acw_code
        if kind == "aux":
            return str(rng.randint(1, 49)) if self._numeric_reasons else rng.choice(_AUX_NAMES)
        if kind == "logout":
            return str(rng.randint(50, 99)) if self._numeric_reasons else rng.choice(_LOGOUT_NAMES)
        return self._no_reason

    # -- Snapshots --------------------------------------------------------------------------
    def _preset(self, preset: str | None) -> Preset:
        if preset is None:
            return _PRESET_TABLE[self._rng.choice(PRESETS)]
        found = _PRESET_TABLE.get(preset) if isinstance(preset, str) else None
        if found is None:
            close = difflib.get_close_matches(str(preset), PRESETS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"unknown preset {preset!r}{hint}: choose one of {', '.join(PRESETS)}")
        return found

    def build_snapshot(
        self,
        agent_state: str,
        lines: Iterable[tuple[str, str]] = (),
        *,
        link: str = "CONNECTED",
        device: str = "OPENED",
        reason: str = "",
    ) -> Event:
        """A Snapshot from explicit parts (``lines`` as (call id, line state) pairs); not validated."""
        return {
            "pyEventType": "SnapshotEvent",
            "pyEventName": "Snapshot",
            "pyAgentId": self.agent_id,
            "pyThisDN": self.extension,
            "pyAgentState": agent_state,
            "pyReasonCode": reason,
            "pyLinkState": link,
            "pyDeviceState": device,
            "pyMedia": MEDIA,
            "pyLines": [{"pyCallId": call_id, "pyLineState": state} for call_id, state in lines],
        }

    def _from_preset(self, spec: Preset) -> Event:
        lines = [("" if state == "None" else self.new_call_id(), state) for state in spec.lines]
        return self.build_snapshot(spec.agent, lines, link=spec.link, device=spec.device, reason=self.reason_code(spec.reason))

    def snapshot(self, preset: str | None = None, *, validate: bool = True, **overrides: Any) -> Event:
        """A Snapshot in the named preset (a random one when ``None``), with ``overrides`` applied.

        With overrides the result is re-validated under the factory's profile and any finding
        (error or warning) raises :class:`InvalidOverrideError` naming the rule, unless
        ``validate=False``.
        """
        spec = self._preset(preset)
        event = self._from_preset(spec)
        if overrides:
            event.update(copy.deepcopy(overrides))
            if validate:
                self._check(event, f"snapshot({preset!r})", overrides)
        return event

    def snapshots(self, n: int, preset: str | None = None, *, validate: bool = True, **overrides: Any) -> list[Event]:
        """``n`` Snapshots (a random preset for each when ``preset`` is ``None``)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"n must be a non-negative int, got {n!r}")
        if preset is not None:
            spec = self._preset(preset)
            made = [self._from_preset(spec) for _ in range(n)]
        else:
            choice, table = self._rng.choice, _PRESET_TABLE
            made = [self._from_preset(table[choice(PRESETS)]) for _ in range(n)]
        if overrides:
            for event in made:
                event.update(copy.deepcopy(overrides))
                if validate:
                    self._check(event, f"snapshots({n}, {preset!r})", overrides)
        return made

    def snapshot_coverage(self) -> list[Event]:
        """One Snapshot per preset: together they carry every enum value a valid Snapshot can.

        The published ``pyEventType`` enum also lists the sibling event types; a Snapshot
        carrying one breaks rule S1, so only ``SnapshotEvent`` appears here (see
        :meth:`event_coverage` for the others).
        """
        return [self.snapshot(name) for name in PRESETS]

    def event_coverage(self) -> list[Event]:
        """:meth:`snapshot_coverage` plus sibling events covering every enum value of their schemas.

        ``CallInfoEvent`` has no published schema (erratum E24), so no event of it is made.
        """
        events = self.snapshot_coverage()
        events += [self.agent_event(name) for name in _AGENT_EVENT_NAMES]
        events += [self.agent_event("NotReady", acw=True), self.agent_event("NotReady", pyWorkMode="BUSY")]
        events += [self.agent_event("Ready", pyWorkMode=mode) for mode in ("MODE_AUTO_IN", "MODE_MANUAL_IN")]
        events += [self.call_event(name) for name in _CALL_EVENT_NAMES]
        events += [self.call_event("Alerting", call_type=kind) for kind in _CALL_TYPES]
        events.append(self.party_info())
        events.append(self.call_event(OFFERING))  # last, so the events before it are what they always were
        return events

    # -- sibling events ---------------------------------------------------------------------
    def agent_event(self, state: str | None = None, *, acw: bool = False, validate: bool = True, **overrides: Any) -> Event:
        """An AgentStateEvent: ``state`` is its pyEventName (random when ``None``).

        NotReady carries an aux reason code and ``AUX_WORK``, or with ``acw=True`` the
        after-call-work form (``pyWorkMode: ACW`` and an ACW reason code); Logout carries a
        logout reason code; Ready carries the factory's work mode (auto-in or manual-in).
        """
        name = state if state is not None else self._rng.choice(_AGENT_EVENT_NAMES)
        if name == "Ready":
            mode, code = self._ready_mode, ""
        elif name == "NotReady" and acw:
            mode, code = "ACW", self.reason_code("acw")
        elif name == "NotReady":
            mode, code = "AUX_WORK", self.reason_code("aux")
        elif name == "Logout":
            mode, code = "MODE_NONE", self.reason_code("logout")
        else:
            mode, code = "MODE_NONE", ""
        event: Event = {
            "pyEventType": "AgentStateEvent",
            "pyEventName": name,
            "pyMedia": MEDIA,
            "pyReasonCode": code,
            "pyWorkMode": mode,
        }
        unusual = name not in _AGENT_EVENT_NAMES
        return self._finish(event, validate, overrides, f"agent_event({name!r})", unusual)

    def call_event(
        self,
        state: str | None = None,
        *,
        call_id: str | None = None,
        call_type: str | None = None,
        other_dn: str | None = None,
        validate: bool = True,
        **overrides: Any,
    ) -> Event:
        """A CallStateEvent: ``state`` is its pyEventName (random when ``None``).

        ``pyANI`` is the calling party and ``pyOtherDN`` the far end as the monitored device
        sees it: for an inbound call both are the caller; for outbound, the ANI is this
        extension and the other DN the dialled number. ``"Offering"`` (Pega's event for a new
        inbound call, erratum E25) is never drawn at random and is ``INBOUND`` unless told otherwise.
        """
        rng = self._rng
        name = state if state is not None else rng.choice(_CALL_EVENT_NAMES)
        if call_type is None and name == OFFERING:
            call_type = "INBOUND"
        kind = call_type if call_type is not None else rng.choice(("INBOUND", "INBOUND", "OUTBOUND", "INTERNAL"))
        if other_dn is None:
            other_dn = self.colleague_extension() if kind in ("INTERNAL", "CONSULT") else self.external_number()
        ani = self.extension if kind in ("OUTBOUND", "CONSULT") else other_dn
        event: Event = {
            "pyEventType": "CallStateEvent",
            "pyEventName": name,
            "pyCallId": call_id if call_id is not None else self.new_call_id(),
            "pyCallType": kind,
            "pyANI": ani,
            "pyOtherDN": other_dn,
            "pyMedia": MEDIA,
        }
        unusual = (name not in _CALL_EVENT_NAMES and name != OFFERING) or kind not in _CALL_TYPES
        return self._finish(event, validate, overrides, f"call_event({name!r})", unusual)

    def party_info(
        self,
        call_id: str | None = None,
        *,
        parties: Sequence[str] | None = None,
        validate: bool = True,
        **overrides: Any,
    ) -> Event:
        """A PartyInfoEvent for ``call_id``: this extension plus ``parties`` (one caller by default)."""
        dns = list(parties) if parties is not None else [self.external_number()]
        event: Event = {
            "pyEventType": "PartyInfoEvent",
            "pyEventName": "PartyInfo",
            "pyCallId": call_id if call_id is not None else self.new_call_id(),
            "pyThisDN": self.extension,
            "pyMedia": MEDIA,
            "pyParties": [{"pyDN": dn} for dn in (self.extension, *dns)],
        }
        return self._finish(event, validate, overrides, "party_info()")

    # -- scenarios --------------------------------------------------------------------------
    def scenario(self, name: str, **params: Any) -> list[Event]:
        """An ordered list of events for a call-centre scenario (see :data:`scenarios.SCENARIOS`)."""
        from .scenarios import build

        return build(self, name, params)

    # -- validation -------------------------------------------------------------------------
    def _finish(self, event: Event, validate: bool, overrides: Mapping[str, Any], what: str, unusual: bool = False) -> Event:
        """Apply overrides; re-validate when they (or an argument outside the enums) could break the event."""
        if overrides:
            event.update(copy.deepcopy(dict(overrides)))
        if validate and (overrides or unusual):
            self._check(event, what, overrides)
        return event

    def _check(self, event: Event, what: str, overrides: Mapping[str, Any]) -> None:
        # A factory checking its output is not an event under test: the plugin's tallies must not count it.
        found: list[Violation] = self.contract.validate(event, observe=False)
        if not found:
            return
        rules = ", ".join(dict.fromkeys(v.rule for v in found))
        given = ", ".join(f"{key}={value!r}" for key, value in overrides.items())
        subject = f"EventFactory.{what}" + (f" with {given}" if given else "")
        report = format_report(found, subject=subject, profile=self.profile)
        raise InvalidOverrideError(
            f"override breaks rule {rules}: {report}\n(pass validate=False to build an invalid event on purpose)",
            found,
        )
