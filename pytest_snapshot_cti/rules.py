"""The rule table: every rule id the toolkit can report, its rationale and its severity per profile.

Schema findings keep ``schema.<keyword>`` ids, except the three the reference names:
S3 (a number/boolean/null where the contract says string), S4 (an enum value that differs
only by case or surrounding whitespace) and S5 (the strict profile's required fields).
The semantic rules inside one Snapshot (S1, S2, C1–C7) are stated once each, below: a function
that finds what is wrong (the engine reports it) and, beside it, its fast "finds nothing" condition
over the Snapshot's facts (:func:`snapshot_facts`), which the typed path and the dict path both ask
through :func:`snapshot_finds_nothing`. The stream rules L1–L5 live in :mod:`lifecycle`. Every check
tolerates garbage input: it runs on events the schema may already have rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from .violations import Severity

Profile = Literal["published", "strict"]
PROFILES: Final[tuple[str, ...]] = ("published", "strict")

#: Line states in which a call exists on the monitored device.
LIVE_LINE_STATES: Final = frozenset({"Alerting", "Connected", "Holding", "Retrieved", "Initiate"})
#: Line states in which the agent's own leg is active (talking or being offered the call).
ACTIVE_LINE_STATES: Final = frozenset({"Alerting", "Connected", "Retrieved"})
#: Line states in which the agent is on the call (a Ready agent in one is C5's advisory).
TALKING_LINE_STATES: Final = frozenset({"Connected", "Holding", "Retrieved"})
#: Fields only a Snapshot carries: auto-detection treats any event with one of them as a Snapshot.
SNAPSHOT_ONLY_FIELDS: Final = frozenset({"pyAgentState", "pyLines", "pyLinkState", "pyDeviceState"})
#: Reason codes that mean "no reason" (Pega's own example pairs ``Ready`` with ``"0"``).
NO_REASON: Final = frozenset({"", "0"})


@dataclass(frozen=True)
class Finding:
    """What a rule function reports; the contract turns it into a :class:`Violation`."""

    path: str
    message: str
    hint: str | None = None
    #: Report as a warning whatever the profile says (a legitimate-but-suspicious case).
    advisory: bool = False


RuleCheck = Callable[[Mapping[str, Any]], Iterator[Finding]]
#: A rule's fast condition: True when a Snapshot with these :func:`snapshot_facts` gives it nothing to find.
FindsNothing = Callable[[int], bool]


@dataclass(frozen=True)
class Rule:
    id: str
    rationale: str
    published: Severity | None
    strict: Severity | None
    scope: Literal["schema", "event", "snapshot", "stream", "callback", "oracle"]
    check: RuleCheck | None = None
    #: A snapshot rule's fast condition, stated beside ``check``: it finds nothing, given the Snapshot's facts.
    finds_nothing: FindsNothing | None = None

    def severity(self, profile: str) -> Severity | None:
        return self.strict if profile == "strict" else self.published


# -- the facts a fast condition reads: what a Snapshot shows, one bit each (see snapshot_facts) -----

#: pyEventType is there and is not 'SnapshotEvent' (S1)
TYPE_NOT_SNAPSHOT: Final = 1 << 0
#: pyEventName is a string other than 'Snapshot' (S2)
NAME_NOT_SNAPSHOT: Final = 1 << 1
#: pyAgentState is there and is not 'Unknown', whatever it holds (C1)
AGENT_STATED: Final = 1 << 2
#: pyAgentState is 'Ready' (C5), 'Busy' (C5), 'Logout' (C3), 'NotReady' or 'Logout' (C4)
AGENT_READY: Final = 1 << 3
AGENT_BUSY: Final = 1 << 4
AGENT_LOGOUT: Final = 1 << 5
AGENT_MAY_GIVE_REASON: Final = 1 << 6
#: pyReasonCode is a string other than '' and '0' (C4)
REASON_GIVEN: Final = 1 << 7
#: pyLinkState is 'DISCONNECTED' (C1); pyDeviceState is 'CLOSED' (C2)
LINK_DOWN: Final = 1 << 8
DEVICE_CLOSED: Final = 1 << 9
#: a line is live (C1, C2, C3, C5); a live line is one the agent talks on (C5)
LIVE_LINE: Final = 1 << 10
TALKING_LINE: Final = 1 << 11
#: a live line has an empty or null pyCallId; two lines have one non-empty pyCallId (C6)
UNNAMED_LIVE_LINE: Final = 1 << 12
SHARED_CALL_ID: Final = 1 << 13
#: two lines or more are active (C7)
TWO_ACTIVE_LINES: Final = 1 << 14
_FACT_BITS: Final = 15
_ACTIVE: Final = 1 << _FACT_BITS  # this line is active: counted by _line_facts, not a fact of the Snapshot

_AGENT_FACTS: Final[Mapping[str, int]] = {
    "Unknown": 0,
    "Ready": AGENT_STATED | AGENT_READY,
    "Busy": AGENT_STATED | AGENT_BUSY,
    "Logout": AGENT_STATED | AGENT_LOGOUT | AGENT_MAY_GIVE_REASON,
    "NotReady": AGENT_STATED | AGENT_MAY_GIVE_REASON,
}
_LINE_FACTS: Final[Mapping[str, int]] = {
    state: LIVE_LINE | (TALKING_LINE if state in TALKING_LINE_STATES else 0) | (_ACTIVE if state in ACTIVE_LINE_STATES else 0)
    for state in LIVE_LINE_STATES
}


class _TypedFacts(dict[Any, int]):
    """A table of facts for a typed Snapshot's values, which are its contract's enum strings or UNSET (left out):
    a value not listed is learned once (a string is ``unlisted``, UNSET none), then read by one subscript."""

    def __init__(self, listed: Mapping[str, int], unlisted: int) -> None:
        super().__init__(listed)
        self._unlisted = unlisted

    def __missing__(self, value: Any) -> int:
        found = self[value] = self._unlisted if type(value) is str else 0
        return found


_TYPED_AGENT_FACTS: Final = _TypedFacts(_AGENT_FACTS, AGENT_STATED)
_TYPED_ONE_LINE_FACTS: Final = _TypedFacts({state: found & ~_ACTIVE for state, found in _LINE_FACTS.items()}, 0)  # one line: no second


class _Missing:
    """A field the event leaves out (no JSON value is this)."""

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Final = _Missing()
_NO_REASON: Final = tuple(sorted(NO_REASON))
#: The fields :func:`snapshot_facts` reads of a Snapshot, and of each of its lines.
FACT_FIELDS: Final = ("pyEventType", "pyEventName", "pyAgentState", "pyReasonCode", "pyLinkState", "pyDeviceState", "pyLines")
LINE_FACT_FIELDS: Final = ("pyLineState", "pyCallId")


def snapshot_facts(snapshot: Mapping[str, Any]) -> int:
    """The facts (the bits above) of a Snapshot of parsed JSON, read as the finding functions read it:
    a missing field is not a null one, a line that is not an object is no line, a state that is not a
    string is no state, and any value at all is read without crashing."""
    get = snapshot.get
    agent, event_type = get("pyAgentState", _MISSING), get("pyEventType", _MISSING)
    name, code, lines = get("pyEventName"), get("pyReasonCode"), get("pyLines")
    facts = (
        (0 if agent is _MISSING else _AGENT_FACTS.get(agent, AGENT_STATED) if type(agent) is str else AGENT_STATED)
        | (TYPE_NOT_SNAPSHOT if event_type is not _MISSING and event_type != "SnapshotEvent" else 0)
        | (NAME_NOT_SNAPSHOT if type(name) is str and name != "Snapshot" else 0)
        | (REASON_GIVEN if type(code) is str and code not in NO_REASON else 0)
        | (LINK_DOWN if get("pyLinkState") == "DISCONNECTED" else 0)
        | (DEVICE_CLOSED if get("pyDeviceState") == "CLOSED" else 0)
    )
    if lines and type(lines) is list:
        line = lines[0]
        if len(lines) > 1 or type(line) is not dict:
            facts |= _line_facts(lines, False)
        elif type(state := line.get("pyLineState")) is str and state in _LINE_FACTS:  # one live line, the everyday case
            unnamed = line.get("pyCallId", _MISSING) in ("", None)
            facts |= _LINE_FACTS[state] & ~_ACTIVE | (UNNAMED_LIVE_LINE if unnamed else 0)
    return facts


def typed_snapshot_facts(snapshot: Any) -> int:
    """:func:`snapshot_facts` of a Snapshot decoded into a typed Struct (:class:`structs.TypedEvent`): the typed
    path's hot loop. Each field holds a string or msgspec's ``UNSET`` (left out), the lines are typed too,
    and pyEventType is the tag (S1 holds by it)."""
    facts = _TYPED_AGENT_FACTS[snapshot.pyAgentState]
    name = snapshot.pyEventName
    if name != "Snapshot" and type(name) is str:
        facts |= NAME_NOT_SNAPSHOT
    code = snapshot.pyReasonCode
    if code not in _NO_REASON and type(code) is str:  # compared, not hashed: UNSET is no reason
        facts |= REASON_GIVEN
    if snapshot.pyLinkState == "DISCONNECTED":
        facts |= LINK_DOWN
    if snapshot.pyDeviceState == "CLOSED":
        facts |= DEVICE_CLOSED
    lines = snapshot.pyLines
    if lines:
        if len(lines) == 1:  # the everyday Snapshot on a call
            line = lines[0]
            found = _TYPED_ONE_LINE_FACTS[line.pyLineState]
            if found:
                facts |= found
                if line.pyCallId == "":  # UNSET (left out) is no finding
                    facts |= UNNAMED_LIVE_LINE
        else:
            facts |= _line_facts(lines, True)
    return facts


def _line_facts(lines: list[Any], typed: bool) -> int:
    """The facts of a Snapshot's lines: dicts, or the typed lines of a typed Snapshot (anything else is no line)."""
    facts = active = 0
    ids: set[str] | None = None  # made for a second id only
    for line in lines:
        if type(line) is dict:
            state, call_id = line.get("pyLineState"), line.get("pyCallId", _MISSING)
        elif typed:
            state, call_id = line.pyLineState, line.pyCallId
        else:
            continue
        found = _LINE_FACTS.get(state, 0) if type(state) is str else 0
        if found:
            facts |= found
            active += found >= _ACTIVE
            if call_id == "" or call_id is None:
                facts |= UNNAMED_LIVE_LINE
        if type(call_id) is str and call_id:
            if ids is None:
                ids = {call_id}
            elif call_id in ids:
                facts |= SHARED_CALL_ID
            else:
                ids.add(call_id)
    if active > 1:
        facts |= TWO_ACTIVE_LINES
    return facts & ~_ACTIVE


