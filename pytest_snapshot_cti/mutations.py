"""Labelled invalid events: a catalogue of mutations, each with the exact rules it breaks.

Hypothesis-free, so the CLI (``snapshot-cti generate --invalid``) and the strategies share
it: every random choice goes through ``pick(options)`` — Hypothesis passes a draw, the CLI
``random.Random(seed).choice``. A mutation starts from a *clean* base (an event with no
finding at all under the profile) and first sets up whatever other rules look at, so the
label is exact: ``{v.rule for v in contract.validate(case.document)} == case.expected_rules``.
The labels are declared here, never computed by running the validator.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

from .hints import SYNONYMS, enum_near_miss
from .rules import ACTIVE_LINE_STATES, LIVE_LINE_STATES, NO_REASON
from .schemas import EVENT_TYPES, KINDS, REQUIRED
from .violations import ContractUsageError

if TYPE_CHECKING:
    from .contract import Contract
    from .violations import Violation

T = TypeVar("T")
Event = dict[str, Any]


class Pick(Protocol):
    """Chooses one element of a non-empty sequence (a Hypothesis draw, or ``Random.choice``)."""

    def __call__(self, options: Sequence[T], /) -> T: ...


@dataclass(frozen=True)
class InvalidCase:
    """An event that breaks the contract, and exactly which rule ids ``Contract.validate`` reports."""

    document: Any
    expected_rules: frozenset[str]
    mutation: str


@dataclass(frozen=True)
class EventStream:
    """An ordered ``forwardEvent`` stream and the login/logout calls around it.

    Check it with ``contract.check_stream(s.events, login=s.login, logout=s.logout)``
    (or :meth:`check`), and each event with ``contract.validate``.
    """

    events: list[Event]
    login: dict[str, str] | None
    logout: bool
    scenario: str

    def check(self, contract: Contract | None = None) -> list[Violation]:
        """Lifecycle findings (L1–L5) under ``contract`` (default: the published profile)."""
        return _stream_contract(contract).check_stream(self.events, login=self.login, logout=self.logout)


@dataclass(frozen=True)
class InvalidStream:
    """A stream breaking exactly one lifecycle rule; labelled like :class:`InvalidCase`."""

    events: list[Event]
    login: dict[str, str] | None
    logout: bool
    expected_rules: frozenset[str]
    mutation: str

    @property
    def document(self) -> list[Event]:
        return self.events

    def check(self, contract: Contract | None = None) -> list[Violation]:
        return _stream_contract(contract).check_stream(self.events, login=self.login, logout=self.logout)


def _stream_contract(contract: Contract | None) -> Contract:
    return _contract("published") if contract is None else contract


@dataclass(frozen=True)
class Mutation:
    """One entry of the catalogue: what it does, the rules it breaks, where it applies."""

    name: str
    description: str
    rules: frozenset[str]
    kinds: tuple[str, ...]
    profiles: tuple[str, ...]
    apply: Callable[[Event, Pick, str], Event] = field(repr=False)


# -- value pools (every random choice below is a pick from one of these) -----------------------
_CALL_IDS: Final = ("4953", "4954", "1000234", "88120457", "7f3c2a9e-51d4-4c8e-9a61-0b2d7c4e8f10", "0A1B2C3D4E5F6071")
_NUMBERS: Final = (5501, 4953, 8808, 0, 1, -1, 12.5, 16175551212)
_REASONS: Final = ("1", "2", "7", "42", "AfterCallWork", "Break", "Lunch", "MissedCallAgent")
_WHITESPACE: Final = (" {}", "{} ", " {} ", "\t{}", "{}\n", "  {}")
_S2_NAMES: Final = ("SnapshotEvent", "snapshot", "Snapshot ", "AgentSnapshot", "Resync", "Ready")
_LIVE: Final = tuple(sorted(LIVE_LINE_STATES))
_ACTIVE: Final = tuple(sorted(ACTIVE_LINE_STATES))
_LINE_JUNK: Final = ("Connected", "4953", 4953, None, True, ["4953", "Connected"])
_NOT_ARRAY: Final[tuple[Any, ...]] = ("[]", None, 0, "Connected")

#: String-typed identifier fields per kind (top level), where vendors hand out numbers.
_ID_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "snapshot": ("pyAgentId", "pyThisDN", "pyReasonCode"),
    "agent": ("pyReasonCode",),
    "call": ("pyCallId", "pyANI", "pyOtherDN"),
    "party": ("pyCallId", "pyThisDN"),
}
#: Every string-typed top-level field per kind except pyEventType (it picks the contract).
_STRING_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "snapshot": ("pyAgentId", "pyThisDN", "pyReasonCode", "pyMedia", "pyEventName"),
    "agent": ("pyReasonCode", "pyMedia"),
    "call": ("pyCallId", "pyANI", "pyOtherDN", "pyMedia"),
    "party": ("pyCallId", "pyThisDN", "pyMedia", "pyEventName"),
}
#: Undocumented names connectors really send (typos, a sibling schema's field, vendor extras).
_EXTRA_NAMES: Final[Mapping[str, tuple[str, ...]]] = {
    "snapshot": ("pyWorkMode", "pyCallType", "pyAgentID", "agentId", "timestamp", "pyANI"),
    "agent": ("pyAgentId", "pyThisDN", "pyReasonText", "timestamp"),
    "call": ("pyThisDN", "pyCallState", "pyDNIS", "timestamp"),
    "party": ("pyANI", "pyParty", "timestamp"),
}
_ENUMS: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "snapshot": {
        "pyAgentState": ("Ready", "NotReady", "Login", "Logout", "Busy", "Unknown"),
        "pyDeviceState": ("OPENED", "CLOSED"),
        "pyLinkState": ("CONNECTED", "DISCONNECTED"),
    },
    "agent": {
        "pyEventName": ("Ready", "NotReady", "Login", "Logout", "Unknown"),
        "pyWorkMode": ("MODE_NONE", "MODE_AUTO_IN", "MODE_MANUAL_IN", "ACW", "BUSY", "AUX_WORK"),
    },
    "call": {
        "pyEventName": ("Abandoned", "Alerting", "Connected", "Disconnected", "Established", "Held", "Initiated", "Retrieved", "Offering"),
        "pyCallType": ("INTERNAL", "INBOUND", "OUTBOUND", "CONSULT", "UNKNOWN"),
    },
}
_LINE_STATES: Final = ("None", "Alerting", "Connected", "Holding", "Retrieved", "Initiate")

#: A target inside the event: a top-level field, or (array name, index, field).
Target = tuple[Any, ...]


# -- small helpers ------------------------------------------------------------------------------
def _get(doc: Event, target: Target) -> Any:
    node: Any = doc
    for part in target:
        node = node[part] if isinstance(node, list) or part in node else None
        if node is None:
            return None
    return node


def _set(doc: Event, target: Target, value: Any) -> None:
    node: Any = doc
    for part in target[:-1]:
        node = node[part]
    node[target[-1]] = value


def _lines(doc: Event) -> list[Any]:
    lines = doc.get("pyLines")
    if not isinstance(lines, list):
        lines = []
        doc["pyLines"] = lines
    return lines


def _is_live(line: Any) -> bool:
    return isinstance(line, dict) and line.get("pyLineState") in LIVE_LINE_STATES


def _call_ids(doc: Event) -> set[str]:
    lines = doc.get("pyLines")
    if not isinstance(lines, list):
        return set()
    return {line["pyCallId"] for line in lines if isinstance(line, dict) and isinstance(line.get("pyCallId"), str)}


def _fresh_call_id(doc: Event, pick: Pick, taken: set[str] | None = None) -> str:
    used = _call_ids(doc) | (taken or set())
    free = [call_id for call_id in _CALL_IDS if call_id not in used]
    return pick(free) if free else f"{pick(_CALL_IDS)}-{len(used)}"


def _keep_idle_lines(doc: Event) -> list[Any]:
    """Drop every live line, so rules about live lines start from nothing."""
    lines = [line for line in _lines(doc) if not _is_live(line)]
    doc["pyLines"] = lines
    return lines


def _clear_reason(doc: Event) -> None:
    if isinstance(doc.get("pyReasonCode"), str) and doc["pyReasonCode"] not in NO_REASON:
        doc["pyReasonCode"] = ""


def _talking_scene(doc: Event, agent: str, device: str = "OPENED") -> list[Any]:
    """Link up, ``device``, agent ``agent`` (no reason code unless NotReady/Logout), only idle lines left."""
    doc["pyLinkState"] = "CONNECTED"
    doc["pyDeviceState"] = device
    doc["pyAgentState"] = agent
    if agent not in ("NotReady", "Logout"):
        _clear_reason(doc)
    return _keep_idle_lines(doc)


# -- type mutations (S3, schema.type) -----------------------------------------------------------
def _string_targets(doc: Event, kind: str, names: Sequence[str], *, line_ids: bool, live_ids: bool) -> list[Target]:
    targets: list[Target] = [(name,) for name in names]
    if line_ids and kind == "snapshot" and isinstance(doc.get("pyLines"), list):
        for index, line in enumerate(doc["pyLines"]):
            if isinstance(line, dict) and "pyCallId" in line and (live_ids or not _is_live(line)):
                targets.append(("pyLines", index, "pyCallId"))
    if line_ids and kind == "party" and isinstance(doc.get("pyParties"), list):
        targets.extend(("pyParties", i, "pyDN") for i, p in enumerate(doc["pyParties"]) if isinstance(p, dict) and "pyDN" in p)
    return targets


def _number_id(doc: Event, pick: Pick, kind: str) -> Event:
    target = pick(_string_targets(doc, kind, _ID_FIELDS[kind], line_ids=True, live_ids=True))
    value = _get(doc, target)
    number = int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else pick(_NUMBERS)
    _set(doc, target, number)
    return doc


def _boolean_value(doc: Event, pick: Pick, kind: str) -> Event:
    target = pick(_string_targets(doc, kind, _STRING_FIELDS[kind], line_ids=True, live_ids=True))
    _set(doc, target, pick((True, False)))
    return doc


def _null_value(doc: Event, pick: Pick, kind: str) -> Event:
    # a live line's pyCallId is left alone: null there is also C6 (a live line without a call id)
    target = pick(_string_targets(doc, kind, _STRING_FIELDS[kind], line_ids=True, live_ids=False))
    _set(doc, target, None)
    return doc


def _array_field(kind: str) -> str:
    return "pyLines" if kind == "snapshot" else "pyParties"


def _not_array(doc: Event, pick: Pick, kind: str) -> Event:
    name = _array_field(kind)
    if kind == "snapshot" and doc.get("pyAgentState") == "Busy":
        doc["pyAgentState"] = "NotReady"  # no lines left: a Busy agent would also break C5
    items = doc.get(name)
    first = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else None
    doc[name] = pick([*_NOT_ARRAY, first] if first is not None else _NOT_ARRAY)
    return doc


def _item_not_object(doc: Event, pick: Pick, kind: str) -> Event:
    name = _array_field(kind)
    if not isinstance(doc.get(name), list):
        doc[name] = []
    doc[name].append(copy.deepcopy(pick(_LINE_JUNK)))
    return doc


# -- enum mutations (S4, schema.enum) -----------------------------------------------------------
def _enum_targets(doc: Event, kind: str) -> list[tuple[Target, tuple[str, ...]]]:
    """Enum fields whose value can turn into a non-member without any other rule noticing."""
    targets: list[tuple[Target, tuple[str, ...]]] = []
    enums = _ENUMS.get(kind, {})
    for name, members in enums.items():
        if kind == "snapshot" and name == "pyAgentState":
            code = doc.get("pyReasonCode")
            if doc.get("pyLinkState") == "DISCONNECTED" or (isinstance(code, str) and code not in NO_REASON):
                continue  # C1 wants 'Unknown' / C4 wants NotReady or Logout: leave the state alone
        targets.append(((name,), members))
    if kind == "snapshot" and isinstance(doc.get("pyLines"), list):
        lines = doc["pyLines"]
        live = [i for i, line in enumerate(lines) if _is_live(line)]
        for index, line in enumerate(lines):
            if not isinstance(line, dict):
                continue
            if index in live and doc.get("pyAgentState") == "Busy" and len(live) == 1:
                continue  # the Busy agent's only call: without it C5 fires
            targets.append((("pyLines", index, "pyLineState"), _LINE_STATES))
    return targets


def _member(doc: Event, target: Target, members: tuple[str, ...], pick: Pick) -> str:
    value = _get(doc, target)
    return value if value in members else pick(members)


def _case_variants(value: str, members: tuple[str, ...]) -> list[str]:
    variants = {value.upper(), value.lower(), value.swapcase(), value.capitalize(), value[:1].lower() + value[1:]}
    return sorted(v for v in variants if v != value and v not in members)


def _enum_case(doc: Event, pick: Pick, kind: str) -> Event:
    target, members = pick(_enum_targets(doc, kind))
    _set(doc, target, pick(_case_variants(_member(doc, target, members, pick), members)))
    return doc


def _enum_whitespace(doc: Event, pick: Pick, kind: str) -> Event:
    target, members = pick(_enum_targets(doc, kind))
    _set(doc, target, pick(_WHITESPACE).format(_member(doc, target, members, pick)))
    return doc


def _synonyms(members: tuple[str, ...]) -> list[str]:
    return [word for word, meant in SYNONYMS.items() if meant in members and word not in members and enum_near_miss(word, members) is None]


def _enum_synonym(doc: Event, pick: Pick, kind: str) -> Event:
    targets = [(target, members) for target, members in _enum_targets(doc, kind) if _synonyms(members)]
    target, members = pick(targets)
    _set(doc, target, pick(_synonyms(members)))
    return doc


# -- identity and structure (S1, S2, S5, additionalProperties, C6 duplicates) ------------------
def _ensure_snapshot_shape(doc: Event) -> None:
    if not {"pyAgentState", "pyLines", "pyLinkState", "pyDeviceState"} & doc.keys():
        doc["pyLines"] = []


def _wrong_event_type(doc: Event, pick: Pick, kind: str) -> Event:
    _ensure_snapshot_shape(doc)  # stays a Snapshot to the dispatcher, whatever pyEventType says
    doc["pyEventType"] = pick(("AgentStateEvent", "CallStateEvent", "PartyInfoEvent", "CallInfoEvent"))
    return doc


def _event_name(doc: Event, pick: Pick, kind: str) -> Event:
    doc["pyEventName"] = pick(_S2_NAMES)
    return doc


def _extra_property(doc: Event, pick: Pick, kind: str) -> Event:
    items = doc.get(_array_field(kind))
    holders: list[dict[str, Any]] = [doc]
    if isinstance(items, list):
        holders.extend(item for item in items if isinstance(item, dict))
    holder = pick(holders)
    names = _EXTRA_NAMES[kind] if holder is doc else ("pyCallType", "pyName", "pyDN2")
    holder[pick(names)] = pick(("INBOUND", "5501", "MODE_NONE", "2026-11-25T11:04:44Z"))
    return doc


def _missing_required(doc: Event, pick: Pick, kind: str) -> Event:
    names = [n for n in REQUIRED[kind] if n in doc and (kind == "snapshot" or n != "pyEventType")]
    if kind == "snapshot" and doc.get("pyAgentState") == "Busy":
        names.remove("pyLines")  # a Busy agent without pyLines also breaks C5
    code = doc.get("pyReasonCode")
    if kind == "snapshot" and isinstance(code, str) and code not in NO_REASON:
        names.remove("pyAgentState")  # a reason code without NotReady/Logout also breaks C4
    targets: list[Target] = [(n,) for n in names]
    items = doc.get(_array_field(kind))
    item_field = "pyCallId" if kind == "snapshot" else "pyDN"
    if isinstance(items, list):
        targets.extend((i, item_field) for i, item in enumerate(items) if isinstance(item, dict) and item_field in item)
    target = pick(targets)
    if len(target) == 1:
        del doc[target[0]]
    else:
        del doc[_array_field(kind)][target[0]][target[1]]
    return doc


def _duplicate_call_id(doc: Event, pick: Pick, kind: str) -> Event:
    lines = _lines(doc)
    owners = [line["pyCallId"] for line in lines if isinstance(line, dict) and isinstance(line.get("pyCallId"), str) and line["pyCallId"]]
    call_id = pick(sorted(set(owners))) if owners else _fresh_call_id(doc, pick)
    if not owners:
        lines.append({"pyCallId": call_id, "pyLineState": "None"})
    lines.append({"pyCallId": call_id, "pyLineState": "None"})  # idle, so no live-line rule notices it
    return doc


# -- semantic contradictions C1–C7 ---------------------------------------------------------------
def _add_live_line(doc: Event, pick: Pick, states: Sequence[str], call_id: str | None = None) -> None:
    _lines(doc).append({"pyCallId": _fresh_call_id(doc, pick) if call_id is None else call_id, "pyLineState": pick(states)})


def _c1_link_down(doc: Event, pick: Pick, kind: str) -> Event:
    if pick(("agent state", "live line")) == "agent state":
        agent = pick(("Ready", "NotReady", "Login", "Logout"))
        _talking_scene(doc, agent, device=doc.get("pyDeviceState", "OPENED"))
    else:
        _talking_scene(doc, "Unknown")
        _add_live_line(doc, pick, _LIVE)
    doc["pyLinkState"] = "DISCONNECTED"
    return doc


def _c2_device_closed(doc: Event, pick: Pick, kind: str) -> Event:
    _talking_scene(doc, pick(("Busy", "NotReady", "Login", "Unknown")), device="CLOSED")
    _add_live_line(doc, pick, _LIVE)
    return doc


def _c3_logout_with_call(doc: Event, pick: Pick, kind: str) -> Event:
    _talking_scene(doc, "Logout")
    _add_live_line(doc, pick, _LIVE)
    return doc


def _c4_reason_code(doc: Event, pick: Pick, kind: str) -> Event:
    state = doc.get("pyAgentState")
    if state is None or state in ("NotReady", "Logout"):
        doc["pyAgentState"] = "Unknown" if doc.get("pyLinkState") == "DISCONNECTED" else "Login"
    doc["pyReasonCode"] = pick(_REASONS)
    return doc


def _c5_busy_without_call(doc: Event, pick: Pick, kind: str) -> Event:
    _talking_scene(doc, "Busy", device=doc.get("pyDeviceState", "OPENED"))
    return doc


def _c6_empty_call_id(doc: Event, pick: Pick, kind: str) -> Event:
    _talking_scene(doc, "Busy")
    _add_live_line(doc, pick, _LIVE, call_id="")
    return doc


def _c7_two_active(doc: Event, pick: Pick, kind: str) -> Event:
    _talking_scene(doc, "Busy")
    first = _fresh_call_id(doc, pick)
    _add_live_line(doc, pick, _ACTIVE, call_id=first)
    _add_live_line(doc, pick, _ACTIVE, call_id=_fresh_call_id(doc, pick, {first}))
    return doc


# -- the catalogue ------------------------------------------------------------------------------
_ALL: Final = ("snapshot", "agent", "call", "party")
_ENUM_KINDS: Final = ("snapshot", "agent", "call")
_BOTH: Final = ("published", "strict")
_STRICT: Final = ("strict",)


def _m(name: str, description: str, rules: str, kinds: tuple[str, ...], profiles: tuple[str, ...], apply: Any) -> Mutation:
    return Mutation(name, description, frozenset(rules.split(",")), kinds, profiles, apply)


#: Every mutation, in documentation order: name -> :class:`Mutation`.
MUTATIONS: Final[Mapping[str, Mutation]] = {
    m.name: m
    for m in (
        _m("number_id", 'an id or code sent as a JSON number (5501 for "5501")', "S3", _ALL, _BOTH, _number_id),
        _m("boolean_value", "a string field sent as true/false", "S3", _ALL, _BOTH, _boolean_value),
        _m("null_value", "a string field sent as null", "S3", _ALL, _BOTH, _null_value),
        _m("enum_case", "an enum value in the wrong case ('NONE', 'ready')", "S4", _ENUM_KINDS, _BOTH, _enum_case),
        _m("enum_whitespace", "an enum value with surrounding whitespace (' Ready')", "S4", _ENUM_KINDS, _BOTH, _enum_whitespace),
        _m(
            "enum_synonym",
            "vendor vocabulary for an enum value ('Available' for 'Ready')",
            "schema.enum",
            _ENUM_KINDS,
            _BOTH,
            _enum_synonym,
        ),
        _m(
            "lines_not_array",
            "pyLines is not an array (an object, a string, null, a number)",
            "schema.type",
            ("snapshot",),
            _BOTH,
            _not_array,
        ),
        _m("line_not_object", "a pyLines item is not an object", "schema.type", ("snapshot",), _BOTH, _item_not_object),
        _m("parties_not_array", "pyParties is not an array", "schema.type", ("party",), _BOTH, _not_array),
        _m("party_not_object", "a pyParties item is not an object", "schema.type", ("party",), _BOTH, _item_not_object),
        _m("duplicate_call_id", "two lines share one pyCallId", "C6", ("snapshot",), _BOTH, _duplicate_call_id),
        _m("wrong_event_type", "a Snapshot-shaped event with another pyEventType", "S1", ("snapshot",), _BOTH, _wrong_event_type),
        _m("event_name_not_snapshot", "a Snapshot whose pyEventName is not 'Snapshot'", "S2", ("snapshot",), _BOTH, _event_name),
        _m(
            "extra_property",
            "an undocumented property (a typo, a sibling schema's field)",
            "schema.additionalProperties",
            _ALL,
            _STRICT,
            _extra_property,
        ),
        _m("missing_required", "a field of the strict required set is missing", "S5", _ALL, _STRICT, _missing_required),
        _m(
            "link_down_with_state",
            "link DISCONNECTED but an agent state or a live line is claimed",
            "C1",
            ("snapshot",),
            _BOTH,
            _c1_link_down,
        ),
        _m("closed_device_with_call", "device CLOSED with a live line", "C2", ("snapshot",), _BOTH, _c2_device_closed),
        _m("logout_with_call", "agent Logout with a live line", "C3", ("snapshot",), _BOTH, _c3_logout_with_call),
        _m(
            "reason_code_without_not_ready",
            "a reason code while the agent is neither NotReady nor Logout",
            "C4",
            ("snapshot",),
            _BOTH,
            _c4_reason_code,
        ),
        _m("busy_without_call", "agent Busy with no live line", "C5", ("snapshot",), _BOTH, _c5_busy_without_call),
        _m("live_line_without_call_id", "a live line with an empty pyCallId", "C6", ("snapshot",), _BOTH, _c6_empty_call_id),
        _m("two_active_lines", "two lines Alerting/Connected/Retrieved at once", "C7", ("snapshot",), _BOTH, _c7_two_active),
    )
}


# -- public helpers -----------------------------------------------------------------------------
def _contract(profile: str) -> Contract:
    from .contract import load_contract

    return load_contract(profile)


def kind_of(event: Any) -> str | None:
    """The kind the contract dispatches ``event`` to (``None`` when none applies)."""
    from .lifecycle import event_type

    value = event_type(event)
    return EVENT_TYPES.get(value) if value is not None else None


def is_error(mutation: str, profile: str = "published") -> bool:
    """True when ``mutation``'s expected rules include an error (not only warnings) under ``profile``."""
    contract = _contract(profile)
    return any(contract.severity(rule) == "error" for rule in MUTATIONS[mutation].rules)


