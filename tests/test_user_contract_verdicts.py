"""Issue 12 §2: a user's own contract gets the verdict its schema states (Draft6Validator's), on every path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from every_path import disagreements
from jsonschema import Draft6Validator

from pytest_snapshot_cti import ContractUsageError, load_contract
from pytest_snapshot_cti.cli import main
from pytest_snapshot_cti.reader import MAX_DEPTH
from pytest_snapshot_cti.schemas import bundled_dir

COMPLETE = {
    "pyEventType": "SnapshotEvent",
    "pyEventName": "Snapshot",
    "pyAgentId": "5501",
    "pyAgentState": "Ready",
    "pyThisDN": "8808",
    "pyLinkState": "CONNECTED",
    "pyDeviceState": "OPENED",
    "pyLines": [],
}


def _bundled(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((bundled_dir() / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _directory(tmp_path: Path, **schemas: dict[str, Any]) -> Path:
    for name, schema in schemas.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(schema), encoding="utf-8")
    return tmp_path


def _s5(contract: Any, event: Any) -> list[tuple[str, str]]:
    return [(v.path, v.message) for v in contract.validate(event) if v.rule == "S5"]


# -- the strict profile adds its required set to the contract's own ---------------------------------


def test_the_strict_profile_keeps_a_contracts_own_required_fields(tmp_path: Path) -> None:
    snapshot = _bundled("Snapshot")
    snapshot["required"] = ["foo"]
    snapshot["properties"]["foo"] = {"type": "string"}
    lines = snapshot["properties"]["pyLines"]["items"]
    lines["required"] = ["xLineId"]
    lines["properties"]["xLineId"] = {"type": "string"}
    directory = _directory(tmp_path, Snapshot=snapshot)
    missing_foo = [("$.foo", "required field 'foo' is missing from the event")]
    assert _s5(load_contract("published", contracts_dir=directory), COMPLETE) == missing_foo
    assert _s5(load_contract("strict", contracts_dir=directory), COMPLETE) == missing_foo
    with_line = {**COMPLETE, "foo": "x", "pyLines": [{"pyCallId": "c-1", "pyLineState": "Connected"}]}
    assert _s5(load_contract("strict", contracts_dir=directory), with_line) == [
        ("$.pyLines[0].xLineId", "required field 'xLineId' is missing from $.pyLines[0]")
    ]
    assert load_contract("strict", contracts_dir=directory).schema("snapshot")["required"][0] == "foo"


def test_the_strict_profile_keeps_a_party_contracts_own_required_fields(tmp_path: Path) -> None:
    party = _bundled("PartyInfoEvent")
    party["properties"]["pyParties"]["items"]["required"] = ["xRole"]
    party["properties"]["pyParties"]["items"]["properties"]["xRole"] = {"type": "string"}
    contract = load_contract("strict", contracts_dir=_directory(tmp_path, PartyInfoEvent=party))
    event = {"pyEventType": "PartyInfoEvent", "pyEventName": "PartyInfo", "pyCallId": "c-1", "pyParties": [{"pyDN": "8808"}]}
    assert _s5(contract, event) == [("$.pyParties[0].xRole", "required field 'xRole' is missing from $.pyParties[0]")]


# -- $id: only the keyword, only in schema positions ----------------------------------------------------


def test_a_property_named_dollar_id_is_checked(tmp_path: Path) -> None:
    snapshot = _bundled("Snapshot")
    snapshot["properties"]["$id"] = {"type": "string"}
    contract = load_contract(contracts_dir=_directory(tmp_path, Snapshot=snapshot))
    event = {"pyEventType": "SnapshotEvent", "$id": 5}
    assert [e.message for e in Draft6Validator(snapshot).iter_errors(event)] == ["5 is not of type 'string'"]
    assert [(v.rule, v.path, v.message) for v in contract.validate(event)] == [("S3", "$['$id']", "5 is not of type 'string'")]
    assert disagreements(contract, json.dumps(event).encode()) == {}


@pytest.mark.parametrize("keyword", ["const", "enum"])
def test_a_const_or_enum_value_holding_dollar_id_is_kept(tmp_path: Path, keyword: str) -> None:
    value = {"$id": "x", "n": 1}
    snapshot = _bundled("Snapshot")
    snapshot["properties"]["xMeta"] = {"const": value} if keyword == "const" else {"enum": [value]}
    contract = load_contract(contracts_dir=_directory(tmp_path, Snapshot=snapshot))
    assert contract.validate({"pyEventType": "SnapshotEvent", "xMeta": value}) == []
    (violation,) = contract.validate({"pyEventType": "SnapshotEvent", "xMeta": {"n": 1}})
    assert violation.rule == f"schema.{keyword}"


# -- a recursive $ref: the event's depth counts, never the call stack -----------------------------------

TREE = {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"$ref": "#/definitions/node"}}]}


def _tree_contract(tmp_path: Path) -> Path:
    agent = _bundled("AgentEvent")
    agent["definitions"] = {"node": TREE}
    agent["properties"]["xTree"] = {"$ref": "#/definitions/node"}
    return _directory(tmp_path, AgentEvent=agent)


def _tree(depth: int) -> dict[str, Any]:
    """An agent event whose ``xTree`` makes the event ``depth`` levels deep (the event object is one)."""
    tree: Any = 1
    for _ in range(depth - 1):
        tree = [tree]
    return {"pyEventType": "AgentStateEvent", "pyEventName": "Ready", "xTree": tree}


def _called_from_deep(frames: int, call: Any) -> Any:
    return call() if frames == 0 else _called_from_deep(frames - 1, call)


@pytest.mark.parametrize("depth", [163, 200, MAX_DEPTH])
def test_a_recursive_ref_is_judged_by_the_events_depth_not_the_stack(tmp_path: Path, depth: int, capsys: pytest.CaptureFixture[str]) -> None:
    contract = load_contract(contracts_dir=_tree_contract(tmp_path))
    event = _tree(depth)
    text = json.dumps(event)
    assert contract.validate(event) == []
    assert contract.validate(text) == []
    assert _called_from_deep(400, lambda: contract.validate(event)) == []
    (tmp_path / "tree.jsonl").write_text(text + "\n", encoding="utf-8")
    assert main(["validate", "-q", "--contracts", str(tmp_path), str(tmp_path / "tree.jsonl")]) == 0
    assert capsys.readouterr().out.startswith("1 event: 1 valid")


def test_a_recursive_ref_still_finds_what_is_wrong_deep_down(tmp_path: Path) -> None:
    contract = load_contract(contracts_dir=_tree_contract(tmp_path))
    event = _tree(MAX_DEPTH - 1)
    leaf = event["xTree"]
    while isinstance(leaf[0], list):
        leaf = leaf[0]
    leaf[0] = "x"
    found = _called_from_deep(300, lambda: contract.validate(event))
    assert [(v.rule, v.path) for v in found] == [("schema.anyOf", "$.xTree")]
    assert _called_from_deep(300, lambda: contract.validate(json.dumps(event))) == found


def test_an_event_deeper_than_the_limit_is_json_depth_with_a_recursive_ref(tmp_path: Path) -> None:
    contract = load_contract(contracts_dir=_tree_contract(tmp_path))
    (violation,) = contract.validate(_tree(MAX_DEPTH + 1))
    assert (violation.rule, violation.message) == ("json.depth", f"nested more than {MAX_DEPTH} levels deep (arrays or objects inside each other)")


# -- a $ref cycle that consumes no input is a broken contract -----------------------------------------


@pytest.mark.parametrize(
    "definitions",
    [
        {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}},
        {"a": {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/a"}]}},
        {"a": {"allOf": [{"not": {"$ref": "#/definitions/b"}}]}, "b": {"oneOf": [{"$ref": "#/definitions/a"}]}},
    ],
    ids=["a-b-a", "anyOf-self", "allOf-not-oneOf"],
)
def test_a_ref_cycle_that_consumes_no_input_is_refused_at_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], definitions: dict[str, Any]
) -> None:
    agent = _bundled("AgentEvent")
    agent["definitions"] = definitions
    agent["properties"]["xLoop"] = {"$ref": "#/definitions/a"}
    directory = _directory(tmp_path, AgentEvent=agent)
    with pytest.raises(ContractUsageError) as caught:
        load_contract(contracts_dir=directory)
    message = str(caught.value)
    assert message.startswith(f"contract file {directory / 'AgentEvent.json'}: $ref cycle that consumes no input: #/properties/xLoop -> ")
    assert message.endswith("(a value checked against it would be checked against it again, forever)")
    (tmp_path / "flat.jsonl").write_text('{"pyEventType": "AgentStateEvent", "xLoop": 1}\n', encoding="utf-8")
    assert main(["validate", "--contracts", str(directory), str(tmp_path / "flat.jsonl")]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"snapshot-cti: error: {message}\n")


def test_a_recursive_ref_that_consumes_input_is_not_a_cycle(tmp_path: Path) -> None:
    agent = _bundled("AgentEvent")
    agent["definitions"] = {"node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/node"}}}}
    agent["properties"]["xList"] = {"$ref": "#/definitions/node"}
    contract = load_contract(contracts_dir=_directory(tmp_path, AgentEvent=agent))
    assert contract.validate({"pyEventType": "AgentStateEvent", "xList": {"next": {"next": {}}}}) == []


# -- S5 names the field as the contract writes it ----------------------------------------------------


@pytest.mark.parametrize("name", ["it's", "back\\slash", "tab\there", 'quote"d', "new\nline"])
def test_a_missing_required_field_is_named_from_the_data_not_the_message(tmp_path: Path, name: str) -> None:
    snapshot = _bundled("Snapshot")
    snapshot["required"] = [name]
    contract = load_contract(contracts_dir=_directory(tmp_path, Snapshot=snapshot))
    (violation,) = contract.validate({"pyEventType": "SnapshotEvent"})
    assert (violation.rule, violation.path, violation.message) == ("S5", f"$[{name!r}]", f"required field {name!r} is missing from the event")
