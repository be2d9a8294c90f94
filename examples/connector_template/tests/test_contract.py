"""The connector's contract suite: a recorded call, a reference scenario, and a fuzz test."""

from __future__ import annotations

from acme_connector import AGENT_STATES, CALL_STATES, AcmeConnector
from hypothesis import strategies as st

from pytest_snapshot_cti import assert_producer_honours_contract
from pytest_snapshot_cti.scenarios import story

CALLER = "16175551212"
AGENT, EXTENSION = "7001", "4411"


def answer_and_hang_up(connector: AcmeConnector, call_id: int) -> None:
    connector.on_agent("AVAILABLE")
    connector.on_call(call_id, "RINGING", caller=CALLER)
    connector.on_agent("ON_CALL")
    connector.on_call(call_id, "TALKING", caller=CALLER)
    connector.on_call(call_id, "HELD", caller=CALLER)
    connector.on_call(call_id, "TALKING", caller=CALLER)
    connector.on_call(call_id, "IDLE", caller=CALLER)
    connector.on_agent("AWAY", reason_code="ACW")
    connector.on_agent("AVAILABLE")


def test_a_call_and_logout(connector, cti_recorder):
    """Every event, and the stream (Snapshot after login and logout), is checked at teardown."""
    answer_and_hang_up(connector, 4953)
    connector.logout(reason_code=3)
    cti_recorder.expect_logout()
    assert cti_recorder.last("SnapshotEvent")["pyReasonCode"] == "3"


def test_a_call_tells_the_reference_story(connector, cti_recorder, cti_factory):
    expected = cti_factory.scenario("inbound_call", agent_id=connector.agent_id, extension=connector.extension)
    answer_and_hang_up(connector, 4953)
    assert story(cti_recorder.events) == story(expected)


# Fuzz: our ACD's own states and reason codes (numbers or text), with calls in between.
agent_changes = st.tuples(st.sampled_from(sorted(set(AGENT_STATES) - {"ON_CALL", "SIGNED_OUT"})), st.integers(0, 999) | st.text(max_size=8))
shifts = st.lists(st.one_of(agent_changes, st.integers(min_value=1, max_value=2**31)), max_size=8)


def acme_shift(steps) -> list[dict]:
    """The producer under test: ACD states in, the events forwarded to Pega out."""
    events: list[dict] = []
    connector = AcmeConnector(events.append)
    connector.login(AGENT, EXTENSION)
    for step in steps:
        if isinstance(step, int):
            answer_and_hang_up(connector, step)
        else:
            connector.on_agent(*step)
    connector.logout()
    return events


def test_any_sequence_of_acd_states_honours_the_contract():
    assert_producer_honours_contract(acme_shift, shifts, profile="strict", stream=True, max_examples=100)


def test_every_call_state_is_mapped():
    assert {"RINGING", "TALKING", "HELD"} <= set(CALL_STATES)