def mutations_for(kind: str = "snapshot", profile: str = "published", *, include_warnings: bool = False) -> tuple[str, ...]:
    """Names of the mutations that apply to ``kind`` under ``profile``.

    By default only those that make the event *invalid* (an error under the profile);
    ``include_warnings=True`` adds the ones the profile reports as warnings only.
    """
    if kind not in KINDS:
        raise ContractUsageError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
    return tuple(
        name for name, m in MUTATIONS.items() if kind in m.kinds and profile in m.profiles and (include_warnings or is_error(name, profile))
    )


def apply_mutation(name: str, base: Mapping[str, Any], pick: Pick, *, profile: str = "published") -> InvalidCase:
    """Mutate a copy of ``base`` (a clean event) with catalogue entry ``name``.

    ``base`` must draw no finding at all under ``profile`` (else the label could not be
    exact); :class:`ContractUsageError` says so, and names unknown or inapplicable mutations.
    """
    contract = _contract(profile)
    mutation = MUTATIONS.get(name)
    if mutation is None:
        raise ContractUsageError(f"unknown mutation {name!r}: choose one of {', '.join(MUTATIONS)}")
    if profile not in mutation.profiles:
        raise ContractUsageError(f"mutation {name!r} is only detected under the {' and '.join(mutation.profiles)} profile")
    found = contract.validate(base)
    if found:
        rules = ", ".join(sorted({v.rule for v in found}))
        raise ContractUsageError(f"apply_mutation needs a clean base event (no findings under the {profile} profile); this one has {rules}")
    kind = kind_of(base)
    assert kind is not None  # a clean event always has a kind
    if kind not in mutation.kinds:
        raise ContractUsageError(f"mutation {name!r} applies to {', '.join(mutation.kinds)} events, not {kind}")
    return mutate(name, base, pick, kind)


def mutate(name: str, base: Mapping[str, Any], pick: Pick, kind: str) -> InvalidCase:
    """:func:`apply_mutation` without the checks, for bases known to be clean (the strategies' own)."""
    mutation = MUTATIONS[name]
    return InvalidCase(mutation.apply(copy.deepcopy(dict(base)), pick, kind), mutation.rules, name)
