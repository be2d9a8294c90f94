"""Event streams: valid ones pass L1–L5 with clean events; invalid ones break exactly one lifecycle rule."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti import strategies as cti
from pytest_snapshot_cti.mutations import EventStream, InvalidStream

CONTRACTS = [load_contract("published"), load_contract("strict")]


def event_findings(events: list[dict[str, object]]) -> list[str]:
    return [v.rule for contract in CONTRACTS for event in events for v in contract.validate(event)]


@pytest.mark.parametrize("scenario", [None, *cti.SCENARIOS])
@settings(max_examples=25)
@given(data=st.data())
def test_valid_streams_pass_every_lifecycle_rule(scenario: str | None, data: st.DataObject) -> None:
    stream = data.draw(cti.event_sequences(scenario))
    assert isinstance(stream, EventStream)
    assert stream.scenario == (scenario or "mixed")
    for contract in CONTRACTS:
        assert contract.check_stream(stream.events, login=stream.login, logout=stream.logout) == []
        assert stream.check(contract) == []
    assert event_findings(stream.events) == []


@settings(max_examples=25)
@given(cti.event_sequences("logout"))
def test_the_logout_scenario_ends_with_the_post_logout_snapshot(stream: EventStream) -> None:
    assert stream.logout is True
    last = stream.events[-1]
    assert (last["pyAgentState"], last["pyDeviceState"], last["pyLines"]) == ("Logout", "CLOSED", [])


@settings(max_examples=25)
@given(cti.event_sequences("link_drop_reconnect"))
def test_the_link_drop_scenario_restates_the_call(stream: EventStream) -> None:
    links = [e.get("pyLinkState") for e in stream.events if e["pyEventType"] == "SnapshotEvent"]
    assert "DISCONNECTED" in links
    drop = next(i for i, e in enumerate(stream.events) if e.get("pyLinkState") == "DISCONNECTED")
    reconnect = stream.events[drop + 1]
    assert reconnect["pyLinkState"] == "CONNECTED"
    assert reconnect["pyLines"]


def test_every_stream_mutation_breaks_exactly_its_rule() -> None:
    drawn: Counter[str] = Counter()

    @settings(max_examples=300)
    @given(cti.invalid_event_sequences())
    def check(case: InvalidStream) -> None:
        drawn[case.mutation] += 1
        assert case.document is case.events
        for contract in CONTRACTS:
            found = {v.rule for v in contract.check_stream(case.events, login=case.login, logout=case.logout)}
            assert found == case.expected_rules, case.mutation
        assert event_findings(case.events) == []  # every event is clean on its own

    check()
    assert set(drawn) == set(cti.STREAM_MUTATIONS)


@settings(max_examples=20)
@given(cti.invalid_event_sequences(rules=("L3",)))
def test_invalid_streams_can_target_one_rule(case: InvalidStream) -> None:
    assert case.expected_rules == frozenset({"L3"})
    assert case.mutation == "reconnect_forgets_call"


def test_scenario_names_match_the_factories() -> None:
    scenarios = pytest.importorskip("pytest_snapshot_cti.scenarios")
    assert set(cti.SCENARIOS) == set(scenarios.SCENARIOS)
