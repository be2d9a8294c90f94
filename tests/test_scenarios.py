"""Scenarios: every stream passes the per-event and lifecycle rules, and its Snapshots agree with its call events."""

from __future__ import annotations

import copy

import pytest

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.factories import EventFactory
from pytest_snapshot_cti.scenarios import SCENARIOS, parameters

STRICT = load_contract("strict")
REQUIRED = {"login", "logout", "inbound_call", "outbound_call", "consult_transfer", "missed_call", "link_drop_reconnect"}
#: Reference §2.5: CallStateEvent pyEventName -> Snapshot pyLineState (None: the line is gone).
MAPPING = {
    "Alerting": "Alerting",
    "Initiated": "Initiate",
    "Established": "Connected",
    "Connected": "Connected",
    "Held": "Holding",
    "Retrieved": "Retrieved",
    "Disconnected": None,
    "Abandoned": None,
}


def disagreements(events: list[dict]) -> list[str]:
    """Where a Snapshot's pyLines differ from what the call events before it imply.

    A Snapshot with the link down or the device closed observes no calls (C1/C2) and must
    show none; the next connected Snapshot must restate them all.
    """
    expected: dict[str, str] = {}
    problems = []
    for index, event in enumerate(events):
        if event["pyEventType"] == "CallStateEvent":
            state = MAPPING[event["pyEventName"]]
            if state is None:
                expected.pop(event["pyCallId"], None)
            else:
                expected[event["pyCallId"]] = state
        elif event["pyEventType"] == "SnapshotEvent":
            shown = {line["pyCallId"]: line["pyLineState"] for line in event["pyLines"]}
            observable = event["pyLinkState"] == "CONNECTED" and event["pyDeviceState"] == "OPENED"
            want = expected if observable else {}
            if shown != want:
                problems.append(f"event #{index + 1}: pyLines {shown} but the call events say {want}")
    return problems


def check_all(factory: EventFactory, name: str, events: list[dict], *, logout: bool | None = None) -> None:
    for index, event in enumerate(events):
        assert STRICT.validate(event) == [], (factory.seed, name, index, event)
    login = {"agent_id": events[0]["pyAgentId"], "extension": events[0]["pyThisDN"]}
    ends_logged_out = name == "logout" if logout is None else logout
    assert STRICT.check_stream(events, login=login, logout=ends_logged_out) == [], (factory.seed, name)
    assert STRICT.check_stream(events) == []
    assert disagreements(events) == [], (factory.seed, name)


def kinds(events: list[dict]) -> list[str]:
    short = {"SnapshotEvent": "Snapshot", "AgentStateEvent": "Agent", "CallStateEvent": "Call", "PartyInfoEvent": "Party"}
    out = []
    for e in events:
        if e["pyEventType"] == "SnapshotEvent":
            lines = ",".join(line["pyLineState"] for line in e["pyLines"])
            out.append(f"Snapshot({e['pyAgentState']}{'/' + e['pyLinkState'] if e['pyLinkState'] != 'CONNECTED' else ''}:{lines})")
        else:
            out.append(f"{short[e['pyEventType']]}({e['pyEventName']})")
    return out


def test_every_required_scenario_exists() -> None:
    assert set(SCENARIOS) >= REQUIRED


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_passes_every_rule_for_a_thousand_seeds(name: str) -> None:
    for seed in range(1000):
        factory = EventFactory(seed)
        check_all(factory, name, factory.scenario(name))


def test_the_agreement_helper_catches_a_stale_snapshot() -> None:
    events = EventFactory(1).scenario("inbound_call")
    broken = copy.deepcopy(events)
    held = next(i for i, e in enumerate(broken) if e.get("pyEventName") == "Held")
    broken[held + 1]["pyLines"][0]["pyLineState"] = "Connected"
    assert len(disagreements(broken)) == 1
    assert STRICT.validate(broken[held + 1]) == []  # per event it is fine: only the stream shows the lie


def test_inbound_call_is_the_documented_sequence() -> None:
    factory = EventFactory(1)
    events = factory.scenario("inbound_call", agent_id="5501", extension="8808")
    assert kinds(events) == [
        "Snapshot(Login:)",
        "Agent(Ready)",
        "Call(Alerting)",
        "Snapshot(Busy:Alerting)",
        "Party(PartyInfo)",
        "Call(Established)",
        "Snapshot(Busy:Connected)",
        "Call(Held)",
        "Snapshot(Busy:Holding)",
        "Call(Retrieved)",
        "Snapshot(Busy:Retrieved)",
        "Call(Disconnected)",
        "Agent(NotReady)",
        "Snapshot(NotReady:)",
        "Agent(Ready)",
        "Snapshot(Ready:)",
    ]
    snaps = [e for e in events if e["pyEventType"] == "SnapshotEvent"]
    assert {(s["pyAgentId"], s["pyThisDN"]) for s in snaps} == {("5501", "8808")}
    acw = events[12]
    assert (acw["pyWorkMode"], acw["pyReasonCode"]) == ("ACW", events[13]["pyReasonCode"])
    party = events[4]
    assert party["pyThisDN"] == "8808"
    assert party["pyParties"][0] == {"pyDN": "8808"}
    assert len({e["pyCallId"] for e in events if "pyCallId" in e}) == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("login", ["Snapshot(Login:)", "Agent(Ready)", "Snapshot(Ready:)"]),
        (
            "logout",
            [
                "Snapshot(Login:)",
                "Agent(Ready)",
                "Snapshot(Ready:)",
                "Agent(NotReady)",
                "Snapshot(NotReady:)",
                "Agent(Logout)",
                "Snapshot(Logout:)",
            ],
        ),
        (
            "missed_call",
            [
                "Snapshot(Login:)",
                "Agent(Ready)",
                "Call(Alerting)",
                "Snapshot(Busy:Alerting)",
                "Call(Abandoned)",
                "Agent(NotReady)",
                "Snapshot(NotReady:)",
            ],
        ),
    ],
)
def test_short_scenarios(name: str, expected: list[str]) -> None:
    assert kinds(EventFactory(2).scenario(name)) == expected


