"""Contract.validate as a connector team meets it: verdicts, rule ids, paths, messages and hints."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pytest_snapshot_cti import (
    ContractUsageError,
    ContractViolationError,
    Violation,
    assert_valid_event,
    assert_valid_snapshot,
    load_contract,
    validate_event,
    validate_snapshot,
)

SEED_EXAMPLE: dict[str, Any] = {
    "pyAgentId": "5501",
    "pyAgentState": "Ready",
    "pyDeviceState": "OPENED",
    "pyEventName": "Snapshot",
    "pyEventType": "SnapshotEvent",
    "pyLinkState": "CONNECTED",
    "pyMedia": "Phone",
    "pyReasonCode": "0",
    "pyThisDN": "8808",
    "pyLines": [{"pyCallId": "0", "pyLineState": "NONE"}],
}
GOOD: dict[str, Any] = {**SEED_EXAMPLE, "pyLines": []}
ON_CALL: dict[str, Any] = {**GOOD, "pyAgentState": "Busy", "pyLines": [{"pyCallId": "4953", "pyLineState": "Connected"}]}


def errors(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity == "error"]


def test_pegas_own_example_fails_once_on_its_none_casing() -> None:
    found = errors(validate_snapshot(SEED_EXAMPLE))
    assert len(found) == 1
    (violation,) = found
    assert violation.path == "$.pyLines[0].pyLineState"
    assert violation.rule == "S4"
    assert violation.hint is not None
    assert "'None'" in violation.hint
    assert violation.message == "'NONE' is not one of ['None', 'Alerting', 'Connected', 'Holding', 'Retrieved', 'Initiate']"


def test_empty_object_is_valid_as_published() -> None:
    assert validate_snapshot({}) == []


def test_empty_object_fails_strict_once_per_required_field() -> None:
    found = validate_snapshot({}, profile="strict")
    required = ["pyEventType", "pyEventName", "pyAgentId", "pyAgentState", "pyThisDN", "pyLinkState", "pyDeviceState", "pyLines"]
    assert [v.rule for v in found] == ["S5"] * len(required)
    assert [v.path for v in found] == [f"$.{name}" for name in required]
    for violation, name in zip(found, required, strict=True):
        assert violation.severity == "error"
        assert repr(name) in violation.message


def test_strict_requires_line_fields() -> None:
    event = {**ON_CALL, "pyLines": [{"pyLineState": "Connected"}]}
    (violation,) = validate_snapshot(event, profile="strict")
    assert (violation.rule, violation.path) == ("S5", "$.pyLines[0].pyCallId")
    assert violation.message == "required field 'pyCallId' is missing from $.pyLines[0]"


def test_good_snapshots_pass_both_profiles() -> None:
    for event in (GOOD, ON_CALL):
        assert validate_snapshot(event) == []
        assert validate_snapshot(event, profile="strict") == []


def test_assertion_lists_every_error_with_paths_and_hints() -> None:
    event = {**GOOD, "pyAgentState": "READY", "pyLines": [{"pyCallId": 4953, "pyLineState": "Connected"}]}
    with pytest.raises(ContractViolationError) as info:
        assert_valid_snapshot(event)
    assert str(info.value) == (
        "Snapshot event violates the Pega OpenCTI contract (profile: published) — 2 errors:\n"
        "  $.pyAgentState: 'READY' is not one of ['Ready', 'NotReady', 'Login', 'Logout', 'Busy', 'Unknown']"
        " (did you mean 'Ready'? enum values are case-sensitive) [S4]\n"
        "  $.pyLines[0].pyCallId: 4953 is not of type 'string' (send identifiers as JSON strings: \"4953\") [S3]"
    )
    assert [v.rule for v in info.value.violations] == ["S4", "S3"]


def test_errors_come_before_warnings_in_the_message() -> None:
    event = {**GOOD, "pyReasonCode": "12", "pyAgentId": 5501}
    with pytest.raises(ContractViolationError) as info:
        assert_valid_snapshot(event)
    lines = str(info.value).splitlines()
    assert lines[0] == "Snapshot event violates the Pega OpenCTI contract (profile: published) — 1 error, 1 warning:"
    assert lines[1] == "  $.pyAgentId: 5501 is not of type 'string' (send identifiers as JSON strings: \"5501\") [S3]"
    assert lines[2].startswith("  warning: $.pyReasonCode: reason code '12' with pyAgentState 'Ready'")
    assert lines[2].endswith("[C4]")


def test_warnings_alone_pass_unless_asked() -> None:
    event = {**GOOD, "pyReasonCode": "12"}
    returned = assert_valid_snapshot(event)
    assert [v.rule for v in returned] == ["C4"]
    with pytest.raises(ContractViolationError, match=r"1 warning:\n  warning: \$\.pyReasonCode"):
        assert_valid_snapshot(event, fail_on_warnings=True)


def test_semantic_rules_are_errors_under_strict() -> None:
    event = {**GOOD, "pyReasonCode": "12"}
    (violation,) = validate_snapshot(event, profile="strict")
    assert (violation.rule, violation.severity) == ("C4", "error")


def test_disable_removes_a_rule() -> None:
    event = {**GOOD, "pyAgentState": "READY"}
    assert validate_snapshot(event, disable=["S4"]) == []
    assert validate_snapshot({**GOOD, "pyReasonCode": "12"}, profile="strict", disable=("C4",)) == []
    assert load_contract("strict", disable="C4,C5").disabled == frozenset({"C4", "C5"})


def test_validate_does_not_mutate_its_input() -> None:
    event = {"pyAgentState": "READY", "pyLines": [{"pyCallId": 1}], "pyExtra": {"nested": [1, 2]}}
    before = copy.deepcopy(event)
    for profile in ("published", "strict"):
        validate_snapshot(event, profile=profile)
        validate_event(event, profile=profile)
    assert event == before
    assert "pyDeviceState" not in event  # no default was filled in (erratum E6)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("READY", "did you mean 'Ready'? enum values are case-sensitive"),
        (" Ready", "did you mean 'Ready'? remove the surrounding whitespace"),
        ("Available", "did you mean 'Ready'? 'Available' is vendor vocabulary; map it to the OpenCTI value"),
        (1, "send one of the listed strings, not a number"),
        (["Ready"], "send one of the listed strings, not an array"),
    ],
)
def test_enum_hints(value: Any, hint: str) -> None:
    (violation,) = validate_snapshot({**GOOD, "pyAgentState": value})
    assert violation.hint == hint


def test_call_event_word_in_line_state_hints_the_snapshot_word() -> None:
    event = {**ON_CALL, "pyLines": [{"pyCallId": "1", "pyLineState": "Held"}]}
    (violation,) = errors(validate_snapshot(event))
    assert (violation.rule, violation.hint) == (
        "schema.enum",
        "did you mean 'Holding'? 'Held' is vendor vocabulary; map it to the OpenCTI value",
    )


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (5501, 'send identifiers as JSON strings: "5501"'),
        (True, 'send it as a JSON string: "true"'),
        (None, 'omit the property or send "" (null is not a string)'),
    ],
)
def test_scalar_where_string_required_is_s3(value: Any, hint: str) -> None:
    (violation,) = validate_snapshot({**GOOD, "pyAgentId": value})
    assert (violation.rule, violation.path, violation.hint) == ("S3", "$.pyAgentId", hint)


def test_unknown_property_near_a_known_one_is_hinted_in_strict() -> None:
    event = {**GOOD, "pyAgentID": "5501"}
    assert validate_snapshot(event) == []
    (violation,) = validate_snapshot(event, profile="strict")
    assert violation.rule == "schema.additionalProperties"
    assert violation.path == "$.pyAgentID"
    assert violation.hint == "did you mean 'pyAgentId'?"


def test_allow_extra_opens_strict_objects_for_named_properties() -> None:
    event = {**ON_CALL, "pyQueue": "sales", "pyLines": [{"pyCallId": "1", "pyLineState": "Connected", "pyQueue": "x"}]}
    assert [v.path for v in validate_snapshot(event, profile="strict")] == ["$.pyQueue", "$.pyLines[0].pyQueue"]
    assert load_contract("strict", allow_extra=["pyQueue"]).validate(event) == []


def test_auto_dispatch_uses_each_kinds_own_schema() -> None:
    contract = load_contract()
    assert contract.validate({"pyEventType": "AgentStateEvent", "pyEventName": "Ready", "pyWorkMode": "MODE_NONE"}) == []
    assert contract.validate({"pyEventType": "CallStateEvent", "pyEventName": "Established", "pyCallId": "4953"}) == []
    assert contract.validate({"pyEventType": "PartyInfoEvent", "pyParties": [{"pyDN": "16175551212"}]}) == []
    (agent_busy,) = contract.validate({"pyEventType": "AgentStateEvent", "pyEventName": "Busy"})
    assert (agent_busy.rule, agent_busy.path) == ("schema.enum", "$.pyEventName")
    # the same word is a free string in a Snapshot: each schema's own definitions apply
    assert contract.validate({"pyEventType": "SnapshotEvent", "pyEventName": "Busy"}, kind="snapshot")[0].rule == "S2"


def test_undocumented_and_unknown_event_types_warn() -> None:
    (info,) = validate_event({"pyEventType": "CallInfoEvent", "anything": 1})
    assert (info.rule, info.severity) == ("kind.undocumented", "warning")
    (missing,) = validate_event({"pyCallId": "1"})
    assert (missing.rule, missing.severity, missing.message) == (
        "kind.unknown",
        "warning",
        "event has no pyEventType, so no contract applies",
    )
    (typo,) = validate_event({"pyEventType": "AgentStateevent"})
    assert typo.hint == "did you mean 'AgentStateEvent'? enum values are case-sensitive"
    (strict_missing,) = validate_event({"pyCallId": "1"}, profile="strict")
    assert strict_missing.severity == "error"


def test_snapshot_shaped_payload_with_wrong_type_is_checked_as_a_snapshot() -> None:
    event = {**GOOD, "pyEventType": "CallStateEvent"}
    (violation,) = validate_event(event)
    assert (violation.rule, violation.severity, violation.path) == ("S1", "warning", "$.pyEventType")
    (strict,) = validate_event(event, profile="strict")
    assert strict.severity == "error"


def test_forcing_a_kind_checks_the_event_type() -> None:
    (violation,) = validate_event({"pyEventType": "CallStateEvent", "pyEventName": "Ready"}, kind="agent")
    assert violation.rule == "S1"
    assert violation.message == "validated as AgentStateEvent but pyEventType is 'CallStateEvent'"


def test_json_text_is_accepted() -> None:
    assert validate_event('{"pyEventType": "SnapshotEvent", "pyLines": []}') == []
    assert validate_event(b'{"pyEventType": "AgentStateEvent", "pyEventName": "Ready"}') == []
    assert assert_valid_event('{"pyEventType": "AgentStateEvent", "pyEventName": "Ready"}') == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"profile": "lenient"}, "unknown profile 'lenient': choose one of published, strict"),
        ({"disable": ["C99"]}, "unknown rule id C99: known ids are S1, S2"),
        ({"contracts_dir": "/nonexistent/contracts"}, "contracts directory not found: /nonexistent/contracts"),
    ],
)
def test_bad_configuration_is_a_clear_usage_error(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ContractUsageError) as info:
        load_contract(**kwargs)
    assert str(info.value).startswith(message)


def test_bad_kind_is_a_clear_usage_error() -> None:
    with pytest.raises(ContractUsageError, match=r"unknown kind 'snap': choose one of auto, snapshot, agent, call, party"):
        validate_event({}, kind="snap")


def test_contract_introspection() -> None:
    contract = load_contract("strict")
    assert contract.profile == "strict"
    assert contract.kinds == ("snapshot", "agent", "call", "party")
    strict_schema = contract.schema("snapshot")
    assert strict_schema["additionalProperties"] is False
    assert "required" in strict_schema
    assert "required" not in load_contract().schema("snapshot")
    strict_schema["properties"].clear()  # a copy: the contract is unaffected
    assert contract.schema("snapshot")["properties"]
    assert len(contract.sha256) == 64
    assert contract.is_valid(GOOD)
    assert not contract.is_valid({**GOOD, "pyLines": "none"})


def test_contracts_are_cached_and_validators_compiled_once() -> None:
    from pytest_snapshot_cti.contract import _compiled

    assert load_contract("strict") is not None
    load_contract("strict").validate(GOOD)
    before = _compiled.cache_info().misses
    for _ in range(3):
        load_contract("strict").validate(ON_CALL)
    assert _compiled.cache_info().misses == before


def test_observe_false_keeps_a_check_out_of_the_observers() -> None:
    from pytest_snapshot_cti import observers

    heard: list[Any] = []

    def observer(event: Any, violations: list[Any]) -> None:
        heard.append(event)

    contract = load_contract()
    event = {"pyEventType": "SnapshotEvent", "pyAgentState": "READY"}
    observers.subscribe(observer)
    try:
        quiet = contract.validate(event, observe=False)
        loud = contract.validate(event)
    finally:
        observers.unsubscribe(observer)
    assert quiet == loud
    assert [v.rule for v in loud] == ["S4"]
    assert heard == [event]
