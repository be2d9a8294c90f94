"""Hypothesis strategies for Pega OpenCTI events: valid events, labelled invalid mutants, streams.

Built directly from the bundled schemas (enums and required sets are read from the
contract) instead of through hypothesis-jsonschema: that is several times faster and passes
every health check at 1,000 examples. :func:`from_contract` keeps the hypothesis-jsonschema
route for a contract as written (bundled or user-supplied); :mod:`.hypothesis_jsonschema_compat`
keeps that route working on Hypothesis >= 6.170.10.

What "valid" means here: no *error* under the profile. ``realistic=True`` goes further:
no finding at all under either profile, values in the styles real connectors send.
``realistic=False`` explores what the schema allows, including what the profile only
warns about (under ``published``: any enum mix, contradictions C1–C7, extra properties).

All randomness comes from Hypothesis, so examples shrink and replay; nothing here
registers or loads a settings profile or suppresses a health check.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

from hypothesis import event as note_event
from hypothesis import strategies as st

from . import model
from .mutations import EventStream, InvalidCase, InvalidStream, Pick, mutate, mutations_for
from .rules import LIVE_LINE_STATES, SNAPSHOT_ONLY_FIELDS
from .schemas import KINDS, REQUIRED
from .stream_writer import PlainVoice, StreamWriter
from .violations import ContractUsageError

if TYPE_CHECKING:
    from .contract import Contract

__all__ = [
    "SCENARIOS",
    "STREAM_MUTATIONS",
    "EventStream",
    "InvalidCase",
    "InvalidStream",
    "event_sequences",
    "events",
    "from_contract",
    "invalid_event_sequences",
    "invalid_events",
    "invalid_snapshots",
    "snapshots",
]

Event = dict[str, Any]
Strategy = st.SearchStrategy
T = TypeVar("T")

PROFILES: Final = ("published", "strict")
EVENT_KINDS: Final = ("any", *KINDS)
#: The scenario shapes :func:`event_sequences` knows (the same names as ``scenarios.SCENARIOS``).
SCENARIOS: Final = ("login", "logout", "inbound_call", "outbound_call", "consult_transfer", "missed_call", "link_drop_reconnect")
#: Stream mutation -> the one lifecycle rule it breaks.
STREAM_MUTATIONS: Final[Mapping[str, str]] = {
    "event_before_first_snapshot": "L1",
    "no_logout_snapshot": "L2",
    "reconnect_forgets_call": "L3",
    "snapshot_for_other_agent": "L4",
    "logout_snapshot_not_closed": "L5",
}
_LIVE: Final = tuple(sorted(LIVE_LINE_STATES))
_HELD_OR_DIALLING: Final = ("Holding", "Initiate")


# -- arguments and the schema's vocabulary ---------------------------------------------------
def _check_profile(profile: str) -> None:
    if profile not in PROFILES:
        raise ContractUsageError(f"unknown profile {profile!r}: choose one of {', '.join(PROFILES)}")


def _check_kind(kind: str, choices: tuple[str, ...]) -> None:
    if kind not in choices:
        raise ContractUsageError(f"unknown kind {kind!r}: choose one of {', '.join(choices)}")


@functools.cache
def _schema(profile: str, kind: str) -> dict[str, Any]:
    from .contract import load_contract

    return load_contract(profile).schema(kind)


def _enum(kind: str, name: str) -> tuple[str, ...]:
    """The enum of top-level property ``name`` in the bundled ``kind`` schema."""
    values = _schema("published", kind)["properties"][name].get("enum")
    if not values:
        raise ContractUsageError(f"the {kind} schema has no enum at properties.{name}")
    return tuple(values)


def _line_enum() -> tuple[str, ...]:
    items = _schema("published", "snapshot")["properties"]["pyLines"]["items"]
    return tuple(items["properties"]["pyLineState"]["enum"])


@functools.cache
def _documented_names() -> frozenset[str]:
    names: set[str] = set()
    for kind in KINDS:
        for name, prop in _schema("published", kind)["properties"].items():
            names.add(name)
            items = prop.get("items") if isinstance(prop, dict) else None
            if isinstance(items, dict):
                names.update(items.get("properties", {}))
    return frozenset(names)


# -- value styles ------------------------------------------------------------------------------
_any_text = st.text(max_size=10)
_agent_ids = st.integers(1000, 99_999).map(str)
_extensions = st.integers(2000, 99_999).map(str)
_call_ids = st.one_of(
    st.integers(1000, 9_999_999_999).map(str),
    st.uuids().map(str),
    st.integers(0, 2**64 - 1).map(lambda n: f"{n:016X}"),
)
_COUNTRY_CODES: Final = ("1", "44", "49", "33", "31", "61", "91", "353")
_numbers = st.builds(lambda cc, n: f"{cc}{n}", st.sampled_from(_COUNTRY_CODES), st.integers(200_000_000, 9_999_999_999))
_reason_codes = st.one_of(
    st.integers(1, 99).map(str),
    st.sampled_from(("AfterCallWork", "ACW", "WrapUp", "Break", "Lunch", "Meeting", "Training", "MissedCallAgent", "EndOfShift")),
)
_no_reason = st.sampled_from(("", "0"))
_json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
#: Arbitrary JSON, two levels deep at most: st.recursive would cost a third of the throughput.
_json_values = st.one_of(
    _json_scalars, st.lists(_json_scalars, max_size=3), st.dictionaries(st.text(max_size=6), _json_scalars, max_size=2)
)


@functools.cache
def _extra_keys() -> Strategy[dict[str, Any]]:
    """Invented properties with arbitrary JSON values, half of the time (published objects are open)."""
    return st.one_of(st.just({}), _extra_properties())


@functools.cache
def _extra_properties() -> Strategy[dict[str, Any]]:
    """One to three invented properties, never a documented name of any kind."""
    documented = _documented_names()
    names = st.text(min_size=1, max_size=12).filter(lambda name: name not in documented)
    return st.dictionaries(names, _json_values, min_size=1, max_size=3)


def _text_or(realistic_value: Strategy[str], realistic: bool) -> Strategy[str]:
    return realistic_value if realistic else _any_text


# -- Snapshots ---------------------------------------------------------------------------------
@functools.cache
def _published_fields() -> tuple[tuple[str, Strategy[Any]], ...]:
    line = _open_object((("pyCallId", _any_text), ("pyLineState", st.sampled_from(_line_enum()))), extra_bits=2)
    return (
        ("pyEventType", st.sampled_from(_enum("snapshot", "pyEventType"))),
        ("pyEventName", st.one_of(st.just("Snapshot"), _any_text)),
        ("pyAgentId", _any_text),
        ("pyAgentState", st.sampled_from(_enum("snapshot", "pyAgentState"))),
        ("pyThisDN", _any_text),
        ("pyLinkState", st.sampled_from(_enum("snapshot", "pyLinkState"))),
        ("pyDeviceState", st.sampled_from(_enum("snapshot", "pyDeviceState"))),
        ("pyLines", st.lists(line, max_size=3)),
        ("pyMedia", _any_text),
        ("pyReasonCode", _any_text),
    )


@st.composite
def _open_object_impl(draw: st.DrawFn, fields: tuple[tuple[str, Strategy[Any]], ...], extra_bits: int) -> Event:
    # One integer decides which optional fields are present and whether invented properties
    # join (when its top ``extra_bits`` bits are all set): a single choice instead of one per
    # field keeps generation fast, and shrinks towards fewer fields and no inventions.
    n = len(fields)
    present = draw(st.integers(0, 2 ** (n + extra_bits) - 1))
    doc: Event = {}
    if present >> n == 2**extra_bits - 1:
        doc.update(draw(_extra_properties()))
    for bit, (name, strategy) in enumerate(fields):
        if present >> bit & 1:
            doc[name] = draw(strategy)
    return doc


def _open_object(fields: tuple[tuple[str, Strategy[Any]], ...], extra_bits: int = 1) -> Strategy[Event]:
    """An object of optional ``fields``, plus invented properties in one of ``2**extra_bits`` (published objects are open)."""
    return _open_object_impl(fields, extra_bits)


@functools.cache
def _published_snapshot() -> Strategy[Event]:
    """Anything the published Snapshot schema accepts: every field optional, open objects."""
    return _open_object(_published_fields()).map(_as_snapshot)


def _as_snapshot(doc: Event) -> Event:
    if doc.get("pyEventType") != "SnapshotEvent" and SNAPSHOT_ONLY_FIELDS.isdisjoint(doc):
        doc["pyLines"] = []  # otherwise the contract would not read it as a Snapshot at all
    return doc


@st.composite
def _consistent_snapshot(draw: st.DrawFn, realistic: bool, optional_fields: bool) -> Event:
    """A Snapshot whose fields agree (C1–C6 hold); ``realistic`` also keeps C5's advisory, C7 and S2 quiet."""
    link = draw(st.sampled_from(_enum("snapshot", "pyLinkState")))
    device = draw(st.sampled_from(_enum("snapshot", "pyDeviceState")))
    states = _enum("snapshot", "pyAgentState")
    agent = "Unknown" if link == "DISCONNECTED" else draw(st.sampled_from([s for s in states if s != "Busy" or device == "OPENED"]))
    observable = link == "CONNECTED" and device == "OPENED" and agent != "Logout"
    line_states = _realistic_lines(draw, agent, observable) if realistic else _explored_lines(draw, agent, observable)
    ids = draw(
        st.lists(
            _call_ids if realistic else st.text(min_size=1, max_size=10), min_size=len(line_states), max_size=len(line_states), unique=True
        )
    )
    lines = [
        {"pyCallId": call_id if state != "None" or not realistic else "", "pyLineState": state}
        for call_id, state in zip(ids, line_states, strict=True)
    ]
    doc: Event = {
        "pyEventType": "SnapshotEvent",
        "pyEventName": "Snapshot" if realistic else draw(st.one_of(st.just("Snapshot"), _any_text)),
        "pyAgentId": draw(_text_or(_agent_ids, realistic)),
        "pyAgentState": agent,
        "pyThisDN": draw(_text_or(_extensions, realistic)),
        "pyLinkState": link,
        "pyDeviceState": device,
        "pyLines": lines,
    }
    if realistic or draw(st.booleans()):
        doc["pyMedia"] = "Phone" if realistic else draw(_any_text)
    code = draw(st.one_of(_reason_codes, _no_reason) if realistic else _any_text) if agent in ("NotReady", "Logout") else draw(_no_reason)
    if not optional_fields or realistic or draw(st.booleans()):
        doc["pyReasonCode"] = code
    return doc


