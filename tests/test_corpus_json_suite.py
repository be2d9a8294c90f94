"""Issue 12 §6: JSONTestSuite's 318 parsing cases — the engine reads as RFC 8259 says (our documented refusals
aside), never raises, and the CLI says what the engine says: as a ``.json`` file, as a JSONL line, on stdin,
and embedded as a value inside an event.

``y_`` must be readable, ``n_`` must be a ``json.*`` reading finding, ``i_`` (implementation-defined) only
must not raise. The refusals the README documents are the only accepted differences: duplicate keys
(``json.duplicate_key``), numbers that overflow a double or have more digits than Python reads exactly
(``json.number``) and nesting deeper than 256 levels (``json.depth``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.bulk import STDIN, BulkValidator, EventResult, InputDone, InputProblem
from pytest_snapshot_cti.contract import Contract
from pytest_snapshot_cti.reader import JSON_WHITESPACE, MAX_DEPTH, ReadError, loads_strict

CASES = sorted((Path(__file__).parent / "data" / "jsontestsuite" / "test_parsing").glob("*.json"))
#: The json.* rules that mean "no value could be read" (json.not_object and json.not_serializable are about a value read).
READING = {"json.syntax", "json.encoding", "json.bom", "json.empty", "json.duplicate_key", "json.nan", "json.number", "json.depth", "json.trailing_data"}
#: y_ cases we refuse on purpose (README, engine section), with the rule that says why.
DOCUMENTED_REFUSALS = {
    "y_object_duplicated_key.json": "json.duplicate_key",
    "y_object_duplicated_key_and_value.json": "json.duplicate_key",
}
EVENT_HEAD = b'{"pyEventType": "AgentStateEvent", "pyEventName": "Ready", "xData": '

Found = list[tuple[str, str, str, str | None]]


def _unlocated(violations: Any) -> Found:
    return [(v.rule, v.severity, v.path, v.message, v.hint) for v in violations]  # type: ignore[misc]


def _run(validator: BulkValidator, outcomes: Any) -> tuple[list[Found], int, list[str]]:
    """(findings of each event that has some, in order; events; notes and problems)."""
    found: list[Found] = []
    events = 0
    notes = []
    for outcome in outcomes:
        if isinstance(outcome, EventResult):
            found.append(_unlocated(outcome.violations))
        elif isinstance(outcome, InputDone):
            events += outcome.events
            assert outcome.events == outcome.valid + outcome.invalid + outcome.unreadable
        elif isinstance(outcome, InputProblem):
            notes.append(outcome.message)
    return found, events, notes


def _expected_as_json_file(contract: Contract, content: bytes) -> tuple[list[Found], int, list[str]]:
    """What the engine says of a ``.json`` file: one event, or each item of a top-level array, or (blank) a note."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not text.strip(JSON_WHITESPACE):
        return [], 0, ["empty input: no events"]
    if text is not None and text.lstrip(JSON_WHITESPACE).startswith("["):
        try:
            items = loads_strict(text, max_depth=MAX_DEPTH + 1)
        except ReadError:
            items = None
        if isinstance(items, list):
            found = [_unlocated(contract.validate_value(item, observe=False)) for item in items]
            return [f for f in found if f], len(items), []
    found = _unlocated(contract.validate(content, observe=False))
    return ([found] if found else []), 1, []


@pytest.fixture(scope="module", params=["published", "strict"])
def contract(request: pytest.FixtureRequest) -> Contract:
    """``xData`` (where a case is embedded) allowed, so the strict profile's closed objects let it through too."""
    return load_contract(request.param, allow_extra=["xData"])


def test_the_corpus_is_all_there() -> None:
    assert len(CASES) == 318
    assert {case.name[:2] for case in CASES} == {"y_", "n_", "i_"}


def test_the_engine_reads_what_rfc_8259_accepts_refuses_what_it_refuses_and_never_raises(contract: Contract, record_property: Any) -> None:
    refused_y, accepted_n = {}, []
    for case in CASES:
        found = contract.validate(case.read_bytes(), observe=False)  # i_: only this, not raising
        reading = sorted({v.rule for v in found} & READING)
        if case.name.startswith("y_") and reading:
            refused_y[case.name] = reading[0]
        if case.name.startswith("n_") and not reading:
            accepted_n.append(case.name)
    record_property("cti_corpus", f"{len(CASES)} parsing cases; y_ refused (documented): {len(refused_y)}; n_ accepted: {len(accepted_n)}")
    assert refused_y == DOCUMENTED_REFUSALS
    assert accepted_n == []


def test_the_cli_says_what_the_engine_says_in_every_form(contract: Contract, tmp_path: Path, record_property: Any) -> None:
    disagreements = []
    forms = 0
    paths = {"typed": 0, "dict": 0, "engine": 0}
    for case in CASES:
        content = case.read_bytes()
        embedded = EVENT_HEAD + content + b"}"
        single_line = b"\n" not in content
        for label, text in (("", content), ("embedded ", embedded)):
            # as a .json file
            path = tmp_path / case.name
            path.write_bytes(text)
            validator = BulkValidator(contract)
            got = _run(validator, validator.validate_path(str(path)))
            expected = _expected_as_json_file(contract, text)
            forms += 1
            if got != expected:
                disagreements.append((case.name, f"{label}.json", got, expected))
            if not single_line:
                continue
            engine = _unlocated(contract.validate(text, observe=False))
            blank = not text.strip(JSON_WHITESPACE.encode())
            # a blank line is no event (the engine, handed it as text, says json.empty)
            expected_line = ([], 0, ["empty input: no events"]) if blank else ([engine] if engine else [], 1, [])
            # as a JSONL line, and on stdin
            for form in ("jsonl", "stdin"):
                validator = BulkValidator(contract)
                stream = io.BytesIO(text + b"\n")
                outcomes = validator.validate_stream(stream, "x.jsonl") if form == "jsonl" else validator.run([STDIN], stdin=stream)
                got = _run(validator, outcomes)
                forms += 1
                for name in paths:
                    paths[name] += getattr(validator.paths, name)
                if got != expected_line:
                    disagreements.append((case.name, f"{label}{form}", got, expected_line))
    record_property(
        "cti_corpus",
        f"{forms:,} forms of {len(CASES)} cases (.json, JSONL, stdin; bare and embedded in an event); lines decided: "
        f"typed {paths['typed']:,}, dict {paths['dict']:,}, engine {paths['engine']:,}; {len(disagreements)} disagreements",
    )
    assert disagreements == []
    assert paths["typed"] + paths["dict"] >= 50  # embedded y_ values: the fast paths decide them


def test_an_event_embedding_each_case_has_the_cases_verdict(contract: Contract) -> None:
    """A value inside an event is read exactly as the value alone: refused for n_, read for y_."""
    for case in CASES:
        inside = {v.rule for v in contract.validate(EVENT_HEAD + case.read_bytes() + b"}", observe=False)} & READING
        if case.name.startswith("n_"):
            assert inside, case.name
        if case.name.startswith("y_") and case.name not in DOCUMENTED_REFUSALS:
            assert not inside, case.name
