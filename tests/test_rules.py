"""Semantic rules inside one Snapshot: each fires on its contradiction, names the path, and stays quiet otherwise."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pytest_snapshot_cti import RULES, load_contract

BASE: dict[str, Any] = {
    "pyEventType": "SnapshotEvent",
    "pyEventName": "Snapshot",
    "pyAgentId": "5501",
    "pyAgentState": "Ready",
    "pyThisDN": "8808",
    "pyLinkState": "CONNECTED",
    "pyDeviceState": "OPENED",
    "pyReasonCode": "",
    "pyMedia": "Phone",
    "pyLines": [],
}


def line(call_id: str, state: str) -> dict[str, str]:
    return {"pyCallId": call_id, "pyLineState": state}


CASES: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
    (
        "S1",
        {"pyEventType": "AgentStateEvent"},
        [("$.pyEventType", "a Snapshot must have pyEventType 'SnapshotEvent', got 'AgentStateEvent'")],
    ),
    ("S2", {"pyEventName": "Ready"}, [("$.pyEventName", "a Snapshot is expected to have pyEventName 'Snapshot', got 'Ready'")]),
    (
        "C1",
        {"pyLinkState": "DISCONNECTED"},
        [("$.pyAgentState", "agent state 'Ready' while pyLinkState is 'DISCONNECTED': the ACD cannot be asked")],
    ),
    (
        "C1",
        {"pyLinkState": "DISCONNECTED", "pyAgentState": "Unknown", "pyLines": [line("7", "Alerting")]},
        [("$.pyLines[0].pyLineState", "line '7' claims 'Alerting' while pyLinkState is 'DISCONNECTED'")],
    ),
    (
        "C2",
        {"pyDeviceState": "CLOSED", "pyAgentState": "NotReady", "pyLines": [line("7", "Initiate")]},
        [("$.pyLines[0].pyLineState", "line '7' claims 'Initiate' while pyDeviceState is 'CLOSED'")],
    ),
    (
        "C3",
        {"pyAgentState": "Logout", "pyLines": [line("7", "Initiate")]},
        [("$.pyLines[0].pyLineState", "line '7' claims 'Initiate' while pyAgentState is 'Logout'")],
    ),
    (
        "C4",
        {"pyReasonCode": "12"},
        [("$.pyReasonCode", "reason code '12' with pyAgentState 'Ready': reason codes belong to NotReady and Logout")],
    ),
    (
        "C5",
        {"pyAgentState": "Busy"},
        [("$.pyAgentState", "pyAgentState is 'Busy' but no line is Alerting, Connected, Holding, Retrieved or Initiate")],
    ),
    (
        "C6",
        {"pyAgentState": "Busy", "pyLines": [line("7", "Holding"), line("7", "Connected")]},
        [("$.pyLines[1].pyCallId", "pyCallId '7' appears on pyLines[0] too")],
    ),
    (
        "C6",
        {"pyAgentState": "Busy", "pyLines": [line("", "Connected")]},
        [("$.pyLines[0].pyCallId", "line in state 'Connected' has an empty pyCallId")],
    ),
    (
        "C7",
        {"pyAgentState": "Busy", "pyLines": [line("7", "Connected"), line("8", "Alerting")]},
        [
            (
                "$.pyLines[1].pyLineState",
                "2 lines are active at once (Alerting/Connected/Retrieved); extra lines should be Holding or Initiate",
            )
        ],
    ),
]


@pytest.mark.parametrize(("rule", "change", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_with_path_and_message(rule: str, change: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    found = load_contract("strict").validate({**BASE, **change})
    assert [(v.rule, v.path, v.message) for v in found] == [(rule, path, message) for path, message in expected]
    assert all(v.hint for v in found)


@pytest.mark.parametrize("rule", sorted({c[0] for c in CASES}))
def test_each_rule_can_be_disabled(rule: str) -> None:
    contract = load_contract("strict", disable=[rule])
    for case_rule, change, _ in CASES:
        if case_rule == rule:
            assert contract.validate({**BASE, **change}) == []


def test_severity_follows_the_profile() -> None:
    event = {**BASE, "pyAgentState": "Busy"}
    assert [v.severity for v in load_contract("published").validate(event)] == ["warning"]
    assert [v.severity for v in load_contract("strict").validate(event)] == ["error"]


def test_a_ready_agent_talking_is_only_ever_a_warning() -> None:
    event = {**BASE, "pyLines": [line("7", "Connected")]}
    (violation,) = load_contract("strict").validate(event)
    assert (violation.rule, violation.severity) == ("C5", "warning")


@pytest.mark.parametrize(
    "snapshot",
    [
        {"pyAgentState": "Busy", "pyLines": [line("1", "Holding"), line("2", "Connected")]},  # consult
        {"pyAgentState": "NotReady", "pyReasonCode": "12"},
        {"pyAgentState": "Logout", "pyDeviceState": "CLOSED", "pyReasonCode": "3"},
        {"pyAgentState": "Unknown", "pyLinkState": "DISCONNECTED"},
        {"pyAgentState": "Ready", "pyReasonCode": "0"},  # Pega's own example pairs Ready with "0"
        {"pyAgentState": "Ready", "pyLines": [line("0", "None")]},
    ],
)
def test_consistent_snapshots_raise_nothing(snapshot: dict[str, Any]) -> None:
    assert load_contract("strict").validate({**BASE, **snapshot}) == []


@pytest.mark.parametrize("junk", [[], {}, 5, None, [[]], [{"pyLineState": ["x"]}], [{"pyCallId": {}, "pyLineState": "Connected"}]])
def test_rules_never_crash_on_junk_lines(junk: Any) -> None:
    load_contract("strict").validate({**BASE, "pyAgentState": "Busy", "pyLines": junk})


def test_every_rule_is_documented_in_the_readme_rule_table() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        row = re.search(rf"^\| `{re.escape(rule.id)}` \|(.*)$", readme, flags=re.M)
        assert row, f"README has no rule-table row for {rule.id}"
        cells = [cell.strip() for cell in row.group(1).split("|")]
        assert cells[1:3] == [rule.published or "—", rule.strict or "—"], rule.id
