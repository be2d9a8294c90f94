"""Contract suite for the Amazon Connect example connector.

A recorded shift through ``cti_recorder``, a fuzz test over Connect's agent states and
connection states, the recorded capture file next to this module, and the bug a custom
agent status invites: the status name (``"Lunch"``) forwarded as ``pyAgentState``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from connect_connector import AGENT_STATE_TYPES, BLOCKED_STATES, BUSY_STATES, ConnectConnector
from hypothesis import strategies as st

from pytest_snapshot_cti import ContractViolationError, assert_producer_honours_contract
from pytest_snapshot_cti.scenarios import story

AGENT, PHONE = "8f1c9a52-6d2e-4b7e-9a53-3f0e1d2c4b5a", "+14155550100"
CUSTOMER = "+16175551212"


def inbound_call(connect: ConnectConnector, contact_id: str, *, holds: int = 1) -> None:
    connect.on_connection(contact_id, "connecting", inbound=True, other_number=CUSTOMER)
    connect.on_agent_state("NOT_ROUTABLE", "Busy")
    connect.on_connection(contact_id, "connected", inbound=True, other_number=CUSTOMER)
    for _ in range(holds):
        connect.on_connection(contact_id, "hold", inbound=True, other_number=CUSTOMER)
        connect.on_connection(contact_id, "connected", inbound=True, other_number=CUSTOMER)
    connect.on_connection(contact_id, "disconnected", inbound=True, other_number=CUSTOMER)
    connect.on_agent_state("NOT_ROUTABLE", "AfterCallWork")


def outbound_call(connect: ConnectConnector, contact_id: str) -> None:
    connect.on_agent_state("NOT_ROUTABLE", "CallingCustomer")
    connect.on_connection(contact_id, "connecting", inbound=False, other_number=CUSTOMER)
    connect.on_connection(contact_id, "connected", inbound=False, other_number=CUSTOMER)
    connect.on_contact(contact_id, "ended", other_number=CUSTOMER)
    connect.on_agent_state("NOT_ROUTABLE", "AfterCallWork")


def missed_call(connect: ConnectConnector, contact_id: str) -> None:
    connect.on_connection(contact_id, "connecting", inbound=True, other_number=CUSTOMER)
    connect.on_contact(contact_id, "missed", other_number=CUSTOMER)
    connect.on_agent_state("NOT_ROUTABLE", "MissedCallAgent")


def shift(connect: ConnectConnector) -> None:
    """CCP starting (Unknown), Available, an inbound call with a hold, an outbound call, lunch, a missed call, logout."""
    connect.login(AGENT, PHONE)
    connect.on_agent_state("ROUTABLE", "Available")
    inbound_call(connect, "4f2a7c1e-0b7d-4c55-9e0a-5d7f1b2c3a4d")
    connect.on_agent_state("ROUTABLE", "Available")
    outbound_call(connect, "9b3e5d7f-1a2c-4e6b-8d0f-2c4e6a8b0d1f")
    connect.on_agent_state("NOT_ROUTABLE", "Lunch")
    connect.on_agent_state("ROUTABLE", "Available")
    missed_call(connect, "c0ffee00-1234-4abc-9def-0123456789ab")
    connect.logout()


@pytest.mark.cti(profile="strict")
def test_a_shift_honours_the_strict_contract(cti_recorder):
    cti_recorder.expect_login(agent_id=AGENT, extension=PHONE)
    shift(ConnectConnector(cti_recorder))
    cti_recorder.expect_logout()
    lunch = [e for e in cti_recorder.of_type("AgentStateEvent") if e.get("pyReasonCode") == "Lunch"]
    assert lunch == [
        {"pyEventType": "AgentStateEvent", "pyEventName": "NotReady", "pyMedia": "Phone", "pyReasonCode": "Lunch", "pyWorkMode": "AUX_WORK"}
    ]


def test_the_login_snapshot_says_unknown_until_the_ccp_reports(cti_recorder):
    cti_recorder.expect_login(agent_id=AGENT, extension=PHONE)
    ConnectConnector(cti_recorder).login(AGENT, PHONE)
    assert cti_recorder.last("SnapshotEvent")["pyAgentState"] == "Unknown"


def test_a_missed_call_tells_the_reference_story(cti_factory, cti_recorder):
    """Same call events, line states and reason code as the toolkit's ``missed_call`` scenario."""
    expected = cti_factory.scenario("missed_call", agent_id=AGENT, extension=PHONE)
    cti_recorder.expect_login(agent_id=AGENT, extension=PHONE)
    connect = ConnectConnector(cti_recorder)
    connect.login(AGENT, PHONE)
    connect.on_agent_state("ROUTABLE", "Available")
    missed_call(connect, "c0ffee00-1234-4abc-9def-0123456789ab")
    assert story(cti_recorder.events) == story(expected)
    assert cti_recorder.last("SnapshotEvent")["pyReasonCode"] == expected[-1]["pyReasonCode"] == "MissedCallAgent"


# Fuzz: any Connect agent state (type x documented or custom name) at any point of a shift.
agent_states = st.tuples(
    st.sampled_from(AGENT_STATE_TYPES),
    st.sampled_from(sorted({"Available", "Offline", "AfterCallWork", *BUSY_STATES, *BLOCKED_STATES})) | st.text(min_size=1, max_size=20),
)
shifts = st.lists(st.one_of(agent_states, st.integers(min_value=0, max_value=2)), max_size=6)


def connect_shift(steps) -> list[dict]:
    """The producer under test: Streams agent states and calls in, the events forwarded to Pega out."""
    events: list[dict] = []
    connect = ConnectConnector(events.append)
    connect.login(AGENT, PHONE)
    for number, step in enumerate(steps):
        if isinstance(step, int):
            inbound_call(connect, f"contact-{number}", holds=step)
        else:
            connect.on_agent_state(*step)
    connect.logout()
    return events


def test_any_agent_state_maps_onto_the_contract():
    assert_producer_honours_contract(connect_shift, shifts, stream=True, max_examples=60)


class StatusNameAsAgentState(ConnectConnector):
    """The bug: a custom status is forwarded under its own name instead of as NotReady + reason."""

    def agent_state(self, state_type, name):
        if state_type == "NOT_ROUTABLE" and name not in BUSY_STATES:
            return name, ""
        return super().agent_state(state_type, name)


@pytest.mark.xfail(strict=True, raises=ContractViolationError, reason="schema.enum: 'Lunch' is not a pyAgentState")
def test_bug_custom_status_forwarded_as_agent_state_is_caught(cti_recorder):
    connect = StatusNameAsAgentState(cti_recorder)
    connect.login(AGENT, PHONE)
    connect.on_agent_state("NOT_ROUTABLE", "Lunch")
    # no assert_valid() needed: in an xfail test the recorder checks at the end of the call, where xfail sees it


CAPTURE = Path(__file__).with_name("recorded_shift.cti.jsonl")


def test_the_recorded_capture_is_what_the_connector_sends_today():
    # The plugin validates recorded_shift.cti.jsonl as a test item of its own; this keeps it current.
    events: list[dict] = []
    shift(ConnectConnector(events.append))
    assert CAPTURE.read_text(encoding="utf-8") == "".join(json.dumps(event) + "\n" for event in events)


if __name__ == "__main__":  # re-record: python test_amazon_connect.py
    recorded: list[dict] = []
    shift(ConnectConnector(recorded.append))
    CAPTURE.write_text("".join(json.dumps(event) + "\n" for event in recorded), encoding="utf-8")
