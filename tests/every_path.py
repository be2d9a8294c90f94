"""One JSON line through every entry point a team uses, side by side (issue 12: one verdict on every path).

The engine (``Contract.validate`` on the line's text) is the reference; the CLI with its fast paths,
the CLI with the engine only, the recorder and the capture item must say the same thing of the line:
the same findings (rule, severity, path, message, hint) and so the same verdict.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_snapshot_cti import EventRecorder
from pytest_snapshot_cti.bulk import BulkValidator, EventResult, InputDone
from pytest_snapshot_cti.collect import check_capture
from pytest_snapshot_cti.contract import Contract
from pytest_snapshot_cti.lifecycle import check_stream
from pytest_snapshot_cti.reader import MISSING, parse_event
from pytest_snapshot_cti.violations import Violation

Finding = tuple[str, str, str, str, str | None]


def finding(violation: Violation) -> Finding:
    return (violation.rule, violation.severity, violation.path, violation.message, violation.hint)


@dataclass(frozen=True)
class Seen:
    """What one path said of one line: its findings (unlocated) and its verdict."""

    findings: tuple[Finding, ...]
    verdict: str


def verdict_of(found: Sequence[Violation]) -> str:
    return "invalid" if any(v.is_error for v in found) else "valid"


def engine(contract: Contract, text: bytes, kind: str = "auto") -> Seen:
    found = contract.validate(text, kind=kind, observe=False)
    return Seen(tuple(map(finding, found)), verdict_of(found))


def cli(contract: Contract, line: bytes, kind: str = "auto", *, fast: bool = True) -> Seen:
    """``snapshot-cti validate`` on a one-line JSONL input (``line`` without its newline)."""
    validator = BulkValidator(contract, kind=kind, fast=fast)
    outcomes = list(validator.validate_stream(io.BytesIO(line + b"\n"), "f.jsonl"))
    results = [o for o in outcomes if isinstance(o, EventResult)]
    (done,) = [o for o in outcomes if isinstance(o, InputDone)]
    assert done.events == 1 == done.valid + done.invalid + done.unreadable, outcomes
    if not results:
        return Seen((), "valid")
    (result,) = results
    assert all(v.location == "f.jsonl:1" for v in result.violations)
    verdict = "invalid" if result.verdict == "unreadable" else result.verdict
    return Seen(tuple(map(finding, result.violations)), verdict)


def recorder(contract: Contract, text: bytes) -> Seen:
    """``cti_recorder`` handed the line as JSON text (what a JavaScript connector's bridge forwards)."""
    heard = EventRecorder(contract)
    heard(text)
    found, _ = heard.check(events_only=True)
    return Seen(tuple(map(finding, found)), verdict_of(found))


def capture_fails(contract: Contract, text: bytes, directory: Path, name: str = "line.cti.jsonl") -> bool:
    """Whether the capture item of a one-line capture file fails."""
    path = directory / name
    path.write_bytes(text + b"\n")
    return check_capture(path, name, contract) is not None


def capture_expected_to_fail(contract: Contract, text: bytes) -> bool:
    """The engine's verdict on the line, plus the stream rules on the one event it holds."""
    found = list(contract.validate(text, observe=False))
    document, _ = parse_event(text, disabled=contract.disabled)
    if document is not MISSING:
        found.extend(contract._keep(check_stream([document], severity=contract.severity)))
    return verdict_of(found) == "invalid"


def disagreements(contract: Contract, text: bytes, kind: str = "auto") -> dict[str, Any]:
    """Every path whose findings differ from the engine's, with what it said (empty: all agree)."""
    reference = engine(contract, text, kind)
    seen = {"cli": cli(contract, text, kind), "cli (engine only)": cli(contract, text, kind, fast=False)}
    if kind == "auto":
        seen["recorder"] = recorder(contract, text)
    return {"engine": reference, **{name: s for name, s in seen.items() if s != reference}} if any(
        s != reference for s in seen.values()
    ) else {}
