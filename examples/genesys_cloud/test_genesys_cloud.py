"""Contract suite for the Genesys Cloud example connector.

A recorded shift with a link drop through ``cti_recorder`` (strict profile: the
reconnect must restate the call, rule L3), a fuzz test over presences and routing
statuses, the recorded capture file next to this module, and the decision point every
Genesys team meets: after-call work mapped to Busy leaves a Busy agent with no call.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from genesys_connector import PRESENCES, ROUTING_STATUSES, GenesysCloudConnector
from hypothesis import strategies as st

from pytest_snapshot_cti import ContractViolationError, assert_producer_honours_contract

USER, STATION = "3b9a1f7c-2e4d-4a6b-8c0e-1f2a3b4c5d6e", "4402"
CALLER = "+16175551212"


def inbound_call(genesys: GenesysCloudConnector, conversation_id: str, *, drop_link: bool = False, hold: bool = True) -> None:
    genesys.on_call(conversation_id, "alerting", other_number=CALLER)
    genesys.on_routing_status("INTERACTING")
    genesys.on_call(conversation_id, "connected", other_number=CALLER)
    if drop_link:
        genesys.on_link(False)
        genesys.on_link(True)
    if hold:
        genesys.on_call(conversation_id, "connected", held=True, other_number=CALLER)
        genesys.on_call(conversation_id, "connected", other_number=CALLER)
    genesys.on_call(conversation_id, "disconnected", other_number=CALLER)
    genesys.on_routing_status("IDLE")


def outbound_call(genesys: GenesysCloudConnector, conversation_id: str) -> None:
    genesys.on_routing_status("INTERACTING")
    genesys.on_call(conversation_id, "dialing", direction="outbound", other_number=CALLER)
    genesys.on_call(conversation_id, "connected", direction="outbound", other_number=CALLER)
    genesys.on_call(conversation_id, "terminated", direction="outbound", other_number=CALLER)
    genesys.on_routing_status("IDLE")


def shift(genesys: GenesysCloudConnector) -> None:
    """On Queue, an inbound call with a link drop and a hold, a break, an outbound call, logout."""
    genesys.login(USER, STATION)
    inbound_call(genesys, "8d4c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f", drop_link=True)
    genesys.on_presence("Break")
    genesys.on_presence("On Queue")
    outbound_call(genesys, "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d")
    genesys.logout()


@pytest.mark.cti(profile="strict")
def test_a_shift_with_a_link_drop_honours_the_strict_contract(cti_recorder):
    cti_recorder.expect_login(agent_id=USER, extension=STATION)
    shift(GenesysCloudConnector(cti_recorder))
    cti_recorder.expect_logout()
    states = [(s["pyLinkState"], s["pyAgentState"]) for s in cti_recorder.of_type("SnapshotEvent")]
    assert ("DISCONNECTED", "Unknown") in states


def around_the_link_drop(events):
    """``(pyLinkState, line states)`` of the Snapshots before, at and after the link drop."""
    snapshots = [
        (e["pyLinkState"], [line["pyLineState"] for line in e["pyLines"]]) for e in events if e.get("pyEventType") == "SnapshotEvent"
    ]
    drop = next(i for i, (link, _) in enumerate(snapshots) if link == "DISCONNECTED")
    return snapshots[drop - 1 : drop + 2]


def test_a_link_drop_tells_the_reference_story(cti_factory, cti_recorder):
    """The toolkit's ``link_drop_reconnect`` scenario: same call events, the call restated on reconnect."""
    expected = cti_factory.scenario("link_drop_reconnect", agent_id=USER, extension=STATION)
    cti_recorder.expect_login(agent_id=USER, extension=STATION)
    genesys = GenesysCloudConnector(cti_recorder)
    genesys.login(USER, STATION)
    inbound_call(genesys, "8d4c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f", drop_link=True, hold=False)
    calls = [e["pyEventName"] for e in cti_recorder.of_type("CallStateEvent")]
    assert calls == [e["pyEventName"] for e in expected if e["pyEventType"] == "CallStateEvent"]
    assert around_the_link_drop(cti_recorder.events) == around_the_link_drop(expected)


# Fuzz: every presence and routing status Genesys Cloud documents, in any order, around calls.
shifts = st.lists(
    st.one_of(
        st.tuples(st.just("presence"), st.sampled_from(PRESENCES)),
        st.tuples(st.just("routing"), st.sampled_from(ROUTING_STATUSES)),
        st.tuples(st.just("call"), st.booleans()),
    ),
    max_size=8,
)


def genesys_shift(steps) -> list[dict]:
    """The producer under test: presence, routing status and calls in, the events forwarded to Pega out."""
    events: list[dict] = []
    genesys = GenesysCloudConnector(events.append)
    genesys.login(USER, STATION)
    for number, (kind, value) in enumerate(steps):
        if kind == "presence":
            genesys.on_presence(value)
        elif kind == "routing":
            genesys.on_routing_status(value)
        else:
            genesys.on_presence("On Queue")
            inbound_call(genesys, f"conversation-{number}", drop_link=value)
    genesys.logout()
    return events


def test_any_presence_and_routing_status_maps_onto_the_contract():
    assert_producer_honours_contract(genesys_shift, shifts, profile="strict", stream=True, max_examples=60)


class AfterCallWorkAsBusy(GenesysCloudConnector):
    """The bug: Genesys counts ACW as INTERACTING, so the connector says Busy with no call."""

    def agent_state(self):
        if self.link == "CONNECTED" and self.presence == "On Queue" and self.routing == "INTERACTING":
            return "Busy", ""
        return super().agent_state()


@pytest.mark.cti(profile="strict")  # C5 is a warning in the published profile, an error in the strict one
@pytest.mark.xfail(strict=True, raises=ContractViolationError, reason="C5: a Busy agent with no live line")
def test_bug_after_call_work_as_busy_is_caught(cti_recorder):
    genesys = AfterCallWorkAsBusy(cti_recorder)
    genesys.login(USER, STATION)
    inbound_call(genesys, "conversation-1")
    # no assert_valid() needed: in an xfail test the recorder checks at the end of the call, where xfail sees it


CAPTURE = Path(__file__).with_name("recorded_shift.cti.jsonl")


def test_the_recorded_capture_is_what_the_connector_sends_today():
    # The plugin validates recorded_shift.cti.jsonl as a test item of its own; this keeps it current.
    events: list[dict] = []
    shift(GenesysCloudConnector(events.append))
    assert CAPTURE.read_text(encoding="utf-8") == "".join(json.dumps(event) + "\n" for event in events)


if __name__ == "__main__":  # re-record: python test_genesys_cloud.py
    recorded: list[dict] = []
    shift(GenesysCloudConnector(recorded.append))
    CAPTURE.write_text("".join(json.dumps(event) + "\n" for event in recorded), encoding="utf-8")