def _explored_lines(draw: st.DrawFn, agent: str, observable: bool) -> list[str]:
    if not observable:
        return draw(st.lists(st.just("None"), max_size=2))
    states = draw(st.lists(st.sampled_from(_line_enum()), max_size=4))
    if agent == "Busy" and not any(s in LIVE_LINE_STATES for s in states):
        states.insert(0, draw(st.sampled_from(_LIVE)))
    return states


def _realistic_lines(draw: st.DrawFn, agent: str, observable: bool) -> list[str]:
    if not observable:
        return []
    if agent == "Busy":
        first = draw(st.sampled_from(("Connected", "Alerting", "Holding", "Retrieved", "Initiate")))
        second = draw(st.sampled_from(("", *_HELD_OR_DIALLING)))
        return [first, second] if second else [first]
    if agent == "Ready":
        return draw(st.sampled_from(([], [], ["Alerting"], ["None"])))
    return []


def snapshots(profile: str = "published", realistic: bool = False) -> Strategy[Event]:
    """Snapshots with no error under ``profile`` (see the module docstring for ``realistic``)."""
    _check_profile(profile)
    if realistic:
        return _consistent_snapshot(True, False)
    if profile == "published":
        return _published_snapshot()
    return _consistent_snapshot(False, True)


# -- Agent, call and PartyInfo events -----------------------------------------------------------
def _optional_event(
    event_type: str, required: Mapping[str, Strategy[Any]], optional: Mapping[str, Strategy[Any]], open_: bool
) -> Strategy[Event]:
    """``pyEventType`` always (the dispatcher needs it), ``required`` always, ``optional`` maybe, extras if open."""
    fields = st.fixed_dictionaries(dict(required), optional=dict(optional))
    if not open_:
        return fields.map(lambda doc: {"pyEventType": event_type, **doc})
    return st.builds(lambda doc, extra: {**extra, "pyEventType": event_type, **doc}, fields, _extra_keys())


