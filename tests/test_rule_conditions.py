"""Issue 17: each in-event rule is stated once, in rules.py — its finding function and, beside it, its fast
"finds nothing" condition over the Snapshot's facts. These properties hold every condition to its
finding function on valid, mutated and random Snapshots, and the typed path's facts to the dict path's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from freeform import snapshots as free_form_snapshots
from freeform import well_typed_snapshots
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.factories import PRESETS, EventFactory
from pytest_snapshot_cti.rules import (
    FINDS_NOTHING,
    RULES,
    check_s1_as,
    s1_as_finds_nothing,
    snapshot_facts,
    snapshot_finds_nothing,
    typed_snapshot_facts,
)
from pytest_snapshot_cti.strategies import invalid_snapshots, snapshots
from pytest_snapshot_cti.structs import available, typed_checker

SNAPSHOT_RULES = [rule for rule in RULES.values() if rule.scope == "snapshot"]

_LINE_STATES = ["None", "Alerting", "Connected", "Holding", "Retrieved", "Initiate", "Hold", "", None, ["Connected"]]
_line = st.fixed_dictionaries(
    {},
    optional={"pyCallId": st.sampled_from(["c-1", "c-2", "", None, 7, ["c-1"]]), "pyLineState": st.sampled_from(_LINE_STATES)},
)
#: Every combination the rules read, near misses and wrong types included (more lines than the free-form ones).
_grid = st.fixed_dictionaries(
    {},
    optional={
        "pyEventType": st.sampled_from(["SnapshotEvent", "AgentStateEvent", None, 3]),
        "pyEventName": st.sampled_from(["Snapshot", "Login", "", None, ["Snapshot"]]),
        "pyAgentState": st.sampled_from(["Ready", "NotReady", "Login", "Logout", "Busy", "Unknown", "busy", None, 0, {"a": 1}]),
        "pyReasonCode": st.sampled_from(["", "0", "12", " ", None, 0, ["12"]]),
        "pyLinkState": st.sampled_from(["CONNECTED", "DISCONNECTED", None, ["DISCONNECTED"]]),
        "pyDeviceState": st.sampled_from(["OPENED", "CLOSED", None, {}]),
        "pyLines": st.one_of(st.lists(st.one_of(_line, st.sampled_from(["c-1", None, 3])), max_size=4), st.sampled_from([None, {}, "[]"])),
        "pyAgentId": st.just("5501"),
    },
)


def _factory_snapshots() -> list[dict[str, Any]]:
    factory = EventFactory(17)
    return [factory.snapshot(preset) for preset in PRESETS] + factory.snapshots(200)


FACTORY_SNAPSHOTS = _factory_snapshots()


def _agrees(event: dict[str, Any]) -> None:
    facts = snapshot_facts(event)
    for rule in SNAPSHOT_RULES:
        assert rule.check is not None
        assert rule.finds_nothing is not None
        found = list(rule.check(event))
        assert rule.finds_nothing(facts) == (found == []), (rule.id, event, found)
    nothing = all(not list(rule.check(event)) for rule in SNAPSHOT_RULES if rule.check is not None)
    assert FINDS_NOTHING[facts] == snapshot_finds_nothing(event) == nothing


def test_every_snapshot_rule_states_its_fast_condition_beside_its_finding_function() -> None:
    assert [rule.id for rule in SNAPSHOT_RULES] == ["S1", "S2", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    for rule in SNAPSHOT_RULES:
        assert rule.check is not None
        assert rule.finds_nothing is not None
        assert rule.check.__module__ == rule.finds_nothing.__module__ == "pytest_snapshot_cti.rules"
        assert rule.finds_nothing.__name__ == rule.check.__name__.replace("check_", "") + "_finds_nothing"


@pytest.mark.parametrize("index", range(len(FACTORY_SNAPSHOTS)))
def test_valid_factory_snapshots(index: int) -> None:
    _agrees(FACTORY_SNAPSHOTS[index])
    assert snapshot_finds_nothing(FACTORY_SNAPSHOTS[index])


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(event=snapshots(realistic=True), profile_event=snapshots("strict"))
def test_valid_generated_snapshots(event: dict[str, Any], profile_event: dict[str, Any]) -> None:
    _agrees(event)
    _agrees(profile_event)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(case=invalid_snapshots(include_warnings=True))
def test_mutated_snapshots(case: Any) -> None:
    if isinstance(case.document, dict):
        _agrees(case.document)
        if case.expected_rules & {rule.id for rule in SNAPSHOT_RULES}:
            assert not snapshot_finds_nothing(case.document)


@settings(max_examples=1500)
@given(event=st.one_of(_grid, free_form_snapshots))
def test_random_snapshots(event: dict[str, Any]) -> None:
    _agrees(event)


@settings(max_examples=300)
@given(event=_grid, expected=st.sampled_from(["AgentStateEvent", "CallStateEvent", "PartyInfoEvent"]))
def test_s1_for_a_forced_sibling_kind(event: dict[str, Any], expected: str) -> None:
    assert s1_as_finds_nothing(event, expected) == (list(check_s1_as(event, expected)) == [])


# -- the typed path reads the same facts from its Structs ---------------------------------------------

def _typed(event: dict[str, Any]) -> Any:
    """``event`` decoded by the typed path, as the typed Snapshot Struct it becomes."""
    check = typed_checker(load_contract())
    assert check is not None
    kept: list[Any] = []
    check.sort(json.dumps(event).encode() + b"\n", lambda first, documents, not_clean, start: kept.extend(documents))
    (typed,) = kept
    assert type(typed).__name__ == "snapshot_event"
    return typed


@pytest.mark.skipif(not available(), reason="msgspec is not installed: there is no typed path")
@settings(max_examples=600)
@given(event=well_typed_snapshots)
def test_typed_snapshots_have_the_facts_of_their_json(event: dict[str, Any]) -> None:
    assert typed_snapshot_facts(_typed(event)) == snapshot_facts(event)


@pytest.mark.skipif(not available(), reason="msgspec is not installed: there is no typed path")
@pytest.mark.parametrize("index", range(0, len(FACTORY_SNAPSHOTS), 7))
def test_typed_factory_snapshots_have_the_facts_of_their_json(index: int) -> None:
    event = FACTORY_SNAPSHOTS[index]
    assert typed_snapshot_facts(_typed(event)) == snapshot_facts(event)
