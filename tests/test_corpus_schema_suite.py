"""Issue 12 §6: JSON-Schema-Test-Suite (draft-06) as user contracts — engine = suite, CLI = engine, every line.

Each group's schema becomes a team's contract in three placements:

* (A) ``Snapshot.json`` is the schema itself; the suite's object data are the events (``--kind snapshot``);
* (B) ``Snapshot.json`` wraps it as one property, ``{"type": "object", "properties": {"v": SCHEMA}}``;
  any data goes in ``{"v": data}`` (``--kind snapshot``);
* (C) a closed ``AgentEvent.json`` with ``pyEventType`` required and ``v`` the schema; events
  ``{"pyEventType": "AgentStateEvent", "pyEventName": "Ready", "v": data}``, dispatched on pyEventType
  (``--kind auto``), where the typed path can build Structs (``pyEventName`` meets the strict profile's
  required set, so the fast paths have lines to decide under both profiles).

In (B) and (C) the schema's ``#`` refs are moved under ``#/properties/v``; a group whose refs cannot move
(relative to an ``$id``, or to another document) is placed in (A) only. Groups whose refs jsonschema
itself cannot resolve without the network (``refRemote.json`` is not even copied) are out of scope.

The engine must give the suite's verdict on every test under ``published`` (no error exactly when the
suite says valid); ``snapshot-cti validate`` must give the engine's findings on every line, in compact and
spaced JSON, under both profiles. How many lines each fast path decided is recorded and printed at the end
of the run (tests/conftest.py): a differential in which the fast paths decide nothing proves nothing.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft6Validator
from referencing import Registry
from referencing.exceptions import Unresolvable

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.bulk import BulkValidator, EventResult
from pytest_snapshot_cti.contract import Contract

SUITE = Path(__file__).parent / "data" / "json-schema-test-suite" / "draft6"
PLACEMENTS = ("A", "B", "C")


@dataclass(frozen=True)
class Case:
    """One suite test in one placement: the event as a value, the kind to check it as, the suite's verdict."""

    group: str
    description: str
    event: Any
    valid: bool


@dataclass(frozen=True)
class Placed:
    group: str
    placement: str
    contract_file: str
    contract: dict[str, Any]
    kind: str
    cases: tuple[Case, ...]


def _schema_positions(schema: Any) -> Iterator[dict[str, Any]]:
    """Every subschema (draft-06 keywords), so ``$id``/``$ref`` are read only where they are keywords."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key in ("not", "additionalProperties", "additionalItems", "contains", "propertyNames"):
        yield from _schema_positions(schema.get(key))
    items = schema.get("items")
    for sub in items if isinstance(items, list) else [items]:
        yield from _schema_positions(sub)
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []) if isinstance(schema.get(key), list) else []:
            yield from _schema_positions(sub)
    for key in ("properties", "patternProperties", "definitions", "dependencies"):
        if isinstance(schema.get(key), dict):
            for sub in schema[key].values():
                yield from _schema_positions(sub)


def _movable(schema: Any) -> bool:
    """True when the schema's refs are JSON pointers into itself, with no ``$id`` to re-base them."""
    positions = list(_schema_positions(schema))
    refs = [p["$ref"] for p in positions if isinstance(p.get("$ref"), str)]
    if not refs:
        return True
    return not any("$id" in p for p in positions) and all(ref == "#" or ref.startswith("#/") for ref in refs)


def _moved(schema: Any, prefix: str) -> Any:
    """``schema`` with every pointer ref (``#``, ``#/...``) moved under ``prefix`` (where the wrapper puts it)."""
    if isinstance(schema, list):
        return [_moved(item, prefix) for item in schema]
    if not isinstance(schema, dict):
        return schema
    moved = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str) and (value == "#" or value.startswith("#/")):
            moved[key] = prefix + value[1:]
        elif key in ("const", "enum", "default", "examples"):
            moved[key] = value  # data, not schema
        else:
            moved[key] = _moved(value, prefix)
    return moved


def _needs_the_network(schema: Any, tests: list[dict[str, Any]]) -> bool:
    """jsonschema itself, with no way to fetch anything, cannot resolve a ref of this schema."""
    validator = Draft6Validator(schema, registry=Registry())
    try:
        for test in tests:
            validator.is_valid(test["data"])
    except Unresolvable:
        return True
    return False


def _groups() -> list[tuple[str, str, Any, list[dict[str, Any]]]]:
    found = []
    for path in sorted(SUITE.glob("*.json")):
        for index, group in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            if not _needs_the_network(group["schema"], group["tests"]):
                found.append((f"{path.stem}[{index}]", group["description"], group["schema"], group["tests"]))
    return found


GROUPS = _groups()


