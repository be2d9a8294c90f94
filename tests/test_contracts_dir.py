"""A user's contracts directory: replaces bundled schemas, resolves $ref inside itself only, never the network."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT6

from pytest_snapshot_cti import ContractUsageError, load_contract
from pytest_snapshot_cti.schemas import bundled_dir


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def write(directory: Path, name: str, schema: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(json.dumps(schema), encoding="utf-8")


def bundled(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((bundled_dir() / name).read_text(encoding="utf-8"))
    return loaded


def test_a_directory_replaces_only_the_schemas_it_holds(tmp_path: Path) -> None:
    snapshot = bundled("Snapshot.json")
    snapshot["properties"]["pyAgentState"]["enum"].append("Training")  # a newer Pega release, say
    write(tmp_path, "Snapshot.json", snapshot)
    contract = load_contract(contracts_dir=tmp_path)
    assert contract.validate({"pyEventType": "SnapshotEvent", "pyAgentState": "Training"}) == []
    assert load_contract().validate({"pyEventType": "SnapshotEvent", "pyAgentState": "Training"})[0].rule == "schema.enum"
    assert contract.validate({"pyEventType": "AgentStateEvent", "pyEventName": "Ready"}) == []  # bundled AgentEvent
    assert contract.sha256 != load_contract().sha256


def test_refs_resolve_to_files_in_the_directory(tmp_path: Path) -> None:
    write(tmp_path, "common.json", {"definitions": {"digits": {"type": "string", "pattern": "^[0-9]+$"}}})
    snapshot = bundled("Snapshot.json")
    snapshot["properties"]["pyAgentId"] = {"$ref": "common.json#/definitions/digits"}
    write(tmp_path, "Snapshot.json", snapshot)
    contract = load_contract(contracts_dir=tmp_path)
    assert contract.validate({"pyEventType": "SnapshotEvent", "pyAgentId": "5501"}) == []
    (violation,) = contract.validate({"pyEventType": "SnapshotEvent", "pyAgentId": "agent-1"})
    assert (violation.rule, violation.path) == ("schema.pattern", "$.pyAgentId")


def test_refs_outside_the_directory_are_not_fetched(tmp_path: Path) -> None:
    snapshot = bundled("Snapshot.json")
    snapshot["properties"]["pyAgentId"] = {"$ref": "https://schemas.example.com/agent.json#/definitions/id"}
    write(tmp_path, "Snapshot.json", snapshot)
    contract = load_contract(contracts_dir=tmp_path)
    (violation,) = contract.validate({"pyEventType": "SnapshotEvent", "pyAgentId": "5501"})
    assert violation.rule == "schema.ref"
    assert "https://schemas.example.com/agent.json" in violation.message
    assert violation.hint == "$ref may point only to files inside the contracts directory (never the network)"


def test_pegas_per_property_ids_collide_in_a_shared_registry() -> None:
    """The trap: every schema's ``/properties/pyEventName`` is http://pega.com/properties/pyEventName.

    Put two of them in one registry and a lookup returns the same subschema for both.
    """
    snapshot, agent = bundled("Snapshot.json"), bundled("AgentEvent.json")
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT6)) for schema in (snapshot, agent)
    )
    found = registry.crawl().contents("http://pega.com/properties/pyEventName")
    assert found in (snapshot["properties"]["pyEventName"], agent["properties"]["pyEventName"])
    assert snapshot["properties"]["pyEventName"] != agent["properties"]["pyEventName"]  # so one schema gets the other's


def test_each_schema_uses_its_own_definitions_even_when_ids_collide(tmp_path: Path) -> None:
    snapshot = bundled("Snapshot.json")
    # a $ref by the colliding per-property $id: must resolve to the Snapshot's own subschema
    snapshot["properties"]["pyEventAlias"] = {"$ref": "/properties/pyEventName"}
    write(tmp_path, "Snapshot.json", snapshot)
    write(tmp_path, "AgentEvent.json", bundled("AgentEvent.json"))
    contract = load_contract(contracts_dir=tmp_path)
    # the AgentEvent's pyEventName is an enum without "Snapshot"; the Snapshot's is a free string
    assert contract.validate({"pyEventType": "AgentStateEvent", "pyEventName": "Ready"}) == []
    assert contract.validate({"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyEventAlias": "Snapshot"}) == []
    (agent,) = contract.validate({"pyEventType": "AgentStateEvent", "pyEventName": "Snapshot"})
    assert agent.rule == "schema.enum"


def test_a_broken_contract_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "Snapshot.json").write_text('{"type": "object",}', encoding="utf-8")
    with pytest.raises(ContractUsageError, match=r"Snapshot.json is not strict JSON: not valid JSON"):
        load_contract(contracts_dir=tmp_path)


def test_a_contract_file_nested_deeper_than_events_may_be_is_a_usage_error(tmp_path: Path) -> None:
    """Contract files are read as strictly as events, depth limit included (so no Struct nests deeper)."""
    deep: dict[str, Any] = {"type": "string"}
    for _ in range(300):
        deep = {"type": "array", "items": deep}
    write(tmp_path, "AgentEvent.json", {"type": "object", "properties": {"xDeep": deep}})
    with pytest.raises(ContractUsageError, match=r"AgentEvent.json is not strict JSON: nested more than 256 levels deep"):
        load_contract(contracts_dir=tmp_path)


def test_an_invalid_schema_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "CallEvent.json", {"type": "object", "properties": {"pyCallId": {"type": "text"}}})
    contract = load_contract(contracts_dir=tmp_path)
    with pytest.raises(ContractUsageError, match=r"contract for 'call' .* is not a valid draft-06 schema"):
        contract.validate({"pyEventType": "CallStateEvent"})


def test_a_directory_with_no_contract_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ContractUsageError, match=r"holds none of Snapshot.json, AgentEvent.json, CallEvent.json, PartyInfoEvent.json"):
        load_contract(contracts_dir=tmp_path)
