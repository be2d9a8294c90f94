"""Issue 12 §1: one event, one verdict, whichever path it takes (engine, CLI and its fast paths, recorder, capture item)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from every_path import capture_fails, cli, disagreements, engine, recorder

from pytest_snapshot_cti import EventRecorder, load_contract, validate_event
from pytest_snapshot_cti.cli import main
from pytest_snapshot_cti.schemas import bundled_dir


def _contracts(directory: Path, **schemas: dict[str, Any]) -> Path:
    directory.mkdir(exist_ok=True)
    for name, schema in schemas.items():
        (directory / f"{name}.json").write_text(json.dumps(schema), encoding="utf-8")
    return directory


def _bundled(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((bundled_dir() / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["validate", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


# -- const together with enum -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["agent", "auto"])
def test_const_and_enum_both_hold_on_the_typed_path(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    agent = {"type": "object", "properties": {"pyEventType": {"type": "string"}, "v": {"const": "foo", "enum": ["bar"]}}}
    directory = _contracts(tmp_path / "c", AgentEvent=agent)
    line = b'{"pyEventType":"AgentStateEvent","v":"foo"}'
    contract = load_contract(contracts_dir=directory)
    assert [v.rule for v in contract.validate(line, kind="agent")] == ["schema.enum"]
    (tmp_path / "a.jsonl").write_bytes(line + b"\n")
    code, report = _cli_json(capsys, "--contracts", str(directory), "--kind", kind, str(tmp_path / "a.jsonl"))
    assert (code, report["summary"]["invalid"]) == (1, 1)
    assert [(f["rule"], f["path"], f["message"]) for f in report["findings"]] == [("schema.enum", "$.v", "'foo' is not one of ['bar']")]


def test_const_and_enum_both_hold_in_a_snapshot_contract(tmp_path: Path) -> None:
    snapshot = _bundled("Snapshot")
    snapshot["properties"]["pyMedia"] = {"const": "Phone", "enum": ["Voice"]}
    contract = load_contract(contracts_dir=_contracts(tmp_path, Snapshot=snapshot))
    line = b'{"pyEventType":"SnapshotEvent","pyEventName":"Snapshot","pyMedia":"Phone"}'
    assert engine(contract, line).verdict == "invalid"
    assert disagreements(contract, line) == {}
    assert cli(contract, line).findings == engine(contract, line).findings


def test_const_and_enum_both_hold_on_the_tag_field(tmp_path: Path) -> None:
    agent = _bundled("AgentEvent")
    agent["properties"]["pyEventType"] = {"type": "string", "const": "AgentStateEvent", "enum": ["SomethingElse"]}
    contract = load_contract(contracts_dir=_contracts(tmp_path, AgentEvent=agent))
    line = b'{"pyEventType":"AgentStateEvent","pyEventName":"Ready"}'
    assert engine(contract, line).verdict == "invalid"
    assert disagreements(contract, line) == {}
    assert disagreements(contract, line, "agent") == {}


# -- a disabled json.* rule means the same everywhere ---------------------------------------------

DUPLICATE = b'{"pyEventType":"SnapshotEvent","pyMedia":"Phone","pyMedia":"Phone"}'


def test_a_disabled_duplicate_key_rule_reads_the_last_value_on_every_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = load_contract(disable=["json.duplicate_key"])
    assert contract.validate(DUPLICATE) == []
    (tmp_path / "d.jsonl").write_bytes(DUPLICATE + b"\n")
    code, report = _cli_json(capsys, "--disable", "json.duplicate_key", str(tmp_path / "d.jsonl"))
    assert (code, report["summary"]["valid"], report["summary"]["unreadable"], report["findings"]) == (0, 1, 0, [])
    assert main(["validate", "--format", "junit", "--disable", "json.duplicate_key", str(tmp_path / "d.jsonl")]) == 0
    assert "<error" not in capsys.readouterr().out
    assert not capture_fails(contract, DUPLICATE, tmp_path)
    assert recorder(contract, DUPLICATE).findings == ()
    assert disagreements(contract, DUPLICATE) == {}


def test_a_disabled_duplicate_key_rule_still_checks_the_event_as_read(tmp_path: Path) -> None:
    """JSON.parse keeps the last of two equal keys: that value is checked, on every path."""
    contract = load_contract(disable=["json.duplicate_key"])
    line = b'{"pyEventType":"SnapshotEvent","pyAgentState":"Ready","pyAgentState":"READY"}'
    assert [v.rule for v in contract.validate(line)] == ["S4"]
    assert disagreements(contract, line) == {}
    assert capture_fails(contract, line, tmp_path)
    heard = EventRecorder(contract)
    heard(line)
    assert heard.last("SnapshotEvent")["pyAgentState"] == "READY"


@pytest.mark.parametrize(
    ("rule", "line"),
    [
        ("json.syntax", b'{"pyEventType": "SnapshotEvent",}'),
        ("json.nan", b'{"pyEventType": "SnapshotEvent", "pyAgentId": NaN}'),
        ("json.trailing_data", b'{"pyEventType": "SnapshotEvent"} x'),
    ],
)
def test_another_disabled_reading_rule_is_a_finding_not_made_on_every_path(tmp_path: Path, rule: str, line: bytes) -> None:
    """Nothing can be read, so nothing else is found: valid for the engine, so valid everywhere."""
    contract = load_contract(disable=[rule])
    assert contract.validate(line) == []
    assert disagreements(contract, line) == {}
    assert not capture_fails(contract, line, tmp_path)


# -- a JSON string holding JSON is a string -------------------------------------------------------

EVENT = {"pyEventType": "SnapshotEvent"}
NOT_OBJECT = ("json.not_object", "error", "$", "an event must be a JSON object, got string", None)


def test_a_json_string_holding_json_is_not_decoded_twice_by_the_recorder() -> None:
    text = json.dumps(json.dumps(EVENT))
    assert [v.rule for v in validate_event(text)] == ["json.not_object"]
    heard = EventRecorder()
    heard(text)
    assert [(v.rule, v.message) for v in heard.validate()] == [("json.not_object", "an event must be a JSON object, got string")]
    assert heard.events == [json.dumps(EVENT)]


def test_a_json_string_holding_json_in_a_capture_file_is_not_an_event(tmp_path: Path) -> None:
    line = json.dumps(json.dumps(EVENT)).encode()
    contract = load_contract()
    assert engine(contract, line).findings == (NOT_OBJECT,)
    assert disagreements(contract, line) == {}
    assert capture_fails(contract, line, tmp_path)
    (tmp_path / "one.cti.json").write_bytes(line)
    assert capture_fails(contract, line, tmp_path, "one.cti.json")


def test_the_capture_item_counts_a_json_string_holding_json_as_invalid(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cti.jsonl", session='"{\\"pyEventType\\":\\"SnapshotEvent\\"}"\n')
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*session.cti.jsonl:1 $: an event must be a JSON object, got string [[]json.not_object]",
            "1 event: 0 valid, 1 invalid, 0 unreadable",
            "events checked: 1 ((not an object) 1)",
        ]
    )


# -- an empty .json file is a note, as an empty .jsonl is ----------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n"])
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_an_empty_file_is_a_note_that_leaves_the_exit_code_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, content: bytes
) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(content)
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == f"snapshot-cti: note: {path}: empty input: no events\n"
    assert captured.out.startswith("0 events: 0 valid, 0 invalid, 0 unreadable")


# -- a line ending in \r\r\n ------------------------------------------------------------------------


@pytest.mark.parametrize("line", [b'{"a": 1\r', b'{"a": 1,\r', b'{"a"\r', b'[1,\r', b'"abc\r', b'{"a": 1}x\r', b"{\r", b'{"a": 1,}\r'])
def test_a_malformed_line_ending_in_cr_cr_lf_is_located_as_the_engine_locates_it(line: bytes) -> None:
    """The line is what comes before its end (``\\n`` or ``\\r\\n``); the ``\\r`` left over is the line's own."""
    contract = load_contract()
    assert cli(contract, line + b"\r").findings == engine(contract, line).findings
    assert cli(contract, line + b"\r", fast=False).findings == engine(contract, line).findings