def _split(kind: str, profile: str, fields: Mapping[str, Strategy[Any]]) -> tuple[dict[str, Strategy[Any]], dict[str, Strategy[Any]]]:
    required = set(REQUIRED[kind]) if profile == "strict" else set()
    return {k: v for k, v in fields.items() if k in required}, {k: v for k, v in fields.items() if k not in required}


@functools.cache
def _explored_event(kind: str, profile: str) -> Strategy[Event]:
    open_ = profile == "published"
    event_type = KINDS[kind][1]
    fields: dict[str, Strategy[Any]]
    if kind == "agent":
        fields = {
            "pyEventName": st.sampled_from(_enum("agent", "pyEventName")),
            "pyMedia": _any_text,
            "pyReasonCode": _any_text,
            "pyWorkMode": st.sampled_from(_enum("agent", "pyWorkMode")),
        }
    elif kind == "call":
        fields = {
            "pyEventName": st.sampled_from(_enum("call", "pyEventName")),
            "pyCallId": _any_text,
            "pyCallType": st.sampled_from(_enum("call", "pyCallType")),
            "pyANI": _any_text,
            "pyOtherDN": _any_text,
            "pyMedia": _any_text,
        }
    else:
        party_required = {"pyDN": _any_text} if profile == "strict" else {}
        party_optional = {} if profile == "strict" else {"pyDN": _any_text}
        party = _optional_event("", party_required, party_optional, open_).map(lambda d: {k: v for k, v in d.items() if k != "pyEventType"})
        fields = {
            "pyEventName": st.one_of(st.just("PartyInfo"), _any_text),
            "pyCallId": _any_text,
            "pyThisDN": _any_text,
            "pyMedia": _any_text,
            "pyParties": st.lists(party, max_size=3),
        }
    required, optional = _split(kind, profile, fields)
    return _optional_event(event_type, required, optional, open_)


