"""The typed path (structs.py): its *yes* always means Contract.validate finds nothing.

Each line goes through ``TypedCheck.engine_lines`` alone, so the verdict under test is the typed
path's own (a block it cannot vouch for goes down the dict path, which test_bulk_differential.py
holds to the engine).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from freeform import snapshots as free_form_snapshots
from freeform import well_typed_snapshots as _well_typed
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.bulk import validate_lines
from pytest_snapshot_cti.schemas import KINDS
from pytest_snapshot_cti.structs import TypedCheck, available, typed_checker

pytestmark = pytest.mark.skipif(not available(), reason="msgspec is not installed: there is no typed path")

PROFILES = ("published", "strict")


def _typed(profile: str = "published", kind: str = "auto", contract: Any = None) -> TypedCheck:
    check = typed_checker(contract or load_contract(profile), kind)
    assert check is not None
    return check


def _verdict(check: TypedCheck, line: bytes) -> str:
    """'clean', 'engine' (decoded, but a rule may fire) or 'undecided' (the next path decides)."""
    found = check.engine_lines(line + b"\n", 1)
    return "undecided" if found is None else "engine" if found == [0] else "clean"


# -- the rule grid: well-typed Snapshots, so the typed path decodes them and the rules decide ------------

@settings(max_examples=1500)
@given(event=_well_typed, profile=st.sampled_from(PROFILES), spaced=st.booleans())
def test_rule_grid_typed_verdict_equals_the_engine(event: dict[str, Any], profile: str, spaced: bool) -> None:
    """Every combination the rules read: clean exactly when the engine finds nothing (never more lenient, never wasteful)."""
    text = json.dumps(event) if spaced else json.dumps(event, separators=(",", ":"))
    verdict = _verdict(_typed(profile), text.encode())
    found = load_contract(profile).validate(event)
    if verdict == "undecided":  # only a strict profile's missing required field stops the decoder here
        assert profile == "strict"
        assert {v.rule for v in found} >= {"S5"}
    else:
        assert (verdict == "clean") == (found == []), found


@settings(max_examples=800)
@given(event=free_form_snapshots, profile=st.sampled_from(PROFILES))
def test_free_form_yes_means_no_findings(event: dict[str, Any], profile: str) -> None:
    """Wrong types, near misses, stray keys: whatever the typed path passes, the engine passes."""
    if _verdict(_typed(profile), json.dumps(event).encode()) == "clean":
        assert load_contract(profile).validate(event) == []


CLEAN = '{"pyEventType":"SnapshotEvent","pyEventName":"Snapshot","pyAgentId":"5501","pyAgentState":"Ready","pyThisDN":"8808","pyLinkState":"CONNECTED","pyDeviceState":"OPENED","pyLines":[]}'
CLEAN_OF_KIND = {
    "snapshot": CLEAN,
    "agent": '{"pyEventType":"AgentStateEvent","pyEventName":"Ready"}',
    "call": '{"pyEventType":"CallStateEvent","pyEventName":"Alerting","pyCallId":"c-1"}',
    "party": '{"pyEventType":"PartyInfoEvent","pyEventName":"PartyInfo","pyCallId":"c-1","pyParties":[{"pyDN":"8808"}]}',
}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("kind", ["auto", "snapshot", "agent", "call", "party"])
def test_typed_path_passes_a_clean_event_of_every_bundled_kind(profile: str, kind: str) -> None:
    check = _typed(profile, kind)
    for event_kind, text in CLEAN_OF_KIND.items():
        assert load_contract(profile).validate(text, kind=event_kind) == []
        expected = "clean" if kind in ("auto", event_kind) else "undecided"
        assert _verdict(check, text.encode()) == expected, (event_kind, text)


UNDECIDED = {
    "a duplicate key": CLEAN.replace('"pyAgentId":"5501"', '"pyAgentId":"5501","pyAgentId":"5502"'),
    "a duplicate key, colons in its values": CLEAN.replace('"pyAgentId":"5501"', '"pyAgentId":"a:b","pyAgentId":"c"'),
    "a duplicate tag": CLEAN.replace('"pyEventName"', '"pyEventType":"AgentStateEvent","pyEventName"'),
    "a duplicate key in a line": CLEAN.replace('"pyLines":[]', '"pyLines":[{"pyCallId":"c-1","pyCallId":"c-2","pyLineState":"Connected"}]'),
    "an unknown key": CLEAN.replace('"pyLines":[]', '"pyLines":[],"pyVendor":1e400'),
    "an escape": CLEAN.replace('"5501"', '"55\\u0030"'),
    "a wrong case": CLEAN.replace('"Ready"', '"READY"'),
    "a number for a string": CLEAN.replace('"5501"', "5501"),
    "NaN": CLEAN.replace('"5501"', "NaN"),
    "a trailing comma": CLEAN.replace("[]", "[],"),
    "two objects": CLEAN + CLEAN,
    "trailing data": CLEAN + " x",
    "a top-level array": f"[{CLEAN}]",
    "no pyEventType": CLEAN.replace('"pyEventType":"SnapshotEvent",', ""),
    "deep nesting": CLEAN.replace('"pyLines":[]', '"pyLines":' + "[" * 100_000 + "]" * 100_000),
}


@pytest.mark.parametrize("case", list(UNDECIDED))
def test_what_the_typed_path_cannot_vouch_for(case: str) -> None:
    assert _verdict(_typed(), CLEAN.encode()) == "clean"
    assert _verdict(_typed(), UNDECIDED[case].encode()) == "undecided"


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf" + CLEAN.encode(),  # a BOM
        CLEAN.replace("5501", "55\xff01").encode("latin-1"),  # invalid UTF-8
        CLEAN.replace("5501", "55\x0001").encode(),  # a raw NUL
    ],
    ids=["bom", "invalid-utf8", "nul"],
)
def test_bytes_the_typed_path_refuses(raw: bytes) -> None:
    assert _verdict(_typed(), raw) == "undecided"


def test_a_block_with_a_blank_line_is_undecided_and_blank_lines_are_still_not_events() -> None:
    check = _typed()
    block = (CLEAN + "\n\n" + CLEAN + "\n").encode()
    assert check.engine_lines(block, 3) is None
    assert check.engine_lines((CLEAN + "\r\n" + CLEAN + "\n").encode(), 2) == []
    assert validate_lines(load_contract(), [CLEAN.encode(), b"", CLEAN.encode()]) == []


_CUT = CLEAN.index(":") + 1  # '{"pyEventType":' | '"SnapshotEvent",...}'
#: Blocks whose lines hold one document each only when read as a stream, as ``decode_lines`` reads them.
STREAM_ONLY = {
    "two objects on a line, then a blank line": CLEAN + CLEAN + "\n\n",
    "two objects on a line, then a blank line (CRLF)": CLEAN + " " + CLEAN + "\r\n\r\n",
    "one object over two lines, then two on a line": CLEAN[:_CUT] + "\n" + CLEAN[_CUT:] + CLEAN + "\n",
    "a blank line, then two objects on a line": "\n" + CLEAN + CLEAN + "\n",
}


@pytest.mark.parametrize("case", list(STREAM_ONLY))
def test_a_block_is_judged_line_by_line_not_as_a_stream_of_values(case: str) -> None:
    block = STREAM_ONLY[case].encode()
    assert _typed().engine_lines(block, block.count(b"\n")) is None


_pieces = st.sampled_from(
    [
        CLEAN,
        CLEAN.replace('"Ready"', '"Busy"'),
        CLEAN + CLEAN,
        CLEAN + " " + CLEAN,
        "",
        " ",
        "\r",
        CLEAN + "\r",
        CLEAN[:_CUT],
        CLEAN[_CUT:],
        "{}",
        "}{",
    ]
)


@settings(max_examples=400)
@given(lines=st.lists(_pieces, min_size=1, max_size=8))
def test_a_decided_block_says_of_each_line_what_the_line_alone_says(lines: list[str]) -> None:
    """Blocks of whole, blank, doubled and cut lines: a block's verdict never depends on its neighbours."""
    check = _typed()
    found = check.engine_lines("".join(line + "\n" for line in lines).encode(), len(lines))
    if found is not None:
        assert [_verdict(check, line.encode()) for line in lines] == ["engine" if i in found else "clean" for i in range(len(lines))]


