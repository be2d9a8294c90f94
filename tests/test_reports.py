"""Issue 17 §2: the reports live in their own module, and JUnit XML is written by ElementTree.

Whatever an event holds — markup, quotes, ``]]>``, an entity, a character XML 1.0 cannot hold —
the JUnit report parses, and each testcase says exactly what the text report says of that event
(a character XML cannot hold is written as Python writes it: ``\\x1b``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from test_cli import GOOD

from pytest_snapshot_cti import bulk, reports
from pytest_snapshot_cti.cli import main

NASTY = [
    '<a href="x">&amp;</a>',
    "]]><!-- -->",
    'it\'s "quoted"',
    "tab\there",
    "esc\x1b[31m",
    "nul\x00byte",
    "\ufffe",
]
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _as_xml_holds_it(text: str) -> str:
    return _NOT_XML.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def _write(path: Path, events: list[Any]) -> Path:
    path.write_text("".join(json.dumps(event) + "\n" for event in events), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", NASTY)
def test_junit_says_what_the_text_report_says_whatever_the_event_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    events = [{**GOOD, "pyAgentState": value}, {**GOOD, "pyEventName": value, "pyReasonCode": value}, GOOD]
    path = _write(tmp_path / f"x{NASTY.index(value)}.jsonl", events)
    assert main(["validate", "--profile", "strict", "--format", "text", str(path)]) == 1
    text_lines = capsys.readouterr().out.splitlines()[:-1]  # the last line is the summary
    assert main(["validate", "--profile", "strict", "--format", "junit", str(path)]) == 1
    root = ET.fromstring(capsys.readouterr().out)
    cases = root.findall("testsuite/testcase")
    assert [case.get("name") for case in cases] == [f"{path}:1", f"{path}:2", "1 valid event"]
    got = []
    for case in cases[:2]:
        failure = case.find("failure")
        assert failure is not None
        got.extend((failure.text or "").split("\n"))
        first = next(line for line in text_lines if line.startswith(case.get("name", "") + " "))
        assert (failure.get("message") or "") in _as_xml_holds_it(first)
    assert got == [_as_xml_holds_it(line) for line in text_lines]


def test_junit_attribute_values_keep_newlines_and_tabs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An attribute value holding a newline or a tab reads back as written (ElementTree writes &#10;, &#09;)."""
    import io

    from pytest_snapshot_cti import load_contract
    from pytest_snapshot_cti.outcomes import EventResult, InputDone, Tally
    from pytest_snapshot_cti.violations import Violation

    out = io.StringIO()
    reporter = reports.make_reporter("junit", out, contract=load_contract())
    reporter.start()
    violation = Violation("S2", "error", "$.pyEventName", "two\nlines\tand a tab", None, "f.jsonl:1")
    reporter.outcome(EventResult("f.jsonl:1", "invalid", (violation,)))
    reporter.outcome(InputDone("f.jsonl", 1, 0, 1, 0))
    reporter.finish(Tally(events=1, invalid=1), 0.5)
    failure = ET.fromstring(out.getvalue()).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "$.pyEventName: two\nlines\tand a tab [S2]"


def test_the_reporters_still_answer_to_their_old_home() -> None:
    for name in ("Reporter", "TextReporter", "JsonReporter", "JUnitReporter", "make_reporter", "summary_line"):
        assert getattr(bulk, name) is getattr(reports, name)
    from pytest_snapshot_cti.bulk import EventResult, InputDone, InputProblem, StreamResult, Tally  # noqa: F401

    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        bulk.nothing_here  # noqa: B018