_WORK_MODES: Final[Mapping[str, tuple[str, ...]]] = {
    "Ready": ("MODE_AUTO_IN", "MODE_MANUAL_IN"),
    "NotReady": ("AUX_WORK", "ACW", "MODE_NONE"),
}


@st.composite
def _realistic_agent_event(draw: st.DrawFn) -> Event:
    name = draw(st.sampled_from(_enum("agent", "pyEventName")))
    doc: Event = {"pyEventType": "AgentStateEvent", "pyEventName": name, "pyMedia": "Phone"}
    doc["pyReasonCode"] = draw(_reason_codes if name in ("NotReady", "Logout") else _no_reason)
    if name in _WORK_MODES:
        doc["pyWorkMode"] = draw(st.sampled_from(_WORK_MODES[name]))
    return doc


@st.composite
def _realistic_call_event(draw: st.DrawFn) -> Event:
    call_type = draw(st.sampled_from(_enum("call", "pyCallType")))
    outgoing = call_type in ("OUTBOUND", "CONSULT")
    return {
        "pyEventType": "CallStateEvent",
        "pyEventName": draw(st.sampled_from(_enum("call", "pyEventName"))),
        "pyCallId": draw(_call_ids),
        "pyCallType": call_type,
        "pyANI": draw(_extensions if outgoing or call_type == "INTERNAL" else _numbers),
        "pyOtherDN": draw(_extensions if call_type in ("CONSULT", "INTERNAL") else _numbers),
        "pyMedia": "Phone",
    }


@st.composite
def _realistic_party_event(draw: st.DrawFn) -> Event:
    extension = draw(_extensions)
    others = draw(st.lists(st.one_of(_numbers, _extensions), min_size=1, max_size=3, unique=True))
    return {
        "pyEventType": "PartyInfoEvent",
        "pyEventName": "PartyInfo",
        "pyCallId": draw(_call_ids),
        "pyThisDN": extension,
        "pyMedia": "Phone",
        "pyParties": [{"pyDN": dn} for dn in [extension, *others]],
    }


def events(kind: str = "any", profile: str = "published", realistic: bool = False) -> Strategy[Event]:
    """Events of ``kind`` (or of every kind) with no error under ``profile``, each carrying its pyEventType."""
    _check_kind(kind, EVENT_KINDS)
    _check_profile(profile)
    if kind == "any":
        return st.one_of(*(events(k, profile, realistic) for k in KINDS))
    if kind == "snapshot":
        return snapshots(profile, realistic)
    if realistic:
        return {"agent": _realistic_agent_event, "call": _realistic_call_event, "party": _realistic_party_event}[kind]()
    return _explored_event(kind, profile)