@pytest.mark.parametrize("kind", ["snapshot", "agent", "call", "party"])
@pytest.mark.parametrize("spaced", [False, True], ids=["compact", "spaced"])
def test_a_forced_kind_without_pyeventtype_still_catches_a_lost_key(kind: str, spaced: bool) -> None:
    """Under ``--kind`` an event may omit pyEventType: re-encoding must not write one back in
    place of the key a duplicate lost (same length when compact, same colons when spaced)."""
    tag = f'"pyEventType":"{KINDS[kind][1]}",'
    if spaced:
        line = '{"pyMedia": "Phone", "pyMedia": "Chat"}'
    else:
        lost = '"pyMedia":"' + "x" * (len(tag) - len('"pyMedia":"",')) + '",'
        line = "{" + lost + '"pyMedia":"Chat"}'
        assert len(line) == len(tag) + len('{"pyMedia":"Chat"}')
    assert _verdict(_typed(kind=kind), line.encode()) == "undecided"
    assert [v.rule for v in load_contract().validate(line, kind=kind)] == ["json.duplicate_key"]


def test_one_dirty_snapshot_in_a_block_is_sent_to_the_engine_alone() -> None:
    busy_no_line = CLEAN.replace('"Ready"', '"Busy"')
    block = "\n".join([CLEAN, busy_no_line, CLEAN]).encode() + b"\n"
    assert _typed().engine_lines(block, 3) == [1]
    (result,) = validate_lines(load_contract(), block.splitlines())
    assert (result.location, [v.rule for v in result.violations]) == ("<lines>:2", ["C5"])


