"""The bundled contracts are Pega's text with only the syntax repaired, and their hashes are recorded."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from pytest_snapshot_cti.schemas import KINDS, bundled_dir

PUBLISHED_PAGE = Path(__file__).parent / "data" / "pega-snapshot-event-schema.txt"
CONTRACTS = bundled_dir()
PROVENANCE = json.loads((CONTRACTS / "PROVENANCE.json").read_text(encoding="utf-8"))


def repair_published_json(block: str) -> str:
    """The repairs ERRATA.md lists for the Snapshot page, and nothing else.

    E1: a trailing comma before ``}`` is dropped. E2: a raw line break inside a string
    becomes one space in prose, and disappears inside ``$id`` (a URI has no spaces).
    """
    block = re.sub(r",(\s*\})", r"\1", block)

    def join(match: re.Match[str]) -> str:
        text = match.group(0)
        glue = "" if text.startswith('"/properties') else " "
        return re.sub(r"\n\s*", glue, text)

    return re.sub(r'"(?:[^"\\]|\\.)*"', join, block)


def published_snapshot_block() -> str:
    text = PUBLISHED_PAGE.read_text(encoding="utf-8")
    start = text.index('{\n    "definitions"')
    return text[start : text.index("The following table")].strip()


def test_the_published_page_is_not_json_as_printed() -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(published_snapshot_block())


def test_snapshot_contract_is_the_published_schema_with_syntax_repairs_only() -> None:
    published = json.loads(repair_published_json(published_snapshot_block()))
    bundled = json.loads((CONTRACTS / "Snapshot.json").read_text(encoding="utf-8"))
    assert bundled == published


def test_every_published_keyword_is_kept() -> None:
    bundled = json.loads((CONTRACTS / "Snapshot.json").read_text(encoding="utf-8"))
    for name, prop in bundled["properties"].items():
        if name == "pyLines":
            continue
        assert {"description", "title", "$id", "default", "examples"} <= set(prop), name
    assert bundled["properties"]["pyLines"]["items"]["properties"]["pyLineState"]["examples"] == ["NONE"]  # erratum E3 kept


@pytest.mark.parametrize("filename", [filename for filename, _ in KINDS.values()])
def test_each_file_matches_its_recorded_sha256(filename: str) -> None:
    digest = hashlib.sha256((CONTRACTS / filename).read_bytes()).hexdigest()
    assert PROVENANCE["files"][filename]["sha256"] == digest


@pytest.mark.parametrize("filename", [filename for filename, _ in KINDS.values()])
def test_each_file_records_its_source_and_version(filename: str) -> None:
    entry = PROVENANCE["files"][filename]
    assert entry["source"].startswith("https://")
    assert entry["version"]
    schema = json.loads((CONTRACTS / filename).read_text(encoding="utf-8"))
    assert schema["$id"] == entry["$id"]
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    assert "required" not in schema
    assert "additionalProperties" not in schema


def test_errata_covers_every_erratum_of_the_reference() -> None:
    errata = (CONTRACTS / "ERRATA.md").read_text(encoding="utf-8")
    for number in range(1, 25):
        assert re.search(rf"^\| E{number} \|", errata, flags=re.M), f"E{number} missing from ERRATA.md"
    for entry in PROVENANCE["files"].values():
        for erratum in entry["errata"]:
            assert f"| {erratum} |" in errata
