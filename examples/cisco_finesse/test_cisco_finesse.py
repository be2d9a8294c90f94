"""Contract suite for the Cisco Finesse example connector.

What a Finesse team would keep: a recorded shift through ``cti_recorder`` (lifecycle
included), a fuzz test whose inputs are Finesse's own enums, the recorded capture file
next to this module, and the bug every Finesse connector writes once: a numeric
``reasonCodeId`` forwarded as a number.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from finesse_connector import CALL_TYPES, FinesseConnector
from hypothesis import strategies as st

from pytest_snapshot_cti import ContractViolationError, assert_producer_honours_contract
from pytest_snapshot_cti.scenarios import story

AGENT, EXTENSION = "5501", "8808"
CALLER = "16175551212"


def inbound_call(finesse: FinesseConnector, dialog_id: str, *, holds: int = 1, end: str = "DROPPED") -> None:
    finesse.on_user("RESERVED")
    finesse.on_dialog(dialog_id, "ALERTING", call_type="ACD_IN", other_dn=CALLER)
    finesse.on_user("TALKING")
    finesse.on_dialog(dialog_id, "ACTIVE", call_type="ACD_IN", other_dn=CALLER)
    for _ in range(holds):
        finesse.on_dialog(dialog_id, "HELD", call_type="ACD_IN", other_dn=CALLER)
        finesse.on_dialog(dialog_id, "ACTIVE", call_type="ACD_IN", other_dn=CALLER)
    finesse.on_dialog(dialog_id, end, call_type="ACD_IN", other_dn=CALLER)


def preview_call(finesse: FinesseConnector, dialog_id: str) -> None:
    # Finesse delivers the preview Dialog (ACCEPTED) before the User update.
    finesse.on_dialog(dialog_id, "ACCEPTED", call_type="OUTBOUND_PREVIEW", other_dn=CALLER)
    finesse.on_user("RESERVED_OUTBOUND_PREVIEW")
    finesse.on_dialog(dialog_id, "INITIATING", call_type="OUTBOUND_PREVIEW", other_dn=CALLER)
    finesse.on_user("TALKING")
    finesse.on_dialog(dialog_id, "ACTIVE", call_type="OUTBOUND_PREVIEW", other_dn=CALLER)
    finesse.on_dialog(dialog_id, "DROPPED", call_type="OUTBOUND_PREVIEW", other_dn=CALLER)


def shift(finesse: FinesseConnector) -> None:
    """LOGIN -> NOT_READY -> READY, an inbound call with a hold, wrap-up, a preview call, logout."""
    finesse.login(AGENT, EXTENSION)
    finesse.on_user("NOT_READY", 12)  # Finesse moves a fresh login to NOT_READY on its own
    finesse.on_user("READY")
    inbound_call(finesse, "16777217")
    finesse.on_user("WORK_READY")
    finesse.on_user("READY")
    preview_call(finesse, "16777230")
    finesse.on_user("NOT_READY", 7)
    finesse.logout(3)


@pytest.mark.cti(profile="strict")
def test_a_shift_honours_the_strict_contract(cti_recorder):
    cti_recorder.expect_login(agent_id=AGENT, extension=EXTENSION)
    shift(FinesseConnector(cti_recorder))
    cti_recorder.expect_logout()
    # cti_recorder checks every event and the lifecycle (L1-L5) when the test ends;
    # assertions on particular events read like this:
    assert cti_recorder.last("SnapshotEvent")["pyReasonCode"] == "3"
    assert [e["pyEventName"] for e in cti_recorder.of_type("CallStateEvent")][:4] == ["Alerting", "Established", "Held", "Retrieved"]


def test_login_snapshot_comes_first_and_says_login(cti_recorder):
    cti_recorder.expect_login(agent_id=AGENT, extension=EXTENSION)
    FinesseConnector(cti_recorder).login(AGENT, EXTENSION)
    assert cti_recorder.last()["pyAgentState"] == "Login"


def test_an_inbound_call_tells_the_reference_story(cti_factory, cti_recorder):
    """Same call events and line states as the toolkit's ``inbound_call`` scenario."""
    expected = cti_factory.scenario("inbound_call", agent_id=AGENT, extension=EXTENSION)
    cti_recorder.expect_login(agent_id=AGENT, extension=EXTENSION)
    finesse = FinesseConnector(cti_recorder)
    finesse.login(AGENT, EXTENSION)
    finesse.on_user("READY")
    inbound_call(finesse, "16777217")
    finesse.on_user("WORK_READY")
    assert story(cti_recorder.events) == story(expected)


