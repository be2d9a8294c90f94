"""The reports of ``snapshot-cti validate``: text, JSON and JUnit XML, each written as outcomes arrive.

Why a module of its own: streaming and judging (:mod:`bulk`) is one job, writing a format another.
Each reporter streams: nothing it keeps grows with the number of valid events (a JUnit suite's
testcases are spooled, to disk past a few MB, because the suite's counts head its element).
JUnit XML is written by :mod:`xml.etree.ElementTree`, which escapes; the only thing done by hand is
replacing the characters XML 1.0 cannot hold at all, which no escaping can carry.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, Final
from xml.etree import ElementTree

from .outcomes import EventResult, InputDone, InputProblem, Outcome, StreamResult, Tally
from .violations import Violation, plural

if TYPE_CHECKING:
    from .contract import Contract


def summary_line(tally: Tally, seconds: float) -> str:
    """``1,204,311 events: 1,204,309 valid, 1 invalid, 1 unreadable — 2.1 s`` (``1 event: …``)."""
    text = f"{plural(tally.events, 'event')}: {tally.valid:,} valid, {tally.invalid:,} invalid, {tally.unreadable:,} unreadable"
    extras = []
    if tally.warnings:
        extras.append(plural(tally.warnings, "warning"))
    if tally.lifecycle_errors or tally.lifecycle_warnings:
        extras.append(f"lifecycle: {plural(tally.lifecycle_errors, 'error')}, {plural(tally.lifecycle_warnings, 'warning')}")
    if tally.io_errors:
        extras.append(f"{plural(tally.io_errors, 'input')} could not be read")
    if extras:
        text += "; " + "; ".join(extras)
    return f"{text} — {seconds:.1f} s"


def _line_of(violation: Violation) -> str:
    if violation.is_error:
        return violation.format()
    prefix = f"{violation.location} " if violation.location else ""
    return f"{prefix}warning: {violation.format(with_location=False)}"


class Reporter:
    """Receives every outcome in order, then the tally; writes one report format to ``out``."""

    def __init__(self, out: IO[str], *, contract: Contract, max_errors: int | None = None, quiet: bool = False) -> None:
        self.out = out
        self.contract = contract
        self.max_errors = max_errors
        self.quiet = quiet
        self.shown = 0
        self.hidden = 0

    def _room(self) -> bool:
        """One more finding may be printed (``--max-errors`` caps printing, never counting)."""
        if self.max_errors is None or self.shown < self.max_errors:
            self.shown += 1
            return True
        self.hidden += 1
        return False

    def start(self) -> None:
        pass

    def outcome(self, outcome: Outcome) -> None:
        pass

    def finish(self, tally: Tally, seconds: float) -> None:
        pass


class TextReporter(Reporter):
    def outcome(self, outcome: Outcome) -> None:
        if self.quiet or not isinstance(outcome, (EventResult, StreamResult)):
            return
        for violation in outcome.violations:
            if self._room():
                self.out.write(_line_of(violation) + "\n")

    def finish(self, tally: Tally, seconds: float) -> None:
        if self.hidden:
            self.out.write(f"… {self.hidden:,} more findings not shown (--max-errors {self.max_errors})\n")
        self.out.write(summary_line(tally, seconds) + "\n")


class JsonReporter(Reporter):
    """One JSON object; ``findings`` is written as it goes, ``summary`` last."""

    def start(self) -> None:
        head = {"tool": "snapshot-cti", "profile": self.contract.profile, "contracts_sha256": self.contract.sha256}
        self.out.write(json.dumps(head)[:-1] + ', "findings": [')
        self.first = True
        self.problems: list[dict[str, Any]] = []
        self.inputs: list[dict[str, Any]] = []

    def outcome(self, outcome: Outcome) -> None:
        if isinstance(outcome, InputProblem):
            self.problems.append({"location": outcome.location, "message": outcome.message, "error": outcome.is_error})
        elif isinstance(outcome, InputDone):
            self.inputs.append(dict(outcome.__dict__))
        else:
            verdict = outcome.verdict if isinstance(outcome, EventResult) else "lifecycle"
            for violation in outcome.violations:
                if self._room():
                    self.out.write(
                        ("\n  " if self.first else ",\n  ") + json.dumps({**violation.to_dict(), "verdict": verdict}, ensure_ascii=False)
                    )
                    self.first = False

    def finish(self, tally: Tally, seconds: float) -> None:
        summary = {**tally.to_dict(), "seconds": round(seconds, 3), "findings_shown": self.shown, "findings_not_shown": self.hidden}
        self.out.write("\n], " if not self.first else "], ")
        rest = {"inputs": self.inputs, "problems": self.problems, "summary": summary}
        self.out.write(json.dumps(rest, ensure_ascii=False)[1:] + "\n")


class JUnitReporter(Reporter):
    """``<testsuites>`` with one ``<testsuite>`` per input; failing events are testcases.

    A suite's counts head its element, so its testcases are spooled (to disk past a few MB).
    """

    def start(self) -> None:
        self.spool: IO[str] = tempfile.SpooledTemporaryFile(max_size=4 << 20, mode="w+", encoding="utf-8")  # noqa: SIM115
        self.failures = 0
        self.errors = 0
        self.cases = 0
        self.suites: list[tuple[str, int, int, int]] = []
        self.body: IO[str] = tempfile.SpooledTemporaryFile(max_size=4 << 20, mode="w+", encoding="utf-8")  # noqa: SIM115

    def _case(self, name: str, classname: str, tag: str | None, violations: Sequence[Violation]) -> None:
        self.cases += 1
        case = ElementTree.Element("testcase", classname=_xml_chars(classname), name=_xml_chars(name))
        if tag is not None:
            if tag == "failure":
                self.failures += 1
            else:
                self.errors += 1
            shown = [v for v in violations if self._room()]
            message = violations[0].format(with_location=False) if violations else name
            text = "\n".join(_line_of(v) for v in shown)
            if len(shown) < len(violations):
                text += f"\n… {len(violations) - len(shown)} more not shown (--max-errors)"
            kind = violations[0].rule if violations else "io"
            ElementTree.SubElement(case, tag, type=_xml_chars(kind), message=_xml_chars(message)).text = _xml_chars(text)
        self.spool.write(f"    {ElementTree.tostring(case, encoding='unicode')}\n")

    def outcome(self, outcome: Outcome) -> None:
        if isinstance(outcome, EventResult):
            tag = "error" if outcome.verdict == "unreadable" else "failure" if outcome.verdict == "invalid" else None
            self._case(outcome.location, outcome.location.rsplit(":", 1)[0], tag, outcome.violations if tag else ())
        elif isinstance(outcome, StreamResult):
            tag = "failure" if any(v.is_error for v in outcome.violations) else None
            self._case(f"{outcome.location} lifecycle", outcome.location, tag, outcome.violations if tag else ())
        elif isinstance(outcome, InputProblem):
            if outcome.is_error:
                self._case(outcome.location, outcome.location, "error", (Violation("io", "error", "$", outcome.message),))
        else:
            if outcome.valid:
                self._case(f"{plural(outcome.valid, 'valid event')}", outcome.name, None, ())
            self._flush_suite(outcome.name)

    def _flush_suite(self, name: str) -> None:
        self.spool.seek(0)
        counts = {"tests": str(self.cases), "failures": str(self.failures), "errors": str(self.errors), "skipped": "0"}
        self.body.write(f"  {_start_tag('testsuite', {'name': _xml_chars(name), **counts})}\n")
        for chunk in iter(lambda: self.spool.read(1 << 16), ""):
            self.body.write(chunk)
        self.body.write("  </testsuite>\n")
        self.suites.append((name, self.cases, self.failures, self.errors))
        self.spool.seek(0)
        self.spool.truncate()
        self.cases = self.failures = self.errors = 0

    def finish(self, tally: Tally, seconds: float) -> None:
        if self.cases:  # problems outside any input (a directory that could not be read)
            self._flush_suite("snapshot-cti")
        totals = {
            "name": "snapshot-cti",
            "tests": str(sum(s[1] for s in self.suites)),
            "failures": str(sum(s[2] for s in self.suites)),
            "errors": str(sum(s[3] for s in self.suites)),
            "time": f"{seconds:.3f}",
        }
        self.out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        self.out.write(_start_tag("testsuites", totals) + "\n")
        self.body.seek(0)
        for chunk in iter(lambda: self.body.read(1 << 16), ""):
            self.out.write(chunk)
        self.out.write("</testsuites>\n")
        self.spool.close()
        self.body.close()


def _start_tag(tag: str, attributes: dict[str, str]) -> str:
    """``<tag a="…">`` as ElementTree writes it (escaped by it): an element whose children are written as they come."""
    element = ElementTree.Element(tag, attributes)
    element.text = "\n"  # not empty, so the element is written with an end tag, which is cut off
    return ElementTree.tostring(element, encoding="unicode")[: -len(f"\n</{tag}>")]


#: What XML 1.0 cannot hold, even as a character reference: most control characters, surrogates, U+FFFE/U+FFFF.
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_chars(text: str) -> str:
    """``text`` with the characters XML cannot hold written as Python writes them (``\\x1b``); ElementTree escapes the rest."""
    return _NOT_XML.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def make_reporter(fmt: str, out: IO[str], *, contract: Contract, max_errors: int | None = None, quiet: bool = False) -> Reporter:
    cls = {"text": TextReporter, "json": JsonReporter, "junit": JUnitReporter}[fmt]
    return cls(out, contract=contract, max_errors=max_errors, quiet=quiet)