# -- hypothesis-jsonschema: the contract as written -----------------------------------------------
def _semantic_cases() -> list[dict[str, Any]]:
    """C1–C6 as JSON Schema: disjoint cases of a strict Snapshot, one per kind of agent and line state.

    A union of plain ``properties`` (no ``allOf`` of ``anyOf``s) lets hypothesis-jsonschema merge
    each case into the schema and draw it directly instead of filtering: ~10x faster, and within
    Hypothesis's health checks at 1,000 examples. Only "pyCallId unique across lines" (C6) is
    left to a filter: no keyword says it. A few valid documents (an idle line without a call id
    beside a live one) are not drawn; every drawn one has no error.
    """
    no_reason = {"enum": ["", "0"]}
    idle_lines = {"items": {"properties": {"pyLineState": {"const": "None"}}}}
    lines_with_ids = {"items": {"properties": {"pyCallId": {"minLength": 1}}}}
    live = {"properties": {"pyLineState": {"enum": list(_LIVE)}}}

    def case(
        agent: list[str], lines: dict[str, Any], *, link: str = "CONNECTED", device: str | None = None, reason: bool = False
    ) -> dict[str, Any]:
        properties: dict[str, Any] = {"pyAgentState": {"enum": agent}, "pyLinkState": {"const": link}, "pyLines": lines}
        if device is not None:
            properties["pyDeviceState"] = {"const": device}
        if not reason:
            properties["pyReasonCode"] = no_reason
        return {"properties": properties}

    calm = ["Ready", "Login", "Unknown"]
    return [
        case(["Unknown"], idle_lines, link="DISCONNECTED"),  # C1
        case(calm, idle_lines),
        case(["NotReady", "Logout"], idle_lines, reason=True),  # C4: reason codes only here
        case(["Busy"], {**lines_with_ids, "minItems": 1, "contains": live}, device="OPENED"),  # C5, C2, C6
        case(calm, lines_with_ids, device="OPENED"),  # C2, C6
        case(["NotReady"], lines_with_ids, device="OPENED", reason=True),  # C3: no Logout with lines
    ]


def from_contract(kind: str = "snapshot", profile: str = "published", *, contract: Contract | None = None) -> Strategy[Event]:
    """Documents generated by hypothesis-jsonschema from the profile-applied schema of ``kind``.

    ``contract`` (e.g. ``load_contract("strict", contracts_dir=...)``) selects a user-supplied
    contract; its profile wins over ``profile``. ``pyEventType`` is pinned to the kind so the
    dispatcher reads each document as that kind; under ``strict`` the Snapshot rules C1–C6 are
    added to the schema as JSON Schema, and what is left (unique call ids) is filtered, so every
    document has no error under the contract. Slow (tens of documents a second): prefer
    :func:`events` for fuzzing.
    """
    _check_kind(kind, tuple(KINDS))
    if contract is None:
        _check_profile(profile)
        from .contract import load_contract

        contract = load_contract(profile)
    key = (kind, contract.schema_set, contract.profile, contract.disabled, contract.allow_extra)
    if key not in _FROM_CONTRACT:  # hypothesis-jsonschema canonicalises slowly: once per contract is enough
        _FROM_CONTRACT[key] = _from_contract(kind, contract)
    return _FROM_CONTRACT[key]


_FROM_CONTRACT: dict[tuple[Any, ...], Strategy[Event]] = {}