# Fuzz: Finesse's own enums and numeric reason codes, driven in an order Finesse can send.
reason_code_ids = st.none() | st.integers(min_value=0, max_value=2**31 - 1)
idle_states = st.sampled_from(["READY", "NOT_READY", "WORK", "WORK_READY", "UNKNOWN"])
pauses = st.tuples(st.just("user"), idle_states, reason_code_ids)
calls = st.tuples(st.just("call"), st.integers(min_value=0, max_value=2), st.sampled_from(["DROPPED", "WRAP_UP", "FAILED"]))
shifts = st.tuples(st.lists(st.one_of(pauses, calls), max_size=6), reason_code_ids)


def finesse_shift(shift_input) -> list[dict]:
    """The producer under test: Finesse notifications in, the events forwarded to Pega out."""
    steps, logout_reason = shift_input
    events: list[dict] = []
    finesse = FinesseConnector(events.append)
    finesse.login(AGENT, EXTENSION)
    for number, step in enumerate(steps):
        if step[0] == "user":
            finesse.on_user(step[1], step[2])
        else:
            inbound_call(finesse, str(16777217 + number), holds=step[1], end=step[2])
    finesse.logout(logout_reason)
    return events


def test_any_finesse_shift_honours_the_contract():
    assert_producer_honours_contract(finesse_shift, shifts, stream=True, max_examples=60)


@pytest.mark.parametrize("call_type", sorted(CALL_TYPES))
def test_every_finesse_call_type_is_a_documented_pycalltype(call_type, cti_contract):
    events: list[dict] = []
    finesse = FinesseConnector(events.append)
    finesse.login(AGENT, EXTENSION)
    finesse.on_dialog("16777217", "ALERTING", call_type=call_type, other_dn=CALLER)
    call_event = events[1]
    assert call_event["pyCallType"] == CALL_TYPES[call_type]
    assert cti_contract.validate(call_event) == []


class ReasonCodeAsNumber(FinesseConnector):
    """The classic Finesse bug: ``reasonCodeId`` arrives as a number and is forwarded as one."""

    def reason(self, reason_code_id):
        return reason_code_id


@pytest.mark.xfail(strict=True, raises=ContractViolationError, reason="S3: pyReasonCode 12 is a number, the contract says string")
def test_bug_numeric_reason_code_is_caught(cti_recorder):
    finesse = ReasonCodeAsNumber(cti_recorder)
    finesse.login(AGENT, EXTENSION)
    finesse.on_user("NOT_READY", 12)
    # no assert_valid() needed: in an xfail test the recorder checks at the end of the call, where xfail sees it


CAPTURE = Path(__file__).with_name("recorded_shift.cti.jsonl")


def test_the_recorded_capture_is_what_the_connector_sends_today():
    # The plugin validates recorded_shift.cti.jsonl as a test item of its own; this keeps it current.
    events: list[dict] = []
    shift(FinesseConnector(events.append))
    assert CAPTURE.read_text(encoding="utf-8") == "".join(json.dumps(event) + "\n" for event in events)


if __name__ == "__main__":  # re-record: python test_cisco_finesse.py
    recorded: list[dict] = []
    shift(FinesseConnector(recorded.append))
    CAPTURE.write_text("".join(json.dumps(event) + "\n" for event in recorded), encoding="utf-8")
