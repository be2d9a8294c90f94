"""Issue 12 §4: a contracts directory means only what it holds — regular files inside it, never the network."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest

from pytest_snapshot_cti import ContractUsageError, load_contract
from pytest_snapshot_cti.cli import main
from pytest_snapshot_cti.schemas import bundled_dir

DIGITS = {"definitions": {"digits": {"type": "string", "pattern": "^[0-9]+$"}}}
NOT_RESOLVED_HINT = "$ref may point only to files inside the contracts directory (never the network)"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _snapshot_referring_to(directory: Path, ref: str, **top: Any) -> Path:
    snapshot = json.loads((bundled_dir() / "Snapshot.json").read_text(encoding="utf-8"))
    snapshot.update(top)
    snapshot["properties"]["pyAgentId"] = {"$ref": ref}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Snapshot.json").write_text(json.dumps(snapshot), encoding="utf-8")
    return directory


def _findings(directory: Path, agent_id: str = "agent-1") -> list[tuple[str, str, str | None]]:
    return [(v.rule, v.message, v.hint) for v in load_contract(contracts_dir=directory).validate({"pyEventType": "SnapshotEvent", "pyAgentId": agent_id})]


def test_a_symlink_inside_the_directory_pointing_outside_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "common.json").write_text(json.dumps(DIGITS), encoding="utf-8")
    contracts = _snapshot_referring_to(tmp_path / "contracts", "common.json#/definitions/digits")
    os.symlink(tmp_path / "elsewhere" / "common.json", contracts / "common.json")
    assert _findings(contracts) == [
        (
            "schema.ref",
            "the SnapshotEvent contract refers to 'common.json#/definitions/digits', which cannot be resolved",
            NOT_RESOLVED_HINT,
        )
    ]


def test_a_symlink_that_stays_inside_the_directory_is_followed(tmp_path: Path) -> None:
    contracts = _snapshot_referring_to(tmp_path / "contracts", "common.json#/definitions/digits")
    (contracts / "defs").mkdir()
    (contracts / "defs" / "real.json").write_text(json.dumps(DIGITS), encoding="utf-8")
    os.symlink(contracts / "defs" / "real.json", contracts / "common.json")
    assert [rule for rule, _, _ in _findings(contracts)] == ["schema.pattern"]


@pytest.mark.parametrize(
    ("ref", "why"),
    [
        ("../outside.json#/definitions/digits", "which cannot be resolved"),
        ("file:///etc/passwd", "which cannot be resolved"),
        ("../outside.json#/definitions/digits", "which resolves to 'http://pega.com/OpenCTI/outside.json': remote refs are never fetched"),
    ],
)
def test_a_ref_leaving_the_directory_is_not_resolved(tmp_path: Path, ref: str, why: str) -> None:
    """Without an ``$id``, ``..`` leaves the directory; under Pega's ``$id`` it leaves the contracts' own base."""
    (tmp_path / "outside.json").write_text(json.dumps(DIGITS), encoding="utf-8")
    top = {"$id": "http://pega.com/OpenCTI/Events/Snapshot.json"} if "remote" in why else {"$id": "Snapshot.json"}
    contracts = _snapshot_referring_to(tmp_path / "contracts", ref, **top)
    assert _findings(contracts) == [("schema.ref", f"the SnapshotEvent contract refers to {ref!r}, {why}", NOT_RESOLVED_HINT)]


@pytest.mark.parametrize(
    "ref", ["http://127.0.0.1:8765/AgentEvent.json", "https://schemas.example.com/common.json#/definitions/digits", "http://pega.com/common.json"]
)
def test_a_remote_ref_is_never_fetched_nor_matched_by_file_name(tmp_path: Path, ref: str) -> None:
    (tmp_path / "common.json").write_text(json.dumps(DIGITS), encoding="utf-8")
    contracts = _snapshot_referring_to(tmp_path, ref)
    assert _findings(contracts, "5501") == [
        (
            "schema.ref",
            f"the SnapshotEvent contract refers to {ref!r}: remote refs are never fetched",
            NOT_RESOLVED_HINT,
        )
    ]


def test_the_cli_reports_a_remote_ref_as_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contracts = _snapshot_referring_to(tmp_path / "c", "http://127.0.0.1:8765/AgentEvent.json")
    (tmp_path / "s.jsonl").write_text('{"pyEventType": "SnapshotEvent", "pyAgentId": "5501"}\n', encoding="utf-8")
    assert main(["validate", "--contracts", str(contracts), str(tmp_path / "s.jsonl")]) == 1
    assert "remote refs are never fetched" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("ref", "base"),
    [
        ("common.json#/definitions/digits", None),
        ("defs/common.json#/definitions/digits", None),
        ("http://example.com/contracts/defs/common.json#/definitions/digits", "http://example.com/contracts/Snapshot.json"),
        ("defs/common.json#/definitions/digits", "http://example.com/contracts/Snapshot.json"),
    ],
)
def test_relative_refs_and_refs_under_the_contracts_own_id_resolve_to_its_files(tmp_path: Path, ref: str, base: str | None) -> None:
    top = {"$id": base} if base else {}
    contracts = _snapshot_referring_to(tmp_path, ref, **top)
    (tmp_path / "defs").mkdir()
    for where in (tmp_path / "common.json", tmp_path / "defs" / "common.json"):
        where.write_text(json.dumps(DIGITS), encoding="utf-8")
    assert _findings(contracts, "5501") == []
    assert [rule for rule, _, _ in _findings(contracts)] == ["schema.pattern"]


@pytest.mark.parametrize("what", ["fifo", "directory", "dangling link"])
def test_a_contract_name_that_is_not_a_regular_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str) -> None:
    path = tmp_path / "Snapshot.json"
    if what == "fifo":
        os.mkfifo(path)
    elif what == "directory":
        path.mkdir()
    else:
        os.symlink(tmp_path / "missing.json", path)
    (tmp_path / "AgentEvent.json").write_text((bundled_dir() / "AgentEvent.json").read_text(encoding="utf-8"), encoding="utf-8")
    expected = {
        "fifo": f"contract file {path} is a FIFO: a contract is a regular JSON file",
        "directory": f"contract file {path} is a directory: a contract is a regular JSON file",
        "dangling link": f"cannot read contract file {path}: No such file or directory",
    }[what]
    with pytest.raises(ContractUsageError) as caught:
        load_contract(contracts_dir=tmp_path)
    assert str(caught.value) == expected
    (tmp_path / "s.jsonl").write_text('{"pyEventType": "SnapshotEvent"}\n', encoding="utf-8")
    assert main(["validate", "--contracts", str(tmp_path), str(tmp_path / "s.jsonl")]) == 2
    assert capsys.readouterr().err == f"snapshot-cti: error: {expected}\n"
