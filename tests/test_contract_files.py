"""The bundled contracts are Pega's text with only the syntax repaired (and E25's one amendment), and their hashes are recorded."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.schemas import KINDS, bundled_dir

PUBLISHED_PAGE = Path(__file__).parent / "data" / "pega-snapshot-event-schema.txt"
README = Path(__file__).parents[1] / "README.md"
#: CallEvent pyEventName as published on the 8.6 and 8.7 pages (erratum E17 repaired).
PUBLISHED_CALL_EVENT_NAMES = ["Abandoned", "Alerting", "Connected", "Disconnected", "Established", "Held", "Initiated", "Retrieved"]
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
    for number in range(1, 32):
        assert re.search(rf"^\| E{number} \|", errata, flags=re.M), f"E{number} missing from ERRATA.md"
    for entry in PROVENANCE["files"].values():
        for erratum in entry["errata"]:
            assert f"| {erratum} |" in errata


def test_call_event_enum_is_the_published_one_plus_offering_only() -> None:
    """Erratum E25, the one amendment: every other keyword of CallEvent.json is as published."""
    bundled = json.loads((CONTRACTS / "CallEvent.json").read_text(encoding="utf-8"))
    names = bundled["properties"]["pyEventName"]["enum"]
    assert [n for n in names if n != "Offering"] == PUBLISHED_CALL_EVENT_NAMES
    assert names.index("Offering") == names.index("Initiated") + 1
    assert bundled["properties"]["pyEventName"]["examples"] == ["Alerting"]
    assert list(PROVENANCE["files"]["CallEvent.json"]["amendments"]) == ["E25"]
    assert all("amendments" not in entry for name, entry in PROVENANCE["files"].items() if name != "CallEvent.json")


def test_errata_quote_their_evidence_with_its_page() -> None:
    errata = (CONTRACTS / "ERRATA.md").read_text(encoding="utf-8")
    paragraphs = errata.split("## Evidence (quoted as published)", 1)[1].split("\n**")[1:]
    numbers = [int(n) for n in re.findall(r"^\| E(\d+) \|", errata, flags=re.M) if int(n) >= 25]
    assert numbers
    for number in numbers:
        (paragraph,) = [p for p in paragraphs if re.search(rf"\bE{number}\b", p.split("**", 1)[0])]
        assert "https://" in paragraph or "public-connectors.md" in paragraph, f"E{number} names no source"
        assert '"' in paragraph, f"E{number} quotes nothing"


def test_readme_header_example_shows_the_bundled_contracts_sha256() -> None:
    shown = re.findall(r"contracts bundled \(sha256 ([0-9a-f]{12})\)", README.read_text(encoding="utf-8"))
    assert shown == [load_contract().sha256[:12]]