def _lines(event: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    lines = event.get("pyLines")
    if not isinstance(lines, list):
        return []
    return [(i, line) for i, line in enumerate(lines) if isinstance(line, Mapping)]


def _state(line: Mapping[str, Any]) -> str | None:
    """The line's state when it is a string (a list or object there must not crash a set lookup)."""
    value = line.get("pyLineState")
    return value if isinstance(value, str) else None


def _live_lines(event: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    return [(i, line) for i, line in _lines(event) if _state(line) in LIVE_LINE_STATES]


def _line_path(index: int) -> str:
    return f"$.pyLines[{index}].pyLineState"


def check_s1(event: Mapping[str, Any]) -> Iterator[Finding]:
    value = event.get("pyEventType")
    if "pyEventType" in event and value != "SnapshotEvent":
        yield Finding(
            "$.pyEventType",
            f"a Snapshot must have pyEventType 'SnapshotEvent', got {value!r}",
            "the published enum lists every event type, but only 'SnapshotEvent' is a Snapshot",
        )


def s1_finds_nothing(facts: int) -> bool:
    return not facts & TYPE_NOT_SNAPSHOT


def check_s1_as(event: Mapping[str, Any], expected: str) -> Iterator[Finding]:
    """S1 for an event checked as a sibling kind (a forced ``kind``): its pyEventType, if any, is that kind's."""
    if "pyEventType" in event and event["pyEventType"] != expected:
        yield Finding("$.pyEventType", f"validated as {expected} but pyEventType is {event.get('pyEventType')!r}")


def s1_as_finds_nothing(event: Mapping[str, Any], expected: str) -> bool:
    return bool(event.get("pyEventType", expected) == expected)


def check_s2(event: Mapping[str, Any]) -> Iterator[Finding]:
    value = event.get("pyEventName")
    if "pyEventName" in event and value != "Snapshot" and isinstance(value, str):
        yield Finding(
            "$.pyEventName",
            f"a Snapshot is expected to have pyEventName 'Snapshot', got {value!r}",
            "Pega's only example is 'Snapshot'; agent states belong in pyAgentState",
        )


def s2_finds_nothing(facts: int) -> bool:
    return not facts & NAME_NOT_SNAPSHOT


def check_c1(event: Mapping[str, Any]) -> Iterator[Finding]:
    if event.get("pyLinkState") != "DISCONNECTED":
        return
    state = event.get("pyAgentState")
    if "pyAgentState" in event and state != "Unknown":
        yield Finding(
            "$.pyAgentState",
            f"agent state {state!r} while pyLinkState is 'DISCONNECTED': the ACD cannot be asked",
            "send 'Unknown' until the link is back",
        )
    for index, line in _live_lines(event):
        yield Finding(
            _line_path(index),
            f"line {line.get('pyCallId')!r} claims {line.get('pyLineState')!r} while pyLinkState is 'DISCONNECTED'",
            "call state is unobservable without the link: send pyLines [] and restate them on reconnect",
        )


def c1_finds_nothing(facts: int) -> bool:
    return not facts & LINK_DOWN or not facts & (AGENT_STATED | LIVE_LINE)


def check_c2(event: Mapping[str, Any]) -> Iterator[Finding]:
    if event.get("pyDeviceState") != "CLOSED":
        return
    for index, line in _live_lines(event):
        yield Finding(
            _line_path(index),
            f"line {line.get('pyCallId')!r} claims {line.get('pyLineState')!r} while pyDeviceState is 'CLOSED'",
            "a closed (unmonitored) device has no observable calls: send pyLines []",
        )


def c2_finds_nothing(facts: int) -> bool:
    return not facts & DEVICE_CLOSED or not facts & LIVE_LINE


def check_c3(event: Mapping[str, Any]) -> Iterator[Finding]:
    if event.get("pyAgentState") != "Logout":
        return
    for index, line in _live_lines(event):
        yield Finding(
            _line_path(index),
            f"line {line.get('pyCallId')!r} claims {line.get('pyLineState')!r} while pyAgentState is 'Logout'",
            "a logged-out agent has no calls: send pyLines []",
        )


def c3_finds_nothing(facts: int) -> bool:
    return not facts & AGENT_LOGOUT or not facts & LIVE_LINE


def check_c4(event: Mapping[str, Any]) -> Iterator[Finding]:
    code = event.get("pyReasonCode")
    state = event.get("pyAgentState")
    if isinstance(code, str) and code not in NO_REASON and state not in ("NotReady", "Logout"):
        yield Finding(
            "$.pyReasonCode",
            f"reason code {code!r} with pyAgentState {state!r}: reason codes belong to NotReady and Logout",
            "send '' (or '0') unless the agent is NotReady or logging out",
        )


def c4_finds_nothing(facts: int) -> bool:
    return not facts & REASON_GIVEN or bool(facts & AGENT_MAY_GIVE_REASON)


def check_c5(event: Mapping[str, Any]) -> Iterator[Finding]:
    state = event.get("pyAgentState")
    live = _live_lines(event)
    if state == "Busy" and not live:
        yield Finding(
            "$.pyAgentState",
            "pyAgentState is 'Busy' but no line is Alerting, Connected, Holding, Retrieved or Initiate",
            "a Busy agent has a call: restate it in pyLines, or send NotReady (e.g. after-call work) instead",
        )
    if state == "Ready":
        for index, line in live:
            if _state(line) in TALKING_LINE_STATES:
                yield Finding(
                    _line_path(index),
                    f"line {line.get('pyCallId')!r} is {line.get('pyLineState')!r} while pyAgentState is 'Ready'",
                    "most ACDs report Busy during a call (some keep Ready on non-ACD calls)",
                    advisory=True,
                )


def c5_finds_nothing(facts: int) -> bool:
    """Busy with a live line, and Ready on no line it talks on (the advisory is a finding too)."""
    return (not facts & AGENT_BUSY or bool(facts & LIVE_LINE)) and not (facts & AGENT_READY and facts & TALKING_LINE)


def check_c6(event: Mapping[str, Any]) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for index, line in _lines(event):
        call_id = line.get("pyCallId")
        if _state(line) in LIVE_LINE_STATES and call_id in ("", None) and "pyCallId" in line:
            yield Finding(
                f"$.pyLines[{index}].pyCallId",
                f"line in state {line.get('pyLineState')!r} has an empty pyCallId",
                "every live line needs the call id its CallStateEvents carry",
            )
        if isinstance(call_id, str) and call_id:
            if call_id in seen:
                yield Finding(
                    f"$.pyLines[{index}].pyCallId",
                    f"pyCallId {call_id!r} appears on pyLines[{seen[call_id]}] too",
                    "one call, one line: each pyCallId must be unique",
                )
            else:
                seen[call_id] = index


def c6_finds_nothing(facts: int) -> bool:
    return not facts & (UNNAMED_LIVE_LINE | SHARED_CALL_ID)


def check_c7(event: Mapping[str, Any]) -> Iterator[Finding]:
    active = [(i, line) for i, line in _lines(event) if _state(line) in ACTIVE_LINE_STATES]
    for index, _ in active[1:]:
        yield Finding(
            _line_path(index),
            f"{len(active)} lines are active at once (Alerting/Connected/Retrieved); extra lines should be Holding or Initiate",
            f"pyLines[{active[0][0]}] is already {active[0][1].get('pyLineState')!r}",
        )


def c7_finds_nothing(facts: int) -> bool:
    return not facts & TWO_ACTIVE_LINES


def _r(
    rule_id: str,
    rationale: str,
    published: Severity | None,
    strict: Severity | None,
    scope: Literal["schema", "event", "snapshot", "stream", "callback", "oracle"],
    check: RuleCheck | None = None,
    finds_nothing: FindsNothing | None = None,
) -> Rule:
    return Rule(rule_id, rationale, published, strict, scope, check, finds_nothing)


#: Every rule id, in report order. Severity ``None`` means "not checked in that profile".
RULES: Final[Mapping[str, Rule]] = {
    rule.id: rule
    for rule in (
        _r(
            "S1",
            "a Snapshot says pyEventType 'SnapshotEvent' (the published enum admits all five types)",
            "warning",
            "error",
            "snapshot",
            check_s1,
            s1_finds_nothing,
        ),
        _r(
            "S2",
            "a Snapshot's pyEventName is 'Snapshot' (Pega's only example; the schema says free string)",
            "warning",
            "warning",
            "snapshot",
            check_s2,
            s2_finds_nothing,
        ),
        _r(
            "S3",
            'a scalar typed string is a JSON string: "5501", not 5501 (numeric vendor ids are the classic bug)',
            "error",
            "error",
            "schema",
        ),
        _r("S4", "enum values are case-sensitive and exact: 'None', not 'NONE' or ' None'", "error", "error", "schema"),
        _r("S5", "strict: the fields Pega Call needs to resynchronise are present", None, "error", "schema"),
        _r("C1", "link DISCONNECTED: agent state 'Unknown' and no live lines", "warning", "error", "snapshot", check_c1, c1_finds_nothing),
        _r("C2", "device CLOSED (unmonitored): no live lines", "warning", "error", "snapshot", check_c2, c2_finds_nothing),
        _r("C3", "agent Logout: no live lines", "warning", "error", "snapshot", check_c3, c3_finds_nothing),
        _r(
            "C4",
            "a reason code ('' and '0' mean none) only with NotReady or Logout",
            "warning",
            "error",
            "snapshot",
            check_c4,
            c4_finds_nothing,
        ),
        _r(
            "C5",
            "agent Busy has a live line (a Ready agent talking is only ever a warning)",
            "warning",
            "error",
            "snapshot",
            check_c5,
            c5_finds_nothing,
        ),
        _r(
            "C6", "live lines carry a non-empty pyCallId, unique across pyLines", "warning", "error", "snapshot", check_c6, c6_finds_nothing
        ),
        _r(
            "C7",
            "at most one line is active (Alerting/Connected/Retrieved); others Holding or Initiate",
            "warning",
            "warning",
            "snapshot",
            check_c7,
            c7_finds_nothing,
        ),
        _r("L1", "after login, a Snapshot comes before the first agent or call event (Pega: 'must')", "error", "error", "stream"),
        _r("L2", "after logout, a Snapshot with pyAgentState 'Logout' is sent (Pega: 'must')", "error", "error", "stream"),
        _r("L3", "after a link drop, the reconnect Snapshot restates every call still live", "warning", "error", "stream"),
        _r("L4", "Snapshots carry the agent id and extension passed to login", "warning", "error", "stream"),
        _r("L5", "the post-logout Snapshot has pyLines [] and pyDeviceState 'CLOSED'", "warning", "warning", "stream"),
        _r(
            "kind.unknown",
            "pyEventType is missing (checked as the kind its fields show, if they show one) or names no OpenCTI event type",
            "warning",
            "error",
            "event",
        ),
        _r(
            "kind.undocumented",
            "CallInfoEvent is listed by Pega but has no published schema: passed through unchecked",
            "warning",
            "warning",
            "event",
        ),
        # The error object a failure callback receives (checked in error_objects.py).
        _r("F1", "failure receives an error object {errCode, errMessage}, not a string, null or nothing", "error", "error", "callback"),
        _r("F2", "the error object's errCode is a string (Pega Call maps it to a message rule)", "error", "error", "callback"),
        _r("F3", "the error object's errMessage is a string (shown when errCode has no translation)", "error", "error", "callback"),
        _r("F4", "errCode is one of Pega Call's documented default codes (vendor codes exist)", "warning", "warning", "callback"),
        _r("F5", "a request is answered once: success or failure, one time", "warning", "error", "callback"),
        # The model oracle of the conformance kit (checked in oracle.py): what the connector told Pega Call is true.
        _r(
            "O1",
            "every live call has been told to Pega Call (a call event or a Snapshot line), and not as ended",
            "error",
            "error",
            "oracle",
        ),
        _r("O2", "each live call's line state is the one it has (Holding after hold, Connected after answer…)", "error", "error", "oracle"),
        _r(
            "O3",
            "Pega Call is told of no live call the contact centre does not have (a stale call after hang-up)",
            "error",
            "error",
            "oracle",
        ),
        _r(
            "O4",
            "the agent state and reason code are the ones the agent has (Busy allowed while a call is live)",
            "error",
            "error",
            "oracle",
        ),
        _r(
            "O5",
            "the link and device states are the ones they have (DISCONNECTED after a link drop, CLOSED when unmonitored)",
            "error",
            "error",
            "oracle",
        ),
    )
}

#: Ids that are reported but are not semantic rules (schema keywords, JSON reading, serialisation).
OTHER_RULE_IDS: Final = frozenset(
    {
        "schema.type",
        "schema.enum",
        "schema.additionalProperties",
        "schema.required",
        "schema.items",
        "schema.ref",
        "json.syntax",
        "json.encoding",
        "json.bom",
        "json.empty",
        "json.duplicate_key",
        "json.nan",
        "json.number",
        "json.depth",
        "json.trailing_data",
        "json.not_object",
        "json.not_serializable",
        "js.console_error",
    }
)


def is_known_rule(rule_id: str) -> bool:
    return rule_id in RULES or rule_id in OTHER_RULE_IDS or rule_id.startswith("schema.")


def snapshot_checks() -> list[Rule]:
    return [rule for rule in RULES.values() if rule.scope == "snapshot"]


# -- the fast paths' one question ------------------------------------------------------------------

_SNAPSHOT_RULES: Final = tuple(snapshot_checks())


class _Verdicts(dict[int, bool]):
    """Facts -> whether every snapshot rule's fast condition holds: asked once per combination of facts."""

    def __missing__(self, facts: int) -> bool:
        verdict = self[facts] = all(rule.finds_nothing is not None and rule.finds_nothing(facts) for rule in _SNAPSHOT_RULES)
        return verdict


#: ``FINDS_NOTHING[snapshot_facts(snapshot)]``: True when none of S1, S2, C1–C7 finds anything in the Snapshot.
#: The typed path and the dict path both ask this; a lookup, once each combination of facts has turned up.
FINDS_NOTHING: Final[Mapping[int, bool]] = _Verdicts()


def snapshot_finds_nothing(snapshot: Any) -> bool:
    """True when none of S1, S2, C1–C7 finds anything in ``snapshot``: parsed JSON, or a typed Struct."""
    return FINDS_NOTHING[snapshot_facts(snapshot) if type(snapshot) is dict else typed_snapshot_facts(snapshot)]