def _from_contract(kind: str, contract: Contract) -> Strategy[Event]:
    schema = contract.schema(kind)
    schema.setdefault("properties", {})["pyEventType"] = {"const": KINDS[kind][1]}
    schema["required"] = sorted({*schema.get("required", ()), "pyEventType"})
    schema.pop("$id", None)
    schema.pop("$schema", None)
    cases = _semantic_cases() if kind == "snapshot" and contract.profile == "strict" else [None]
    from hypothesis_jsonschema import from_schema

    from .hypothesis_jsonschema_compat import ensure_compatible

    ensure_compatible()  # hypothesis-jsonschema 0.23.1 on Hypothesis >= 6.170.10
    where = contract.schema_set.directory / KINDS[kind][0]
    branches: list[Strategy[Event]] = []
    for case in cases:  # one branch per case, each canonicalised on its own: a case the schema rules out is dropped
        document = schema if case is None else {**schema, "allOf": [*schema.get("allOf", ()), case]}
        try:
            branch = cast("Strategy[Event]", from_schema(document))
        except Exception as err:  # hypothesis-jsonschema's errors name a keyword, not our file
            raise ContractUsageError(f"cannot generate {kind} events from {where}: {err}") from None
        if not branch.is_empty:
            branches.append(branch)
    if not branches:
        raise ContractUsageError(f"cannot generate {kind} events from {where}: the schema admits no document")
    # Compile the validators now, not in the first draw: Hypothesis times the first draws (too_slow).
    contract.validate({"pyEventType": KINDS[kind][1]}, kind=kind, observe=False)
    return st.one_of(branches).filter(_ContractFilter(contract, kind, where))


_INDEX: Final = re.compile(r"\[\d+\]")


class _ContractFilter:
    """Keeps documents with no error; names the kind, file and rules when nothing gets through.

    Hypothesis's own "filtering too much" health check cannot say *which* schema or rule is to
    blame, and a user's contract may admit documents its own rules always reject.
    """

    GIVE_UP: Final = 30  # below the 50 discarded inputs that trip the health check

    def __init__(self, contract: Contract, kind: str, where: Any) -> None:
        self.contract, self.kind, self.where = contract, kind, where
        self.passed = 0
        self.rejected: dict[str, int] = {}

    def __call__(self, document: Event) -> bool:
        # observe=False: a self-check of generated data is not an event the run's tests checked
        errors = [v for v in self.contract.validate(document, kind=self.kind, observe=False) if v.severity == "error"]
        if not errors:
            self.passed += 1
            return True
        for violation in errors:
            key = f"{violation.rule} at {_INDEX.sub('[*]', violation.path)}"
            self.rejected[key] = self.rejected.get(key, 0) + 1
        if not self.passed and sum(self.rejected.values()) >= self.GIVE_UP:
            worst = ", ".join(k for k, _ in sorted(self.rejected.items(), key=lambda kv: -kv[1])[:3])
            raise ContractUsageError(
                f"cannot generate valid {self.kind} events from {self.where}: every document the schema admits "
                f"breaks a rule of the {self.contract.profile} contract (most often {worst})"
            )
        return False

    def __repr__(self) -> str:
        return f"no_error_under({self.contract.profile}, {self.kind}, {self.where})"


# -- labelled invalid events --------------------------------------------------------------------
def _picker(draw: st.DrawFn) -> Pick:
    def pick(options: Any) -> Any:
        return draw(st.sampled_from(list(options)))

    return cast(Pick, pick)


@st.composite
def _invalid(draw: st.DrawFn, pairs: tuple[tuple[str, str], ...], profile: str) -> InvalidCase:
    kind, name = draw(st.sampled_from(pairs))  # uniform over mutations, not over kinds
    base = draw(events(kind, profile, realistic=True))  # clean under both profiles (tested), so no re-check
    case = mutate(name, base, _picker(draw), kind)
    note_event(f"mutation: {name}")
    return case


def invalid_events(kind: str = "any", profile: str = "published", *, include_warnings: bool = False) -> Strategy[InvalidCase]:
    """:class:`InvalidCase` s: a clean event broken by one catalogue mutation, labelled with its exact rules.

    By default every case has an error under ``profile`` (a parser must reject it);
    ``include_warnings=True`` adds the mutations the profile only warns about.
    """
    _check_kind(kind, EVENT_KINDS)
    _check_profile(profile)
    kinds = tuple(KINDS) if kind == "any" else (kind,)
    pairs = tuple((k, name) for k in kinds for name in mutations_for(k, profile, include_warnings=include_warnings))
    return _invalid(pairs, profile)


def invalid_snapshots(profile: str = "published", *, include_warnings: bool = False) -> Strategy[InvalidCase]:
    """:func:`invalid_events` for Snapshots."""
    return invalid_events("snapshot", profile, include_warnings=include_warnings)


