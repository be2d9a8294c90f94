"""EventRecorder as a connector's forwardEvent callback: copying, looking, checking."""

from __future__ import annotations

import datetime
import math

import pytest

from pytest_snapshot_cti import ContractViolationError, EventRecorder, load_contract


def snapshot(**overrides: object) -> dict[str, object]:
    event: dict[str, object] = {
        "pyEventType": "SnapshotEvent",
        "pyEventName": "Snapshot",
        "pyAgentId": "5501",
        "pyThisDN": "8808",
        "pyAgentState": "Ready",
        "pyLinkState": "CONNECTED",
        "pyDeviceState": "OPENED",
        "pyLines": [],
    }
    event.update(overrides)
    return event


def agent(name: str) -> dict[str, object]:
    return {"pyEventType": "AgentStateEvent", "pyEventName": name}


def test_records_a_deep_copy_so_a_reused_dict_is_seen_as_forwarded() -> None:
    recorder = EventRecorder()
    event = snapshot(pyLines=[{"pyCallId": "c1", "pyLineState": "Connected"}], pyAgentState="Busy")
    recorder(event)
    event["pyAgentState"] = "Ready"
    event["pyLines"][0]["pyLineState"] = "None"  # type: ignore[index]
    recorder(event)
    assert [e["pyAgentState"] for e in recorder.events] == ["Busy", "Ready"]
    assert recorder.events[0]["pyLines"][0]["pyLineState"] == "Connected"


def test_lookups_by_type_and_last() -> None:
    recorder = EventRecorder()
    recorder(agent("Login"))
    recorder(snapshot())
    recorder(agent("Ready"))
    assert len(recorder) == 3
    assert recorder.snapshots == [snapshot()]
    assert recorder.of_type("AgentStateEvent") == [agent("Login"), agent("Ready")]
    assert recorder.last() == agent("Ready")
    assert recorder.last("SnapshotEvent") == snapshot()
    with pytest.raises(AssertionError, match=r"no CallStateEvent was forwarded; the recorder heard 3: AgentStateEvent, SnapshotEvent"):
        recorder.last("CallStateEvent")
    recorder.clear()
    assert recorder.events == []
    with pytest.raises(AssertionError, match="the recorder heard nothing"):
        recorder.last()
    with pytest.raises(IndexError):
        recorder.last("SnapshotEvent")


def test_profile_and_disable_shortcuts() -> None:
    recorder = EventRecorder(profile="strict", disable="C5")
    assert (recorder.contract.profile, recorder.contract.disabled) == ("strict", frozenset({"C5"}))
    with pytest.raises(ValueError, match="either contract= or profile="):
        EventRecorder(load_contract(), profile="strict")


def test_json_text_is_parsed_strictly() -> None:
    recorder = EventRecorder()
    recorder('{"pyEventType": "SnapshotEvent", "pyAgentState": "Ready"}')
    recorder(b'{"pyAgentState": NaN}')
    assert recorder.events[0] == {"pyEventType": "SnapshotEvent", "pyAgentState": "Ready"}
    rules = [(v.rule, v.location) for v in recorder.validate()]
    assert ("json.nan", "event #2 (event without pyEventType)") in rules


@pytest.mark.parametrize(
    ("value", "path", "words"),
    [
        (datetime.datetime(2024, 1, 1), "$.pyLines[0].pyCallId", "a datetime is not JSON-serialisable"),
        ({"a"}, "$.pyLines[0].pyCallId", "a set is not JSON-serialisable"),
        (b"c1", "$.pyLines[0].pyCallId", "a bytes is not JSON-serialisable"),
        (math.nan, "$.pyLines[0].pyCallId", "nan is not valid JSON"),
        (math.inf, "$.pyLines[0].pyCallId", "inf is not valid JSON"),
    ],
)
def test_values_json_cannot_carry_are_violations_at_their_path(value: object, path: str, words: str) -> None:
    recorder = EventRecorder()
    recorder(snapshot(pyLines=[{"pyCallId": value, "pyLineState": "Connected"}], pyAgentState="Busy"))
    found = [v for v in recorder.validate() if v.rule == "json.not_serializable"]
    assert [(v.path, v.location) for v in found] == [(path, "event #1 (SnapshotEvent)")]
    assert words in found[0].message
    assert found[0].severity == "error"


