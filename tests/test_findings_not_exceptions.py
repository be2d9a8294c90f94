"""Issue 12 §3: an integer too long for Python to print is a finding (``json.number``), never an exception."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

from pytest_snapshot_cti import EventRecorder, check_stream, load_contract, validate_event

HUGE = 10**5000
MESSAGE = f"number too large to read exactly: an integer of more than {sys.get_int_max_str_digits()} digits (send such ids as strings)"


@pytest.mark.parametrize(
    ("event", "path"),
    [
        ({"pyAgentId": HUGE}, "$.pyAgentId"),
        ({"pyEventType": "SnapshotEvent", "pyAgentState": HUGE}, "$.pyAgentState"),
        ({"pyEventType": "SnapshotEvent", "pyLines": [{"pyCallId": "c-1"}, {"pyCallId": HUGE}]}, "$.pyLines[1].pyCallId"),
        ({"pyEventType": HUGE}, "$.pyEventType"),
        ({"pyEventType": "CallStateEvent", "pyCallId": -HUGE}, "$.pyCallId"),
    ],
)
@pytest.mark.parametrize("profile", ["published", "strict"])
def test_an_integer_too_long_to_print_is_json_number_at_its_path(event: dict[str, Any], path: str, profile: str) -> None:
    found = load_contract(profile).validate(event)
    assert [(v.rule, v.severity, v.path, v.message) for v in found] == [("json.number", "error", path, MESSAGE)]
    assert [v.rule for v in validate_event(event, profile=profile)] == ["json.number"]


def test_the_same_integer_in_json_text_is_json_number_too() -> None:
    text = '{"pyEventType": "SnapshotEvent", "pyAgentId": ' + "9" * 5000 + "}"
    assert [(v.rule, v.path, v.message) for v in load_contract().validate(text)] == [("json.number", "$", MESSAGE)]


def test_the_recorder_reports_it_at_teardown_without_a_traceback(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_forwards(cti_recorder):
            cti_recorder({"pyEventType": "SnapshotEvent", "pyAgentId": 10**5000})
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines([f"*event #1 (SnapshotEvent) $.pyAgentId: {MESSAGE} [[]json.number]"])
    assert "ValueError" not in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


def test_the_stream_rules_quote_such_an_integer_without_raising() -> None:
    events = [
        {"pyEventType": "AgentStateEvent", "pyEventName": "Logout"},
        {"pyEventType": "CallStateEvent", "pyEventName": HUGE, "pyCallId": "c-1"},
        {"pyEventType": "SnapshotEvent", "pyAgentState": "Logout", "pyLines": [HUGE], "pyDeviceState": HUGE, "pyAgentId": HUGE},
    ]
    found = check_stream(events, login={"agent_id": "5501"})
    messages = [v.message for v in found]
    assert "the post-logout Snapshot has pyLines [<an integer of about 5,001 digits>]" in messages
    assert "the post-logout Snapshot has pyDeviceState <an integer of about 5,001 digits>" in messages
    assert "pyAgentId is <an integer of about 5,001 digits> but login was called with '5501'" in messages
    recorder = EventRecorder()
    for event in events:
        recorder(event)
    recorder.expect_logout()
    assert {v.rule for v in recorder.validate()} >= {"json.number", "L5"}
    json.dumps([v.to_dict() for v in recorder.validate()])