# -- event streams: the model's transitions, written in a drawn voice -----------------------------
class _DrawnVoice(PlainVoice):
    """Stream events whose details (and equally correct alternatives) Hypothesis draws."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def choose(self, options: Sequence[T]) -> T:
        return self.draw(st.sampled_from(options))

    def pick_reason(self, name: str) -> str:
        return self.draw(_reason_codes if name == "NotReady" else st.one_of(_reason_codes, _no_reason))


class _Session(StreamWriter):
    """One agent's drawn stream: model transitions, a Snapshot after a step when the draw says so."""

    def __init__(self, draw: st.DrawFn) -> None:
        super().__init__(_DrawnVoice(draw))
        self.draw = draw

    def new_call_id(self) -> str:
        return self.draw(_call_ids.filter(lambda c: c not in self.world.calls))

    def wrap_up(self) -> None:
        if self.draw(st.booleans()):
            self.after_call_work()
            self.maybe_snapshot()
        if model.TRANSITIONS["ready"].possible(self.world):
            self.ready()
            self.maybe_snapshot()


def _inbound(s: _Session) -> None:
    call_id, caller = s.new_call_id(), s.draw(_numbers)
    s.call_offered(call_id, caller)
    s.maybe_snapshot()
    s.answer(call_id)
    if s.draw(st.booleans()):
        s.party_info(call_id, caller)
    s.maybe_snapshot()
    if s.draw(st.booleans()):
        s.hold(call_id)
        s.maybe_snapshot()
        s.retrieve(call_id)
        s.maybe_snapshot()
    s.caller_hangs_up(call_id)
    s.wrap_up()


def _outbound(s: _Session) -> None:
    call_id, number = s.new_call_id(), s.draw(_numbers)
    s.dial(call_id, number)
    s.maybe_snapshot()
    s.far_end_answers(call_id)
    s.maybe_snapshot()
    s.hang_up(call_id)
    s.wrap_up()


def _consult(s: _Session) -> None:
    call_id, caller = s.new_call_id(), s.draw(_numbers)
    s.call_offered(call_id, caller)
    s.answer(call_id)
    s.hold(call_id)
    consult_id, colleague = s.new_call_id(), s.draw(_extensions)
    s.consult(consult_id, colleague)
    s.maybe_snapshot()
    s.far_end_answers(consult_id)
    s.maybe_snapshot()
    ending = s.draw(st.sampled_from(("transfer", "conference", "back")))
    if ending == "transfer":
        s.transfer_complete(consult_id)
    elif ending == "conference":
        s.conference_complete(consult_id)
        s.maybe_snapshot()
        s.hang_up(call_id)
    else:  # the colleague hangs up; the agent takes the caller back
        s.caller_hangs_up(consult_id)
        s.retrieve(call_id)
        s.maybe_snapshot()
        s.hang_up(call_id)
    s.wrap_up()


def _missed(s: _Session) -> None:
    call_id, caller = s.new_call_id(), s.draw(_numbers)
    s.call_offered(call_id, caller)
    s.maybe_snapshot()
    s.abandoned(call_id)
    s.not_ready("MissedCallAgent")
    s.maybe_snapshot()
    s.ready()


def _link_drop(s: _Session) -> None:
    call_id, caller = s.new_call_id(), s.draw(_numbers)
    s.call_offered(call_id, caller)
    s.answer(call_id)
    s.link_down()
    s.link_up()
    s.caller_hangs_up(call_id)
    s.wrap_up()


def _aux(s: _Session) -> None:
    s.not_ready(s.draw(_reason_codes))
    s.maybe_snapshot()
    s.ready()


_SEGMENTS: Final = {
    "inbound_call": _inbound,
    "outbound_call": _outbound,
    "consult_transfer": _consult,
    "missed_call": _missed,
    "link_drop_reconnect": _link_drop,
    "aux": _aux,
}


