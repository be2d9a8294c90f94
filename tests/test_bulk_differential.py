"""The fast path never changes a verdict or a message: the CLI's findings per line equal Contract.validate's.

The compiled "clean" check (fastpath.py) only ever says "no findings"; these tests hold it to that
over factory events and their labelled mutants (10,000 lines through the CLI), and over
free-form Snapshots built from the fields the rules read (Hypothesis).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from freeform import snapshots as _snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.bulk import BulkValidator, EventResult, validate_lines
from pytest_snapshot_cti.cli import generate, main
from pytest_snapshot_cti.fastpath import available, clean_checker

pytestmark = pytest.mark.skipif(not available(), reason="jsonschema-rs is not installed: there is no fast path to compare")


def _expected(contract: Any, data: bytes, name: str, kind: str = "auto") -> dict[str, list[dict[str, Any]]]:
    """What Contract.validate says about each line, one line at a time."""
    found: dict[str, list[dict[str, Any]]] = {}
    for number, line in enumerate(data.splitlines(), start=1):
        violations = contract.validate(line.decode("utf-8"), kind=kind)
        if violations:
            found[f"{name}:{number}"] = [v.at(f"{name}:{number}").to_dict() for v in violations]
    return found


@pytest.mark.parametrize("profile", ["published", "strict"])
def test_10000_generated_events_cli_findings_equal_contract_validate(
    tmp_path: Path, profile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    for n, kind in enumerate(("snapshot", "snapshot", "agent", "call", "party")):
        generate(out, count=1000, seed=100 + n, kind=kind, invalid=0.5, profile=profile)
    for scenario in ("inbound_call", "consult_transfer", "link_drop_reconnect"):
        generate(out, scenario=scenario, count=5, seed=7, invalid=0.3, profile=profile)
    data = out.getvalue().encode()
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(data)
    lines = data.count(b"\n")
    assert lines >= 5000
    code = main(["validate", "--format", "json", "--profile", profile, str(path)])
    report = json.loads(capsys.readouterr().out)
    got: dict[str, list[dict[str, Any]]] = {}
    for finding in report["findings"]:
        got.setdefault(finding["location"], []).append({k: v for k, v in finding.items() if k != "verdict"})
    expected = _expected(load_contract(profile), data, str(path))
    assert got == expected
    assert report["summary"]["events"] == lines
    failing = sum(1 for found in expected.values() if any(v["severity"] == "error" for v in found))
    assert report["summary"]["invalid"] == failing
    assert 0.2 * lines < failing < 0.8 * lines  # both verdicts are well represented
    assert code == 1


@pytest.mark.parametrize("kind", ["snapshot", "agent", "call", "party"])
def test_forced_kind_findings_equal_contract_validate(kind: str) -> None:
    contract = load_contract("strict")
    out = io.StringIO()
    for n, made in enumerate(("snapshot", "agent", "call", "party")):
        generate(out, count=150, seed=n, kind=made, invalid=0.3, profile="strict")
    data = out.getvalue().encode()
    validator = BulkValidator(contract, kind=kind)
    got = {
        o.location: [v.to_dict() for v in o.violations]
        for o in validator.validate_stream(io.BytesIO(data), "f")
        if isinstance(o, EventResult)
    }
    assert got == _expected(contract, data, "f", kind)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(events=st.lists(_snapshot, min_size=20, max_size=40), profile=st.sampled_from(["published", "strict"]))
def test_free_form_events_fast_path_equals_engine(events: list[dict[str, Any]], profile: str) -> None:
    contract = load_contract(profile)
    lines = [json.dumps(event).encode() for event in events]
    got = {r.location: list(r.violations) for r in validate_lines(contract, lines)}
    expected = {}
    for number, event in enumerate(events, start=1):
        found = [v.at(f"<lines>:{number}") for v in contract.validate(event)]
        if found:
            expected[f"<lines>:{number}"] = found
    assert got == expected


def test_the_fast_path_is_on_for_the_bundled_contracts() -> None:
    for profile in ("published", "strict"):
        for kind in ("auto", "snapshot", "agent", "call", "party"):
            assert clean_checker(load_contract(profile), kind) is not None


def test_a_contract_with_untrusted_keywords_falls_back_with_the_same_results(tmp_path: Path) -> None:
    """A ``pattern`` (regex dialects differ) turns the compiled check off; findings stay the engine's."""
    schema = load_contract().schema("snapshot")
    schema["properties"]["pyAgentId"] = {"type": "string", "pattern": "^[0-9]+$"}
    (tmp_path / "Snapshot.json").write_text(json.dumps(schema), encoding="utf-8")
    contract = load_contract(contracts_dir=tmp_path)
    assert clean_checker(contract, "snapshot") is None
    good = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "5501", "pyLines": []}
    lines = [json.dumps(good).encode(), json.dumps({**good, "pyAgentId": "A1"}).encode()]
    (result,) = validate_lines(contract, lines)
    assert result.location == "<lines>:2"
    assert [v.rule for v in result.violations] == ["schema.pattern"]