def test_an_event_nested_thousands_deep_is_recorded_and_reported_not_raised() -> None:
    deep: list[object] = []
    for _ in range(5000):
        deep = [deep]
    recorder = EventRecorder()
    recorder({"pyEventType": "AgentStateEvent", "pyEventName": "Ready", "xVendor": deep})
    per_event, _ = recorder.check()
    assert [(v.rule, v.location) for v in per_event] == [("json.depth", "event #1 (AgentStateEvent)")]


def test_non_string_keys_are_reported() -> None:
    recorder = EventRecorder()
    recorder({**snapshot(), 7: "x"})
    (found,) = [v for v in recorder.validate() if v.rule == "json.not_serializable"]  # reported once, not again by the contract
    assert found.message == "object key 7 is a int, not a string"
    assert recorder.events[-1]["7"] == "x"  # the copy holds the key as JSON carries it


def test_str_enum_values_serialise_as_their_text() -> None:
    import enum

    class State(str, enum.Enum):
        READY = "Ready"

    recorder = EventRecorder()
    recorder(snapshot(pyAgentState=State.READY))
    assert type(recorder.events[0]["pyAgentState"]) is str
    assert recorder.validate() == []


def test_each_event_is_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    contract = load_contract()
    calls: list[object] = []
    original = contract.validate_value  # the recorder hands on values it copied or read
    monkeypatch.setattr(contract, "validate_value", lambda event, **kw: calls.append(event) or original(event, **kw))
    recorder = EventRecorder(contract)
    recorder(snapshot())
    recorder.validate()
    recorder(snapshot(pyAgentState="NotReady", pyReasonCode="1"))
    recorder.validate()
    assert len(calls) == 2


def test_lifecycle_needs_login_and_logout_expectations() -> None:
    recorder = EventRecorder()
    recorder(agent("Ready"))
    assert recorder.validate() == []
    recorder.expect_login(agent_id="5501", extension="8808")
    (l1,) = recorder.validate()
    assert (l1.rule, l1.location, l1.path) == ("L1", "event #1 (AgentStateEvent)", "$.pyEventType")
    recorder.clear()
    recorder.expect_login(agent_id="5501", extension="8808")
    recorder(snapshot(pyAgentId="9999"))
    recorder.expect_logout()
    rules = sorted(v.rule for v in recorder.validate())
    assert rules == ["L2", "L4"]


def test_assert_valid_message_names_event_path_hint_and_rule() -> None:
    recorder = EventRecorder()
    recorder(agent("Login"))
    recorder(snapshot(pyAgentState="READY"))
    with pytest.raises(ContractViolationError) as info:
        recorder.assert_valid()
    assert str(info.value).splitlines() == [
        "cti_recorder (2 events forwarded) violates the Pega OpenCTI contract (profile: published) — 1 error:",
        "  event #2 (SnapshotEvent) $.pyAgentState: 'READY' is not one of ['Ready', 'NotReady', 'Login', 'Logout', 'Busy', 'Unknown']"
        " (did you mean 'Ready'? enum values are case-sensitive) [S4]",
    ]
    assert [v.rule for v in info.value.violations] == ["S4"]


def test_warnings_pass_unless_fail_on_warnings() -> None:
    event = snapshot(pyEventName="snapshot")  # S2 is a warning in the published profile
    relaxed = EventRecorder()
    relaxed(event)
    assert [v.severity for v in relaxed.assert_valid()] == ["warning"]
    strict = EventRecorder(fail_on_warnings=True)
    strict(event)
    with pytest.raises(ContractViolationError, match="1 warning"):
        strict.assert_valid()


def test_disabled_rules_are_not_reported() -> None:
    recorder = EventRecorder(load_contract(disable=["S4", "json.not_serializable"]))
    recorder(snapshot(pyAgentState="READY", pyReasonCode={"x"}))
    assert [v.rule for v in recorder.validate()] == ["schema.type"]
