"""Bad input is data, not a crash: each case of issue 6 point 4 gives a located message, the run goes on,
and the counts add up (events == valid + invalid + unreadable).

Each JSONL case sits between two valid events, so "the run goes on" is checked every time.
Large inputs are generated in tmp_path, never committed.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.bulk import BulkValidator, EventResult, InputDone, InputProblem
from pytest_snapshot_cti.cli import main

GOOD: dict[str, Any] = {
    "pyEventType": "SnapshotEvent",
    "pyEventName": "Snapshot",
    "pyAgentId": "5501",
    "pyAgentState": "Ready",
    "pyThisDN": "8808",
    "pyLinkState": "CONNECTED",
    "pyDeviceState": "OPENED",
    "pyLines": [],
}
GOOD_LINE = json.dumps(GOOD).encode()

# (id, the bad line as bytes, rule, exact message, verdict)
LINES: list[tuple[str, bytes, str, str, str]] = [
    (
        "invalid JSON",
        b'{"pyAgentId": "5501",}',
        "json.syntax",
        "not valid JSON: Illegal trailing comma before end of object at column 21",
        "unreadable",
    ),
    ("garbage", b"hello", "json.syntax", "not valid JSON: Expecting value at column 1", "unreadable"),
    (
        "UTF-8 BOM",
        b'\xef\xbb\xbf{"pyEventType": "SnapshotEvent"}',
        "json.bom",
        "starts with a UTF-8 byte-order mark (U+FEFF); JSON text must not, and JSON.parse rejects it",
        "unreadable",
    ),
    (
        "invalid UTF-8",
        b'{"pyAgentId": "55\xff01"}',
        "json.encoding",
        "not valid UTF-8: byte 0xff at offset 17 (invalid start byte)",
        "unreadable",
    ),
    (
        "NUL byte in a string",
        b'{"pyAgentId": "55\x0001"}',
        "json.syntax",
        "not valid JSON: Invalid control character '\\x00' at column 18 (control characters such as NUL must be escaped)",
        "unreadable",
    ),
    (
        "a line of NUL bytes",
        b"\x00\x00",
        "json.syntax",
        "not valid JSON: control character '\\x00' at column 1, where a value was expected (a NUL byte in the stream?)",
        "unreadable",
    ),
    ("NaN", b'{"pyAgentId": NaN}', "json.nan", "NaN is not valid JSON (JSON.parse rejects NaN and Infinity)", "unreadable"),
    (
        "Infinity",
        b'{"pyAgentId": -Infinity}',
        "json.nan",
        "-Infinity is not valid JSON (JSON.parse rejects NaN and Infinity)",
        "unreadable",
    ),
    (
        "overflowing float",
        b'{"pyAgentId": 1e400}',
        "json.number",
        "number 1e400 overflows a double (JSON.parse would read Infinity)",
        "unreadable",
    ),
    (
        "duplicate key",
        b'{"pyAgentState": "Ready", "pyAgentState": "Busy"}',
        "json.duplicate_key",
        "duplicate key 'pyAgentState' in one object (JSON.parse keeps the last, so a value is silently lost)",
        "unreadable",
    ),
    (
        "duplicate key in a line item",
        b'{"pyEventType":"SnapshotEvent","pyLines":[{"pyCallId":"a","pyCallId":"b"}]}',
        "json.duplicate_key",
        "duplicate key 'pyCallId' in one object (JSON.parse keeps the last, so a value is silently lost)",
        "unreadable",
    ),
    (
        "duplicate key, compact, no spaces",
        b'{"pyEventType":"SnapshotEvent","pyAgentState":"Ready","pyAgentState":"Ready"}',
        "json.duplicate_key",
        "duplicate key 'pyAgentState' in one object (JSON.parse keeps the last, so a value is silently lost)",
        "unreadable",
    ),
    (
        "huge integer where a string belongs (read exactly, not as a float)",
        b'{"pyEventType":"SnapshotEvent","pyAgentId":123456789012345678901234567890}',
        "S3",
        "123456789012345678901234567890 is not of type 'string'",
        "invalid",
    ),
    (
        "top-level array",
        b"[" + GOOD_LINE + b", " + GOOD_LINE + b"]",
        "json.not_object",
        "an event must be a JSON object, got array",
        "invalid",
    ),
    ("a string event", b'"SnapshotEvent"', "json.not_object", "an event must be a JSON object, got string", "invalid"),
    ("a number event", b"42", "json.not_object", "an event must be a JSON object, got number", "invalid"),
    ("a null event", b"null", "json.not_object", "an event must be a JSON object, got null", "invalid"),
    (
        "nesting Python could still read",
        b"[" * 988 + b"]" * 988,
        "json.depth",
        "nested more than 256 levels deep (arrays or objects inside each other)",
        "unreadable",
    ),
    (
        "nesting inside an event",
        b'{"pyEventType":"AgentStateEvent","pyMedia":' + b"[" * 985 + b"]" * 985 + b"}",
        "json.depth",
        "nested more than 256 levels deep (arrays or objects inside each other)",
        "unreadable",
    ),
    (
        "a line of a form feed",
        b"\x0c",
        "json.syntax",
        "not valid JSON: control character '\\x0c' at column 1, where a value was expected (JSON allows only space, tab, CR and LF between values)",
        "unreadable",
    ),
    (
        "a no-break space before the event",
        "\u00a0".encode() + GOOD_LINE,
        "json.syntax",
        "not valid JSON: U+00A0 '\\xa0' at column 1, where a value was expected (JSON allows only space, tab, CR and LF between values)",
        "unreadable",
    ),
    (
        "a line separator after the event",
        GOOD_LINE + "\u2028".encode(),
        "json.trailing_data",
        f"unexpected data after the JSON value at offset {len(GOOD_LINE)}: '\\u2028'",
        "unreadable",
    ),
    (
        "two events on one line",
        GOOD_LINE + b" " + GOOD_LINE,
        "json.trailing_data",
        "unexpected data after the JSON value at offset",
        "unreadable",
    ),
]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(["validate", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def _summary(events: int, valid: int, invalid: int, unreadable: int) -> str:
    return f"{events} event{'' if events == 1 else 's'}: {valid} valid, {invalid} invalid, {unreadable} unreadable"


@pytest.mark.parametrize(("bad", "rule", "message", "verdict"), [case[1:] for case in LINES], ids=[case[0] for case in LINES])
def test_a_bad_line_is_one_located_finding_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: bytes, rule: str, message: str, verdict: str
) -> None:
    path = tmp_path / "capture.jsonl"
    path.write_bytes(GOOD_LINE + b"\n" + bad + b"\n" + GOOD_LINE + b"\n")
    code, lines, err = _run(capsys, str(path))
    assert code == 1
    assert lines[0].startswith(f"{path}:2 $")
    assert f": {message}" in lines[0]
    assert lines[0].endswith(f"[{rule}]")
    assert len(lines) == 2
    invalid, unreadable = (1, 0) if verdict == "invalid" else (0, 1)
    assert lines[1].startswith(_summary(3, 2, invalid, unreadable))
    assert "Traceback" not in err


def test_truncated_last_line_without_newline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_bytes(GOOD_LINE + b"\n" + GOOD_LINE[:40])
    code, lines, _ = _run(capsys, str(path))
    assert code == 1
    assert lines[0] == f"{path}:2 $: not valid JSON: Unterminated string starting at column 34 (truncated?) [json.syntax]"
    assert lines[1].startswith(_summary(2, 1, 0, 1))


def test_blank_lines_are_not_events_and_keep_line_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"\n   \n" + GOOD_LINE + b"\n\t\n\r\n" + b'{"pyAgentState": "Hold"}' + b"\n\n")
    code, lines, _ = _run(capsys, str(path))
    assert code == 1
    assert lines[0].startswith(f"{path}:6 $.pyAgentState: 'Hold' is not one of")
    assert lines[1].startswith(_summary(2, 1, 1, 0))


@pytest.mark.parametrize("good", [json.dumps(GOOD, separators=(",", ":")).encode(), GOOD_LINE], ids=["compact", "spaced"])
def test_each_line_is_judged_alone_even_where_the_lines_add_up_as_a_stream(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], good: bytes
) -> None:
    """Two events on a line beside a blank line, one event over two lines: a stream of values would
    hold one per line, but each line is an event of its own."""
    cut = good.index(b":") + 1
    path = tmp_path / "stream.jsonl"
    path.write_bytes(good + good + b"\n\n" + good[:cut] + b"\n" + good[cut:] + good + b"\n" + good + b"\n")
    code, lines, _ = _run(capsys, str(path))
    assert code == 1
    assert (
        lines[0] == f"{path}:1 $: unexpected data after the JSON value at offset {len(good)}: '{good[:20].decode()}' [json.trailing_data]"
    )
    assert lines[1] == f"{path}:3 $: not valid JSON: Expecting value at column {cut + 1} (truncated?) [json.syntax]"
    assert lines[2].startswith(f"{path}:4 $: unexpected data after the JSON value at offset ")
    assert lines[2].endswith("[json.trailing_data]")
    assert lines[3].startswith(_summary(4, 1, 0, 3))


@pytest.mark.parametrize("kind", ["snapshot", "agent", "call", "party"])
def test_a_duplicate_key_is_caught_under_a_forced_kind_without_pyeventtype(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "forced.jsonl"
    path.write_bytes(b'{"pyMedia":"Phone","pyMedia":"Chat"}\n{"pyMedia": "Phone", "pyMedia": "Chat"}\n{"pyMedia":"Phone"}\n')
    code, lines, _ = _run(capsys, "--kind", kind, str(path))
    assert code == 1
    message = "duplicate key 'pyMedia' in one object (JSON.parse keeps the last, so a value is silently lost) [json.duplicate_key]"
    assert lines[:2] == [f"{path}:1 $: {message}", f"{path}:2 $: {message}"]
    assert lines[2].startswith(_summary(3, 1, 0, 2))


def test_crlf_line_ends_are_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(GOOD_LINE + b"\r\n" + GOOD_LINE + b"\r\n" + b'{"pyAgentState": "Hold"}\r\n')
    code, lines, _ = _run(capsys, str(path))
    assert code == 1
    assert lines[0].startswith(f"{path}:3 $.pyAgentState: 'Hold' is not one of")
    assert lines[1].startswith(_summary(3, 2, 1, 0))


def test_100000_nested_arrays(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_bytes(GOOD_LINE + b"\n" + b"[" * 100_000 + b"]" * 100_000 + b"\n" + GOOD_LINE + b"\n")
    code, lines, _ = _run(capsys, str(path))
    assert code == 1
    assert lines[0] == f"{path}:2 $: nested more than 256 levels deep (arrays or objects inside each other) [json.depth]"
    assert lines[1].startswith(_summary(3, 2, 0, 1))


def test_huge_integer_beyond_the_digit_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(GOOD_LINE + b"\n" + b'{"pyAgentId": 1' + b"0" * 5000 + b"}\n")
    code, lines, _ = _run(capsys, str(path))
    assert code == 1
    assert lines[0].startswith(f"{path}:2 $: number too large to read exactly")
    assert lines[0].endswith("[json.number]")
    assert lines[1].startswith(_summary(2, 1, 0, 1))


def test_a_50_mb_single_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.jsonl"
    big = json.dumps({**GOOD, "pyMedia": "x" * (50 * 1024 * 1024)}).encode()
    path.write_bytes(GOOD_LINE + b"\n" + big + b"\n" + big[:-1] + b',"pyAgentState": "Hold"}\n')
    del big
    code, lines, _ = _run(capsys, str(path))
    assert code == 1
    assert len(lines) == 2
    assert lines[0] == (
        f"{path}:3 $: duplicate key 'pyAgentState' in one object (JSON.parse keeps the last, so a value is silently lost) [json.duplicate_key]"
    )
    assert lines[1].startswith(_summary(3, 2, 0, 1))


def test_an_empty_file_is_a_note_not_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    code, lines, err = _run(capsys, str(path))
    assert code == 0
    assert lines == [lines[0]]
    assert lines[0].startswith(_summary(0, 0, 0, 0))
    assert err == f"snapshot-cti: note: {path}: empty input: no events\n"


def test_an_empty_json_document_is_a_note_as_an_empty_jsonl_file_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12: an empty ``.json`` file said ``1 unreadable [json.empty]`` (exit 1) where the README promised a note."""
    path = tmp_path / "empty.cti.json"
    path.write_bytes(b"  \n")
    code, lines, err = _run(capsys, str(path))
    assert code == 0
    assert err == f"snapshot-cti: note: {path}: empty input: no events\n"
    assert lines[0].startswith(_summary(0, 0, 0, 0))