def test_untrusted_keywords_in_one_kind_leave_the_other_kinds_on_the_dict_path(tmp_path: Path) -> None:
    """README: such a keyword turns a path off *for that kind*. Agent events (with a vendor key: no typed Struct
    takes them) are still decided by the compiled check, Snapshots by the engine, with the engine's findings."""
    schema = load_contract().schema("snapshot")
    schema["properties"]["pyAgentId"] = {"type": "string", "pattern": "^[0-9]+$"}
    (tmp_path / "Snapshot.json").write_text(json.dumps(schema), encoding="utf-8")
    contract = load_contract(contracts_dir=tmp_path)
    assert clean_checker(contract, "agent") is not None
    agent = {"pyEventType": "AgentStateEvent", "pyEventName": "Ready", "vendorQueue": "q1"}
    snapshot = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "A1", "pyLines": [], "vendorQueue": "q1"}
    lines = [json.dumps(agent) for _ in range(40)] + [json.dumps(snapshot)]
    validator = BulkValidator(contract)
    outcomes = list(validator.validate_stream(io.BytesIO("\n".join(lines).encode() + b"\n"), "mixed.jsonl"))
    found = [(o.location, [v.rule for v in o.violations]) for o in outcomes if isinstance(o, EventResult)]
    assert found == [("mixed.jsonl:41", ["schema.pattern"])]
    assert validator.paths.dict == 40
    assert validator.paths.engine == 1


def test_fast_and_engine_only_paths_agree(tmp_path: Path) -> None:
    out = io.StringIO()
    generate(out, count=400, seed=11, invalid=0.4)
    lines = out.getvalue().encode().splitlines()
    contract = load_contract()
    assert validate_lines(contract, lines) == validate_lines(contract, lines, fast=False)


def test_validate_does_not_mutate_its_input() -> None:
    event = {"pyEventType": "SnapshotEvent", "pyLines": [{"pyCallId": "c-1"}]}
    before = json.dumps(event)
    for profile in ("published", "strict"):
        load_contract(profile).validate(event)
    assert json.dumps(event) == before


def test_a_contract_comparing_numbers_gets_no_compiled_check(tmp_path: Path) -> None:
    """The compiled validator has no arbitrary-precision numbers; where a contract compares numbers, only the engine judges."""
    schema = load_contract().schema("agent")
    schema["properties"]["xPriority"] = {"enum": [18446744073709551617]}
    (tmp_path / "AgentEvent.json").write_text(json.dumps(schema), encoding="utf-8")
    contract = load_contract(contracts_dir=tmp_path)
    assert clean_checker(contract, "agent") is None
    agent = '{"pyEventType": "AgentStateEvent", "pyEventName": "Ready", "xPriority": %s}'
    lines = [(agent % "18446744073709551617").encode(), (agent % "18446744073709551616").encode()]
    (result,) = validate_lines(contract, lines)
    assert result.location == "<lines>:2"
    assert [v.rule for v in result.violations] == ["schema.enum"]
    assert [v.rule for v in contract.validate(json.loads(lines[1]))] == ["schema.enum"]


def _pool() -> list[str]:
    out = io.StringIO()
    for n, kind in enumerate(("snapshot", "agent", "call", "party")):
        generate(out, count=6, seed=40 + n, kind=kind, invalid=0.3)
    return out.getvalue().splitlines()


_POOL = _pool()


@st.composite
def _raw_line(draw: st.DrawFn) -> str:
    """A line of a capture as it may really be: whole, spaced, doubled, cut in two, blank, CRLF-ended."""
    line = draw(st.sampled_from(_POOL))
    cut = draw(st.integers(1, len(line) - 1))
    return draw(
        st.sampled_from(
            [line, json.dumps(json.loads(line)), line + line, line + " " + line, line[:cut], line[cut:], "", "  ", line + "\r", "{}"]
        )
    )


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(_raw_line(), min_size=1, max_size=60),
    profile=st.sampled_from(["published", "strict"]),
    kind=st.sampled_from(["auto", "snapshot", "agent", "call", "party"]),
    lifecycle=st.booleans(),
)
def test_raw_lines_fast_paths_equal_the_engine_line_by_line(lines: list[str], profile: str, kind: str, lifecycle: bool) -> None:
    """Whatever the lines hold, and however they would read as one stream of values, each line is
    judged alone; with ``--lifecycle`` the stream rules see the events in file order."""
    data = "".join(line + "\n" for line in lines).encode()
    runs = []
    for fast in (True, False):
        validator = BulkValidator(load_contract(profile), kind=kind, lifecycle=lifecycle, fast=fast)
        runs.append((list(validator.validate_stream(io.BytesIO(data), "f")), validator.tally.to_dict()))
    assert runs[0] == runs[1]
    assert runs[0][1]["events"] == sum(1 for line in lines if line.strip())
