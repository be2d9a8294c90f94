"""The rule table: every rule id the toolkit can report, its rationale and its severity per profile.

Schema findings keep ``schema.<keyword>`` ids, except the three the reference names:
S3 (a number/boolean/null where the contract says string), S4 (an enum value that differs
only by case or surrounding whitespace) and S5 (the strict profile's required fields).
The semantic rules inside one Snapshot (S1, S2, C1–C7) are small functions below; the
stream rules L1–L5 live in :mod:`lifecycle`. Every check tolerates garbage input: it runs
on events the schema may already have rejected.
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


@dataclass(frozen=True)
class Rule:
    id: str
    rationale: str
    published: Severity | None
    strict: Severity | None
    scope: Literal["schema", "event", "snapshot", "stream", "callback", "oracle"]
    check: RuleCheck | None = None

    def severity(self, profile: str) -> Severity | None:
        return self.strict if profile == "strict" else self.published


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


def check_s2(event: Mapping[str, Any]) -> Iterator[Finding]:
    value = event.get("pyEventName")
    if "pyEventName" in event and value != "Snapshot" and isinstance(value, str):
        yield Finding(
            "$.pyEventName",
            f"a Snapshot is expected to have pyEventName 'Snapshot', got {value!r}",
            "Pega's only example is 'Snapshot'; agent states belong in pyAgentState",
        )


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


def check_c2(event: Mapping[str, Any]) -> Iterator[Finding]:
    if event.get("pyDeviceState") != "CLOSED":
        return
    for index, line in _live_lines(event):
        yield Finding(
            _line_path(index),
            f"line {line.get('pyCallId')!r} claims {line.get('pyLineState')!r} while pyDeviceState is 'CLOSED'",
            "a closed (unmonitored) device has no observable calls: send pyLines []",
        )


def check_c3(event: Mapping[str, Any]) -> Iterator[Finding]:
    if event.get("pyAgentState") != "Logout":
        return
    for index, line in _live_lines(event):
        yield Finding(
            _line_path(index),
            f"line {line.get('pyCallId')!r} claims {line.get('pyLineState')!r} while pyAgentState is 'Logout'",
            "a logged-out agent has no calls: send pyLines []",
        )


def check_c4(event: Mapping[str, Any]) -> Iterator[Finding]:
    code = event.get("pyReasonCode")
    state = event.get("pyAgentState")
    if isinstance(code, str) and code not in NO_REASON and state not in ("NotReady", "Logout"):
        yield Finding(
            "$.pyReasonCode",
            f"reason code {code!r} with pyAgentState {state!r}: reason codes belong to NotReady and Logout",
            "send '' (or '0') unless the agent is NotReady or logging out",
        )


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


def check_c7(event: Mapping[str, Any]) -> Iterator[Finding]:
    active = [(i, line) for i, line in _lines(event) if _state(line) in ACTIVE_LINE_STATES]
    for index, _ in active[1:]:
        yield Finding(
            _line_path(index),
            f"{len(active)} lines are active at once (Alerting/Connected/Retrieved); extra lines should be Holding or Initiate",
            f"pyLines[{active[0][0]}] is already {active[0][1].get('pyLineState')!r}",
        )


def _r(
    rule_id: str,
    rationale: str,
    published: Severity | None,
    strict: Severity | None,
    scope: Literal["schema", "event", "snapshot", "stream", "callback", "oracle"],
    check: RuleCheck | None = None,
) -> Rule:
    return Rule(rule_id, rationale, published, strict, scope, check)


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
        ),
        _r(
            "S2",
            "a Snapshot's pyEventName is 'Snapshot' (Pega's only example; the schema says free string)",
            "warning",
            "warning",
            "snapshot",
            check_s2,
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
        _r("C1", "link DISCONNECTED: agent state 'Unknown' and no live lines", "warning", "error", "snapshot", check_c1),
        _r("C2", "device CLOSED (unmonitored): no live lines", "warning", "error", "snapshot", check_c2),
        _r("C3", "agent Logout: no live lines", "warning", "error", "snapshot", check_c3),
        _r("C4", "a reason code ('' and '0' mean none) only with NotReady or Logout", "warning", "error", "snapshot", check_c4),
        _r("C5", "agent Busy has a live line (a Ready agent talking is only ever a warning)", "warning", "error", "snapshot", check_c5),
        _r("C6", "live lines carry a non-empty pyCallId, unique across pyLines", "warning", "error", "snapshot", check_c6),
        _r(
            "C7",
            "at most one line is active (Alerting/Connected/Retrieved); others Holding or Initiate",
            "warning",
            "warning",
            "snapshot",
            check_c7,
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