def _placements() -> list[Placed]:
    placed: list[Placed] = []
    for group, _, schema, tests in GROUPS:
        if isinstance(schema, dict):
            cases = tuple(Case(group, t["description"], t["data"], t["valid"]) for t in tests if isinstance(t["data"], dict))
            if cases:
                placed.append(Placed(group, "A", "Snapshot.json", schema, "snapshot", cases))
        if not _movable(schema):
            continue
        wrapped = {"type": "object", "properties": {"v": _moved(schema, "#/properties/v")}}
        cases = tuple(Case(group, t["description"], {"v": t["data"]}, t["valid"]) for t in tests)
        placed.append(Placed(group, "B", "Snapshot.json", wrapped, "snapshot", cases))
        closed = {
            "type": "object",
            "required": ["pyEventType"],
            "additionalProperties": False,
            "properties": {
                "pyEventType": {"const": "AgentStateEvent"},
                "pyEventName": {"type": "string"},  # so the strict profile's required set is met too
                "v": _moved(schema, "#/properties/v"),
            },
        }
        event = {"pyEventType": "AgentStateEvent", "pyEventName": "Ready"}
        cases = tuple(Case(group, t["description"], {**event, "v": t["data"]}, t["valid"]) for t in tests)
        placed.append(Placed(group, "C", "AgentEvent.json", closed, "auto", cases))
    return placed


PLACED = _placements()


@pytest.fixture(scope="module")
def contracts(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """One contracts directory per group and placement."""
    root = tmp_path_factory.mktemp("suite-contracts")
    directories = {}
    for number, placed in enumerate(PLACED):
        directory = root / f"{number:04d}-{placed.placement}"
        directory.mkdir()
        (directory / placed.contract_file).write_text(json.dumps(placed.contract), encoding="utf-8")
        directories[placed.group, placed.placement] = directory
    return directories


def _line(event: Any, spacing: str) -> bytes:
    if spacing == "compact":
        return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
    return json.dumps(event, separators=(", ", ": "), ensure_ascii=False).encode()


def test_the_corpus_is_what_the_issue_describes() -> None:
    """Enough of the suite takes part (and every placement), so a green run means something."""
    tests = sum(len(group[3]) for group in GROUPS)
    assert len(GROUPS) >= 200
    assert tests >= 750
    counts = {p: sum(len(placed.cases) for placed in PLACED if placed.placement == p) for p in PLACEMENTS}
    assert counts["A"] >= 250  # object data only
    assert counts["B"] >= 700
    assert counts["C"] >= 700


def test_the_engine_gives_the_suites_verdict_in_every_placement(
    contracts: dict[tuple[str, str], Path], record_property: Any
) -> None:
    disagreements = []
    checked = 0
    for placed in PLACED:
        contract = load_contract("published", contracts_dir=contracts[placed.group, placed.placement])
        for case in placed.cases:
            for event in (case.event, _line(case.event, "compact")):
                found = contract.validate(event, kind=placed.kind, observe=False)
                checked += 1
                if any(v.is_error for v in found) == case.valid:
                    disagreements.append((placed.placement, case.group, case.description, [v.format() for v in found]))
    record_property("cti_corpus", f"{checked:,} suite tests (values and their JSON text, 3 placements); {len(disagreements)} disagreements")
    assert disagreements == []


def _cli_findings(contract: Contract, lines: list[bytes], kind: str) -> tuple[dict[int, list[dict[str, Any]]], Any, Any]:
    validator = BulkValidator(contract, kind=kind)
    outcomes = validator.validate_stream(io.BytesIO(b"".join(line + b"\n" for line in lines)), "suite.jsonl")
    found = {int(o.location.rsplit(":", 1)[1]): [v.to_dict() for v in o.violations] for o in outcomes if isinstance(o, EventResult)}
    return found, validator.paths, validator.tally


@pytest.mark.parametrize("spacing", ["compact", "spaced"])
@pytest.mark.parametrize("profile", ["published", "strict"])
def test_the_cli_gives_the_engines_findings_on_every_line(
    contracts: dict[tuple[str, str], Path], profile: str, spacing: str, record_property: Any
) -> None:
    disagreements = []
    decided = {placement: {"typed": 0, "dict": 0, "engine": 0} for placement in PLACEMENTS}
    groups_typed = set()
    for placed in PLACED:
        contract = load_contract(profile, contracts_dir=contracts[placed.group, placed.placement])
        lines = [_line(case.event, spacing) for case in placed.cases]
        got, paths, tally = _cli_findings(contract, lines, placed.kind)
        assert tally.events == len(lines) == tally.valid + tally.invalid + tally.unreadable
        for number, (line, case) in enumerate(zip(lines, placed.cases, strict=True), start=1):
            expected = [v.at(f"suite.jsonl:{number}").to_dict() for v in contract.validate(line, kind=placed.kind, observe=False)]
            if got.get(number, []) != expected:
                disagreements.append((placed.placement, case.group, case.description, line, got.get(number), expected))
        counts = decided[placed.placement]
        counts["typed"] += paths.typed
        counts["dict"] += paths.dict
        counts["engine"] += paths.engine
        if paths.typed:
            groups_typed.add(placed.group)
    lines_total = sum(sum(counts.values()) for counts in decided.values())
    per_placement = "; ".join(f"{p}: typed {c['typed']:,}, dict {c['dict']:,}, engine {c['engine']:,}" for p, c in decided.items())
    record_property(
        "cti_corpus",
        f"{lines_total:,} lines ({per_placement}); typed Structs decided lines of {len(groups_typed)} groups; "
        f"{len(disagreements)} disagreements",
    )
    assert disagreements == []
    typed = sum(c["typed"] for c in decided.values())
    dict_path = sum(c["dict"] for c in decided.values())
    assert typed >= 20  # the fast paths take part, or this differential proves nothing
    assert len(groups_typed) >= 10
    assert dict_path >= 200