def test_logout_ends_unsubscribed() -> None:
    last = EventFactory(2).scenario("logout")[-1]
    assert (last["pyAgentState"], last["pyDeviceState"], last["pyLines"]) == ("Logout", "CLOSED", [])
    assert isinstance(last["pyReasonCode"], str)


def test_missed_call_leaves_the_agent_not_ready_with_the_reason() -> None:
    events = EventFactory(2).scenario("missed_call", reason="FailedConnectAgent")
    assert (events[-2]["pyReasonCode"], events[-1]["pyReasonCode"]) == ("FailedConnectAgent", "FailedConnectAgent")
    assert events[-1]["pyAgentState"] == "NotReady"


def test_consult_transfer_holds_the_original_and_consults_a_colleague() -> None:
    factory = EventFactory(3)
    events = factory.scenario("consult_transfer", call_id="A1", consult_call_id="B2", target="8809")
    two_lines = [
        [(line["pyCallId"], line["pyLineState"]) for line in e["pyLines"]]
        for e in events
        if e["pyEventType"] == "SnapshotEvent" and len(e["pyLines"]) == 2
    ]
    assert two_lines == [[("A1", "Holding"), ("B2", "Initiate")], [("A1", "Holding"), ("B2", "Connected")]]
    consult = [e for e in events if e.get("pyCallId") == "B2" and e["pyEventType"] == "CallStateEvent"]
    assert {(e["pyCallType"], e["pyOtherDN"]) for e in consult} == {("CONSULT", "8809")}


def test_link_drop_reconnect_restates_the_live_call() -> None:
    events = EventFactory(4).scenario("link_drop_reconnect", call_id="77")
    snaps = [e for e in events if e["pyEventType"] == "SnapshotEvent"]
    down = next(i for i, s in enumerate(snaps) if s["pyLinkState"] == "DISCONNECTED")
    assert (snaps[down]["pyAgentState"], snaps[down]["pyLines"]) == ("Unknown", [])
    assert snaps[down + 1]["pyLines"] == [{"pyCallId": "77", "pyLineState": "Connected"}]
    snaps[down + 1]["pyLines"] = []  # a reconnect that forgets the call
    assert [v.rule for v in STRICT.check_stream(events)] == ["L3"]


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("variant", [{"logout": True}, {"agent_id": "5501", "extension": "8808"}, {"acw": False}, {"hold": False}])
def test_parameters_keep_the_stream_valid(name: str, variant: dict) -> None:
    params = {key: value for key, value in variant.items() if key in parameters(name)}
    factory = EventFactory(5)
    events = factory.scenario(name, **params)
    check_all(factory, name, events, logout=params.get("logout", name == "logout"))
    if "agent_id" in params:
        assert {e["pyAgentId"] for e in events if "pyAgentId" in e} == {"5501"}
        assert {e["pyThisDN"] for e in events if "pyThisDN" in e} == {"8808"}
    if params.get("logout"):
        assert events[-1]["pyAgentState"] == "Logout"


def test_shorter_variants_drop_their_steps() -> None:
    factory = EventFactory(6)
    assert "Call(Held)" not in kinds(factory.scenario("inbound_call", hold=False))
    assert "Agent(NotReady)" not in kinds(factory.scenario("outbound_call", acw=False))


def test_same_seed_same_scenario() -> None:
    assert EventFactory(8).scenario("consult_transfer") == EventFactory(8).scenario("consult_transfer")
    assert EventFactory(8).scenario("consult_transfer") != EventFactory(9).scenario("consult_transfer")


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("inbound", {}, "unknown scenario 'inbound' (did you mean 'inbound_call'?): choose one of login, logout, inbound_call, "),
        ("login", {"call_id": "1"}, "scenario 'login' got unknown parameter 'call_id': it accepts agent_id, extension, logout"),
        ("inbound_call", {"agent_id": 5501}, "scenario 'inbound_call': agent_id must be a non-empty string (Pega sends every id"),
        ("inbound_call", {"hold": "no"}, "scenario 'inbound_call': hold must be True or False, got 'no'"),
        ("login", {"logout": 1}, "scenario 'login': logout must be True or False, got 1"),
    ],
)
def test_bad_scenario_arguments_are_clear_errors(name: str, params: dict, message: str) -> None:
    with pytest.raises(ValueError) as info:
        EventFactory(1).scenario(name, **params)
    assert str(info.value).startswith(message)


def test_story_tells_call_events_and_line_changes_ids_aside() -> None:
    from pytest_snapshot_cti import EventFactory
    from pytest_snapshot_cti.scenarios import story

    one = EventFactory(seed=1).scenario("inbound_call", agent_id="5501", extension="8808")
    other = EventFactory(seed=2).scenario("inbound_call", agent_id="7702", extension="9909")
    assert story(one) == story(other)
    assert story(one)[:3] == [[], "Alerting", ["Alerting"]]
    assert story(one) != story(EventFactory(seed=1).scenario("missed_call"))
    assert story([None, {"pyEventType": "SnapshotEvent", "pyLines": "junk"}, {"pyEventType": "CallStateEvent"}]) == [[], "None"]
