"""Lifecycle rules L1–L5 over an ordered stream of forwarded events."""

from __future__ import annotations

from typing import Any

from pytest_snapshot_cti import check_stream, load_contract
from pytest_snapshot_cti.lifecycle import split_streams


def snap(
    state: str = "Ready", *, lines: list[dict[str, str]] | None = None, link: str = "CONNECTED", device: str = "OPENED", **more: str
) -> dict[str, Any]:
    return {
        "pyEventType": "SnapshotEvent",
        "pyEventName": "Snapshot",
        "pyAgentId": "5501",
        "pyThisDN": "8808",
        "pyAgentState": state,
        "pyLinkState": link,
        "pyDeviceState": device,
        "pyLines": lines or [],
        **more,
    }


def agent(name: str) -> dict[str, str]:
    return {"pyEventType": "AgentStateEvent", "pyEventName": name}


def call(name: str, call_id: str = "4953") -> dict[str, str]:
    return {"pyEventType": "CallStateEvent", "pyEventName": name, "pyCallId": call_id}


LOGIN = {"agent_id": "5501", "extension": "8808"}
STRICT = load_contract("strict")


def summary(violations: list[Any]) -> list[tuple[str, str, str | None]]:
    return [(v.rule, v.severity, v.location) for v in violations]


def test_a_clean_session_passes() -> None:
    events = [
        snap("NotReady"),
        agent("Ready"),
        call("Alerting"),
        call("Established"),
        call("Disconnected"),
        snap("Logout", device="CLOSED"),
    ]
    assert STRICT.check_stream(events, login=LOGIN, logout=True) == []


def test_l1_agent_event_before_the_login_snapshot() -> None:
    found = STRICT.check_stream([agent("Ready"), snap()], login=LOGIN)
    assert summary(found) == [("L1", "error", "event #1")]
    assert found[0].message == "AgentStateEvent forwarded after login before any Snapshot"


def test_l1_no_snapshot_at_all() -> None:
    (violation,) = STRICT.check_stream([], login=LOGIN)
    assert (violation.rule, violation.location, violation.message) == ("L1", "end of stream", "no Snapshot was forwarded after login")


def test_l1_applies_when_login_is_evident_in_the_stream() -> None:
    found = check_stream([call("Alerting"), agent("Login"), agent("Ready")])
    assert summary(found) == [("L1", "error", "event #3")]
    assert "after the Login event (event #2)" in found[0].message


def test_a_capture_starting_mid_session_raises_no_l1() -> None:
    assert check_stream([call("Alerting"), snap("Busy", lines=[{"pyCallId": "4953", "pyLineState": "Alerting"}])]) == []


def test_l2_and_l5_after_logout() -> None:
    (missing,) = STRICT.check_stream([snap()], login=LOGIN, logout=True)
    assert (missing.rule, missing.message) == ("L2", "no Snapshot with pyAgentState 'Logout' was forwarded after logout")
    found = STRICT.check_stream([snap(), snap("Logout", lines=[{"pyCallId": "1", "pyLineState": "None"}])], login=LOGIN, logout=True)
    assert [(v.rule, v.severity, v.path, v.location) for v in found] == [
        ("L5", "warning", "$.pyLines", "event #2"),
        ("L5", "warning", "$.pyDeviceState", "event #2"),
    ]


def test_a_missing_logout_snapshot_is_reported_once_when_logout_is_known_and_evident() -> None:
    (violation,) = STRICT.check_stream([snap(), agent("Logout")], logout=True)
    assert (violation.rule, violation.message) == ("L2", "no Snapshot with pyAgentState 'Logout' was forwarded after logout")


def test_l2_when_logout_is_evident() -> None:
    (violation,) = check_stream([snap(), agent("Logout")])
    assert violation.rule == "L2"
    assert "after the Logout event (event #2)" in violation.message


def test_l3_reconnect_must_restate_live_calls() -> None:
    live = [{"pyCallId": "4953", "pyLineState": "Connected"}]
    events = [snap("Busy", lines=live), snap("Unknown", link="DISCONNECTED"), snap("Ready")]
    (violation,) = STRICT.check_stream(events)
    assert (violation.rule, violation.path, violation.location) == ("L3", "$.pyLines", "event #3")
    assert violation.message == "call '4953' was live when the link dropped (event #2) and the reconnect Snapshot does not restate it"
    assert STRICT.check_stream([*events[:2], snap("Busy", lines=live)]) == []
    assert STRICT.check_stream([*events[:2], call("Disconnected"), snap("Ready")]) == []


def test_l4_ids_match_login() -> None:
    (violation,) = STRICT.check_stream([snap(pyThisDN="8809")], login=LOGIN)
    assert (violation.rule, violation.path, violation.message) == (
        "L4",
        "$.pyThisDN",
        "pyThisDN is '8809' but login was called with '8808'",
    )
    assert check_stream([snap(pyThisDN="8809")], login=LOGIN)[0].severity == "warning"


def test_locations_can_be_given() -> None:
    (violation,) = check_stream([agent("Login"), agent("Ready")], locations=["c.jsonl:1", "c.jsonl:2"])
    assert violation.location == "c.jsonl:2"


def test_disabled_lifecycle_rules_are_skipped() -> None:
    assert load_contract("strict", disable=["L1"]).check_stream([agent("Ready")], login=LOGIN) == []


def test_streams_split_by_device_with_agent_events_following_their_device() -> None:
    events = [snap(pyThisDN="8808"), agent("Ready"), snap(pyThisDN="9909"), agent("NotReady"), call("Alerting")]
    assert split_streams(events) == {"8808": [0, 1], "9909": [2, 3, 4]}


def test_events_before_the_first_keyed_one_join_the_first_stream() -> None:
    events = [agent("Login"), snap(pyThisDN="8808"), agent("Ready"), snap(pyThisDN="9909")]
    assert split_streams(events) == {"8808": [0, 1, 2], "9909": [3]}
    assert split_streams([agent("Login"), agent("Ready")]) == {"": [0, 1]}
    assert check_stream([events[i] for i in split_streams(events)["8808"]]) == []


def test_junk_in_the_stream_never_crashes() -> None:
    check_stream(
        [None, 5, "x", {"pyEventType": ["x"]}, {"pyEventType": "CallStateEvent", "pyCallId": "1", "pyEventName": ["Held"]}],
        login=LOGIN,
        logout=True,
    )