@st.composite
def _session(draw: st.DrawFn, scenario: str | None, force_logout: bool | None = None, need: str | None = None) -> tuple[_Session, bool]:
    s = _Session(draw)
    s.login(draw(_agent_ids), draw(_extensions))
    if draw(st.booleans()):
        s.ready()
    else:
        s.not_ready("")
    if scenario in _SEGMENTS:
        _SEGMENTS[scenario](s)
    elif scenario is None:
        names = draw(st.lists(st.sampled_from(sorted(_SEGMENTS)), max_size=3))
        if need == "drop" and "link_drop_reconnect" not in names:
            names.append("link_drop_reconnect")
        for name in names:
            _SEGMENTS[name](s)
    logout = scenario == "logout" if force_logout is None and scenario is not None else force_logout
    if logout is None:
        logout = draw(st.booleans())
    if logout:
        if s.world.agent_state != "NotReady":
            s.not_ready(draw(_reason_codes))
            s.maybe_snapshot()
        s.logout()
    return s, logout


def _login_of(s: _Session) -> dict[str, str]:
    return {"agent_id": str(s.world.agent_id), "extension": str(s.world.extension)}


def _check_scenario(scenario: str | None) -> None:
    if scenario is not None and scenario not in SCENARIOS:
        raise ContractUsageError(f"unknown scenario {scenario!r}: choose one of {', '.join(SCENARIOS)} (or None for a mix)")


def event_sequences(scenario: str | None = None) -> Strategy[EventStream]:
    """:class:`EventStream` s that pass L1–L5 (``stream.check()`` is empty) with every event clean.

    ``scenario`` is one of :data:`SCENARIOS`; ``None`` mixes calls, breaks, link drops and
    maybe a logout. Login is always known (``stream.login``); ``stream.logout`` says whether
    logout was called.
    """
    _check_scenario(scenario)

    def build(pair: tuple[_Session, bool]) -> EventStream:
        s, logout = pair
        return EventStream(s.events, _login_of(s), logout, scenario or "mixed")

    return _session(scenario).map(build)


@st.composite
def _invalid_stream(draw: st.DrawFn, mutations: tuple[str, ...]) -> InvalidStream:
    name = draw(st.sampled_from(mutations))
    rule = STREAM_MUTATIONS[name]
    need_logout = rule in ("L2", "L5")
    s, logout = draw(_session(None, force_logout=need_logout or None, need="drop" if rule == "L3" else None))
    events = s.events
    if rule == "L1":  # the post-login Snapshot is gone: the AgentStateEvent after it comes first
        first = next(i for i, e in enumerate(events) if e["pyEventType"] == "SnapshotEvent")
        del events[first]
    elif rule == "L2":
        del events[s.marks["logout"]]
    elif rule == "L3":  # the reconnect Snapshot forgets the call that was up when the link dropped
        snap = events[s.marks["link_up"]]
        snap["pyLines"] = []
        snap["pyAgentState"] = "NotReady"
        snap["pyReasonCode"] = ""
    elif rule == "L4":
        snaps = [i for i, e in enumerate(events) if e["pyEventType"] == "SnapshotEvent"]
        snap = events[draw(st.sampled_from(snaps))]
        field = draw(st.sampled_from(("pyAgentId", "pyThisDN")))
        snap[field] = draw((_agent_ids if field == "pyAgentId" else _extensions).filter(lambda v: v != snap[field]))
    else:
        snap = events[s.marks["logout"]]
        if draw(st.booleans()):
            snap["pyDeviceState"] = "OPENED"
        else:
            snap["pyLines"] = [{"pyCallId": "", "pyLineState": "None"}]
    note_event(f"stream mutation: {name}")
    return InvalidStream(events, _login_of(s), logout, frozenset({rule}), name)


def invalid_event_sequences(rules: tuple[str, ...] | None = None) -> Strategy[InvalidStream]:
    """:class:`InvalidStream` s: clean events in an order (or with a detail) that breaks exactly one of L1–L5.

    ``rules`` limits the lifecycle rules broken (default: all five).
    """
    wanted = tuple(STREAM_MUTATIONS.values()) if rules is None else tuple(rules)
    unknown = sorted(set(wanted) - set(STREAM_MUTATIONS.values()))
    if unknown or not wanted:
        raise ContractUsageError(f"unknown lifecycle rule {', '.join(unknown) or '(none given)'}: choose from L1, L2, L3, L4, L5")
    return _invalid_stream(tuple(name for name, rule in STREAM_MUTATIONS.items() if rule in wanted))