def _contract_with(tmp_path: Path, kind_file: str, edit: Any) -> Any:
    schema = json.loads(json.dumps(load_contract().schema({"Snapshot.json": "snapshot", "AgentEvent.json": "agent"}[kind_file])))
    edit(schema)
    (tmp_path / kind_file).write_text(json.dumps(schema), encoding="utf-8")
    return load_contract(contracts_dir=tmp_path)


def test_a_keyword_without_a_struct_counterpart_leaves_that_kind_to_the_next_path(tmp_path: Path) -> None:
    contract = _contract_with(
        tmp_path, "Snapshot.json", lambda s: s["properties"].__setitem__("pyAgentId", {"type": "string", "pattern": "^[0-9]+$"})
    )
    check = _typed(contract=contract)
    assert _verdict(check, CLEAN.encode()) == "undecided"
    assert _verdict(check, CLEAN_OF_KIND["agent"].encode()) == "clean"  # the other kinds keep theirs
    (result,) = validate_lines(contract, [CLEAN.encode(), CLEAN.replace("5501", "A1").encode()])
    assert (result.location, [v.rule for v in result.violations]) == ("<lines>:2", ["schema.pattern"])


def test_an_agent_contract_listing_a_snapshot_only_field_gets_no_struct_under_auto(tmp_path: Path) -> None:
    """Auto-detection calls any event with pyLines a Snapshot, so only the engine may judge it."""
    contract = _contract_with(
        tmp_path, "AgentEvent.json", lambda s: s["properties"].__setitem__("pyLines", {"type": "array", "items": {"type": "string"}})
    )
    agent = b'{"pyEventType":"AgentStateEvent","pyEventName":"Ready","pyLines":[]}'
    assert _verdict(_typed(contract=contract, kind="auto"), agent) == "undecided"
    assert _verdict(_typed(contract=contract, kind="agent"), agent) == "clean"
    assert contract.validate(json.loads(agent), kind="agent") == []
    assert [v.rule for v in contract.validate(json.loads(agent))] == ["S1", "S2"]


def test_a_required_field_the_schema_does_not_describe_gets_no_struct(tmp_path: Path) -> None:
    contract = _contract_with(tmp_path, "Snapshot.json", lambda s: s.setdefault("required", []).append("pyVendorId"))
    assert _verdict(_typed(contract=contract), CLEAN.encode()) == "undecided"
    (result,) = validate_lines(contract, [CLEAN.encode()])
    assert [v.rule for v in result.violations] == ["S5"]  # a required field is missing


def test_a_contract_that_does_not_describe_pyeventtype_gets_no_struct(tmp_path: Path) -> None:
    """Closed objects would call pyEventType an extra key: only the engine may say so."""

    def close(schema: dict[str, Any]) -> None:
        del schema["properties"]["pyEventType"]
        schema["additionalProperties"] = False

    contract = _contract_with(tmp_path, "AgentEvent.json", close)
    agent = b'{"pyEventType":"AgentStateEvent","pyEventName":"Ready"}'
    assert typed_checker(contract, "agent") is None
    (result,) = validate_lines(contract, [agent], kind="agent")
    assert [v.rule for v in result.violations] == ["schema.additionalProperties"]


def test_threads_sharing_a_contract_get_the_serial_results() -> None:
    """The typed check is cached per contract, so threads share it; each keeps its own encode buffer."""
    from concurrent.futures import ThreadPoolExecutor

    contract = load_contract()
    duplicate = UNDECIDED["a duplicate key"].encode()
    inputs = [[CLEAN.encode()] * 300 + [duplicate] * (n % 3) + [CLEAN.encode()] * 300 for n in range(12)]
    serial = [validate_lines(contract, lines) for lines in inputs]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda lines: validate_lines(contract, lines), inputs))
    assert threaded == serial
    assert [len(found) for found in serial] == [n % 3 for n in range(12)]
