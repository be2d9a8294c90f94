"""Issue 12 §6: a differential fuzz of our own — generated lines mutated at the byte and the JSON level,
and every path says the same of every line: the CLI (fast paths on and off, with and without
``--lifecycle``), the engine, the recorder and the capture item; the same rule ids and messages.

Mutations: unicode escapes (and lone surrogates), duplicate keys, CR, mixed spacing, deep nesting around
the 256-level limit, huge, tiny and negative-zero numbers, NaN, a BOM, a NUL byte, an inserted or dropped
byte, a cut line. The example budget is small in CI; ``CTI_FUZZ_EXAMPLES=2000`` runs a longer campaign.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

from every_path import finding
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import EventRecorder, load_contract
from pytest_snapshot_cti.bulk import BulkValidator, EventResult
from pytest_snapshot_cti.cli import generate
from pytest_snapshot_cti.collect import check_capture
from pytest_snapshot_cti.lifecycle import check_stream, split_streams
from pytest_snapshot_cti.reader import BLANK_BYTES, MISSING, line_text, parse_event

EXAMPLES = int(os.environ.get("CTI_FUZZ_EXAMPLES", "60"))


def _pool() -> list[bytes]:
    out = io.StringIO()
    for n, kind in enumerate(("snapshot", "snapshot", "agent", "call", "party")):
        generate(out, count=8, seed=70 + n, kind=kind, invalid=0.3)
    for scenario in ("inbound_call", "logout", "link_drop_reconnect"):
        generate(out, scenario=scenario, count=1, seed=5)
    return [line.encode() for line in out.getvalue().splitlines()]


POOL = _pool()
NUMBERS = ["1e400", "-1e400", "9" * 5000, "-0", "-0.0", "0e0", "1E-400", "12345678901234567890123", "NaN", "-Infinity", "1.50", "1e2"]
SEPARATORS = [(",", ":"), (", ", ": "), (" ,", " : "), ("\t,", ":\t"), (",\r ", ": ")]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    line = draw(st.sampled_from(POOL))
    for _ in range(draw(st.integers(0, 3))):
        line = draw(st.sampled_from(_MUTATIONS))(draw, line)
    return line


def _json_level(draw: st.DrawFn, line: bytes) -> bytes:
    """Re-written as JSON: other spacing, non-ASCII text escaped or not, a value replaced or nested deep."""
    try:
        document = json.loads(line)
    except ValueError:
        return line
    if isinstance(document, dict) and document:
        key = draw(st.sampled_from(sorted(document)))
        change = draw(st.sampled_from(["text", "surrogate", "nest", "keep"]))
        if change == "text":
            document[key] = draw(st.sampled_from(["Réady", "Ready\u2028", "\x00", "☎ 5501", "\\", '"quoted"']))
        elif change == "surrogate":
            document[key] = "\ud800"
        elif change == "nest":
            value: Any = document[key]
            for _ in range(draw(st.sampled_from([1, 250, 254, 255, 256, 300]))):
                value = [value]
            document[key] = value
    separators = draw(st.sampled_from(SEPARATORS))
    return json.dumps(document, separators=separators, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


def _number(draw: st.DrawFn, line: bytes) -> bytes:
    """A string value replaced by a number token (huge, tiny, negative zero, NaN…)."""
    values = list(re.finditer(rb': ?"[^"\\]*"', line))
    if not values:
        return line
    found = draw(st.sampled_from(values))
    return line[: found.start()] + b":" + draw(st.sampled_from(NUMBERS)).encode() + line[found.end() :]


def _duplicate_key(draw: st.DrawFn, line: bytes) -> bytes:
    pairs = list(re.finditer(rb'"[A-Za-z]+" ?: ?"[^"\\]*"', line))
    if not pairs or not line.startswith(b"{"):
        return line
    pair = draw(st.sampled_from(pairs)).group()
    if draw(st.booleans()):  # the same key with another value
        pair = pair[: pair.rindex(b'"', 0, len(pair) - 1) + 1] + b'x"'
    return b"{" + pair + b"," + line[1:]


def _bytes(draw: st.DrawFn, line: bytes) -> bytes:
    """Byte level: a CR, a BOM, a NUL, an inserted, dropped or cut byte, a unicode escape."""
    where = draw(st.integers(0, len(line)))
    change = draw(st.sampled_from(["cr", "crcr", "bom", "nul", "insert", "drop", "cut", "escape", "space"]))
    if change == "cr":
        return line + b"\r"
    if change == "crcr":
        return line + b"\r\r"
    if change == "bom":
        return b"\xef\xbb\xbf" + line
    if change == "nul":
        return line[:where] + b"\x00" + line[where:]
    if change == "insert":
        return line[:where] + bytes([draw(st.integers(0, 255).filter(lambda b: b != 10))]) + line[where:]
    if change == "drop":
        return line[:where] + line[where + 1 :]
    if change == "cut":
        return line[:where]
    if change == "space":
        return line[:where] + draw(st.sampled_from([b" ", b"\t", b"\xc2\xa0", b"\x0c"])) + line[where:]
    letters = [m.start() for m in re.finditer(rb"[A-Za-z]", line)]  # a letter inside a string written as \u00XX
    if not letters:
        return line
    at = draw(st.sampled_from(letters))
    return line[:at] + b"\\u%04x" % line[at] + line[at + 1 :]


_MUTATIONS = [_json_level, _number, _duplicate_key, _bytes, _bytes]


#: json.* rules that mean no value could be read (the line counts as unreadable)
READING = {"json.syntax", "json.encoding", "json.bom", "json.empty", "json.duplicate_key", "json.nan", "json.number", "json.depth", "json.trailing_data"}


def _verdict(found: list[Any]) -> str:
    if any(rule in READING and severity == "error" for rule, severity, *_ in found):
        return "unreadable"
    return "invalid" if any(severity == "error" for _, severity, *_ in found) else "valid"


def _engine_line(contract: Any, raw: bytes) -> list[Any]:
    return [finding(v) for v in contract.validate(raw, observe=False)]


def test_every_path_says_the_same_of_fuzzed_lines(tmp_path: Path, record_property: Any) -> None:
    counts: Counter[str] = Counter()

    @settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(
        lines=st.lists(_mutated(), min_size=1, max_size=16),
        profile=st.sampled_from(["published", "strict"]),
        disable=st.sampled_from([(), ("json.duplicate_key",), ("C4", "S2")]),
        lifecycle=st.booleans(),
    )
    def check(lines: list[bytes], profile: str, disable: tuple[str, ...], lifecycle: bool) -> None:
        contract = load_contract(profile, disable=disable)
        data = b"".join(line + b"\n" for line in lines)
        # each line's text: what comes before its line end (\n, or \r\n: a line may end in \r)
        texts = [(number, line_text(line + b"\n")) for number, line in enumerate(lines, start=1)]
        events = [(number, text) for number, text in texts if text.strip(BLANK_BYTES)]
        # the engine, line by line: the reference
        expected = {number: _engine_line(contract, line) for number, line in events}
        expected = {number: found for number, found in expected.items() if found}
        # the CLI, fast paths on and off
        runs = []
        for fast in (True, False):
            validator = BulkValidator(contract, fast=fast, lifecycle=lifecycle)
            outcomes = list(validator.validate_stream(io.BytesIO(data), "f.jsonl"))
            per_line = {int(o.location.rsplit(":", 1)[1]): [finding(v) for v in o.violations] for o in outcomes if isinstance(o, EventResult)}
            assert per_line == expected
            assert validator.tally.events == len(events) == validator.tally.valid + validator.tally.invalid + validator.tally.unreadable
            runs.append(outcomes)
            if fast:
                counts.update(typed=validator.paths.typed, dict=validator.paths.dict, engine=validator.paths.engine)
        assert runs[0] == runs[1]
        # the recorder, handed each line as JSON text (a JavaScript bridge forwards that)
        heard = EventRecorder(contract)
        for _, line in events:
            heard(line)
        per_event, _ = heard.check(events_only=True)
        recorded = [finding(v) for v in per_event]
        assert recorded == [f for number, _ in events for f in expected.get(number, [])]
        # the capture item: fails exactly when the engine (and the stream rules) find an error
        path = tmp_path / "fuzz.cti.jsonl"
        path.write_bytes(data)
        message = check_capture(path, "fuzz.cti.jsonl", contract)
        if not events:
            assert message == "fuzz.cti.jsonl holds no events: an empty capture proves nothing (record the connector's events, or delete the file)"
            return
        documents = []
        for _, line in events:
            document, _ = parse_event(line, disabled=contract.disabled)
            if document is not MISSING and isinstance(document, dict):
                documents.append(document)
        stream = [v for indexes in split_streams(documents).values() for v in check_stream([documents[i] for i in indexes], severity=contract.severity)]
        errors = any(f[1] == "error" for found in expected.values() for f in found) or any(v.is_error for v in contract._keep(stream))
        assert (message is not None) == errors
        if message is not None:  # its totals count each line as the engine judged it
            verdicts = Counter(_verdict(expected.get(number, [])) for number, _ in events)
            totals = f"{len(events):,} event{'' if len(events) == 1 else 's'}: {verdicts['valid']:,} valid, {verdicts['invalid']:,} invalid, {verdicts['unreadable']:,} unreadable"
            assert totals in message.splitlines()[-1], message
        counts.update(lines=len(events), examples=1, findings=sum(map(len, expected.values())))

    check()
    record_property(
        "cti_corpus",
        f"{counts['examples']} examples, {counts['lines']:,} fuzzed lines, {counts['findings']:,} findings; lines decided: "
        f"typed {counts['typed']:,}, dict {counts['dict']:,}, engine {counts['engine']:,}; disagreements 0",
    )