def test_a_directory_without_events_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "readme.txt").write_text("no captures here", encoding="utf-8")
    code, lines, err = _run(capsys, str(tmp_path))
    assert code == 2
    assert err == f"snapshot-cti: error: {tmp_path}: no capture files (*.json, *.jsonl, *.cti.json, *.cti.jsonl) in this directory\n"
    assert lines[-1].startswith(_summary(0, 0, 0, 0) + "; 1 input could not be read")


def test_a_file_that_vanishes_between_listing_and_opening(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A dangling symlink is listed by the directory walk and gone when opened: deterministic, even as root."""
    (tmp_path / "a.jsonl").write_bytes(GOOD_LINE + b"\n")
    os.symlink(tmp_path / "deleted-meanwhile.jsonl", tmp_path / "b.jsonl")
    (tmp_path / "c.jsonl").write_bytes(b'{"pyAgentState": "Hold"}\n')
    code, lines, err = _run(capsys, str(tmp_path))
    assert code == 2
    assert err == f"snapshot-cti: error: {tmp_path / 'b.jsonl'}: cannot read file: No such file or directory\n"
    assert lines[0].startswith(f"{tmp_path / 'c.jsonl'}:1 $.pyAgentState:")
    assert lines[1].startswith(_summary(2, 1, 1, 0) + "; 1 input could not be read")


def test_an_unreadable_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """os.walk reports what it cannot list through onerror (chmod cannot be relied on: tests may run as root)."""
    (tmp_path / "a.jsonl").write_bytes(GOOD_LINE + b"\n")
    real_walk = os.walk

    def walk(top: str, onerror: Any = None, **kwargs: Any) -> Any:
        onerror(PermissionError(13, "Permission denied", str(tmp_path / "locked")))
        return real_walk(top, onerror=onerror, **kwargs)

    monkeypatch.setattr(os, "walk", walk)
    code, lines, err = _run(capsys, str(tmp_path))
    assert code == 2
    assert err == f"snapshot-cti: error: {tmp_path / 'locked'}: cannot read directory: Permission denied\n"
    assert lines[-1].startswith(_summary(1, 1, 0, 0))


class _FailingStream(io.BytesIO):
    """Reads one chunk, then the disk goes away (EIO)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.calls = 0

    def read(self, size: int | None = -1) -> bytes:
        self.calls += 1
        if self.calls > 1:
            raise OSError(5, "Input/output error")
        return super().read(size)


def test_a_read_error_mid_file_is_located_and_counted() -> None:
    validator = BulkValidator(load_contract())
    stream = _FailingStream((GOOD_LINE + b"\n") * 3 + b'{"pyAgentState": "Hold"}\n' + (GOOD_LINE + b"\n") * 100_000)
    outcomes = list(validator.validate_stream(stream, "cap.jsonl"))
    problems = [o for o in outcomes if isinstance(o, InputProblem)]
    events = [o for o in outcomes if isinstance(o, EventResult)]
    (done,) = [o for o in outcomes if isinstance(o, InputDone)]
    assert [e.location for e in events] == ["cap.jsonl:4"]
    assert len(problems) == 1
    read = done.events
    assert problems[0].location == f"cap.jsonl:{read + 1}"
    assert problems[0].message == "read error, the rest of this input was not validated: Input/output error"
    tally = validator.tally
    assert (tally.events, tally.valid, tally.invalid, tally.unreadable, tally.io_errors) == (read, read - 1, 1, 0, 1)


def test_everything_at_once_counts_add_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole corpus in one file, fast path on: one finding per bad line, nothing lost."""
    path = tmp_path / "all.jsonl"
    body = [GOOD_LINE]
    for case in LINES:
        body += [case[1], b"", GOOD_LINE]
    path.write_bytes(b"\r\n".join(body) + b"\n")
    code = main(["validate", "--format", "json", str(path)])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    expected = [(f"{path}:{3 * n + 2}", rule) for n, (_, _, rule, _, _) in enumerate(LINES)]
    assert [(f["location"], f["rule"]) for f in report["findings"]] == expected
    s = report["summary"]
    assert s["events"] == s["valid"] + s["invalid"] + s["unreadable"] == 2 * len(LINES) + 1
    assert s["unreadable"] == sum(1 for case in LINES if case[4] == "unreadable")
