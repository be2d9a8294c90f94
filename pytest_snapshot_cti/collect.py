"""Capture files (``*.cti.json``, ``*.cti.jsonl``) collected as pytest items, one per file.

A team whose connector is not written in Python records what it forwarded and drops the
file into the test tree. The item checks every event (``file:line`` locations), applies the
lifecycle rules per stream (grouped by ``pyThisDN``/``pyAgentId``) and counts unreadable
lines — nothing is skipped silently. A file with no events fails: an empty capture
proves nothing and usually means the recording step broke.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

    from .contract import Contract
    from .coverage import ContractCoverage
    from .violations import Violation

ITEM_NAME: Final = "contract"
#: How many violations a failure shows before "… and N more".
SHOWN: Final = 20


class CaptureFailure(Exception):
    """The item's failure: the message is complete, so no traceback is shown."""


class CaptureFile(pytest.File):
    """A capture file; it yields one :class:`CaptureItem` named ``contract`` (a stable node id)."""

    def collect(self) -> list[CaptureItem]:
        return [CaptureItem.from_parent(self, name=ITEM_NAME)]


class CaptureItem(pytest.Item):
    """Validates every event of one capture file and its streams' lifecycle."""

    def _display(self) -> str:
        try:
            return self.path.relative_to(self.config.rootpath).as_posix()
        except ValueError:
            return str(self.path)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Heads a failure ``contract of <file>`` (pytest's default is ``test session``).

        Not the node id itself: pytest rewrites dots to ``::`` in a domain that ends the
        node id, which would print ``login::cti::jsonl`` in verbose output.
        """
        return self.path, None, f"{ITEM_NAME} of {self._display()}"

    def runtest(self) -> None:
        from .plugin_session import session_contract, session_coverage, session_settings_of

        settings = session_settings_of(self.config)
        contract = session_contract(self.config)
        message = check_capture(self.path, self._display(), contract, session_coverage(self.config), settings.fail_on_warnings)
        if message is not None:
            raise CaptureFailure(message)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str | TerminalRepr:
        if isinstance(excinfo.value, CaptureFailure):
            return str(excinfo.value)
        if isinstance(excinfo.value, OSError):
            return f"cannot read capture file {self._display()}: {excinfo.value.strerror or excinfo.value}"
        return super().repr_failure(excinfo, style=style)


def check_capture(
    path: Path,
    display: str,
    contract: Contract,
    coverage: ContractCoverage | None = None,
    fail_on_warnings: bool = False,
) -> str | None:
    """The failure message for one capture file, or ``None`` when it honours the contract.

    ``coverage`` receives what no validation call reports: unreadable lines and lifecycle findings.
    """
    from .lifecycle import check_stream, split_streams
    from .observers import OBSERVERS, notify
    from .reader import iter_file
    from .violations import errors_of, format_report, plural

    items = list(iter_file(path, display=display, disabled=contract.disabled))
    if not items:  # an empty file, or blank lines only (reader.iter_file yields nothing for them)
        return f"{display} holds no events: an empty capture proves nothing (record the connector's events, or delete the file)"
    found: list[Violation] = []
    documents: list[Any] = []
    locations: list[str] = []
    valid = invalid = unreadable = 0
    for item in items:
        if item.error is not None:
            located = [item.error.at(item.location) if item.error.location is None else item.error]
            if item.error.rule in contract.disabled:  # a finding not made: valid, as Contract.validate says of that text
                valid += 1
                if coverage is not None:
                    coverage.add(None)
                continue
            unreadable += 1
            if coverage is not None:
                coverage.add_unreadable(located)
            found.extend(located)
            continue
        violations = contract.validate_value(item.document, observe=False)
        if OBSERVERS:  # counted by the session's observer like every validation, located so its findings say which line
            # (a JSON string is no event: observers would read a str as JSON text)
            notify(None if isinstance(item.document, str) else item.document, [v.at(item.location) for v in violations])
        if errors_of(violations):
            invalid += 1
        else:
            valid += 1
        found.extend(v.at(item.location) for v in violations)
        documents.append(item.document)
        locations.append(item.location)
    stream_found: list[Violation] = []
    for indexes in split_streams(documents).values():
        stream_found.extend(
            check_stream(
                [documents[i] for i in indexes],
                locations=[locations[i] for i in indexes],
                severity=contract.severity,
            )
        )
    if coverage is not None:
        coverage.add_findings(stream_found)
    found.extend(stream_found)
    if not (errors_of(found) or (fail_on_warnings and found)):
        return None
    total = len(items)
    report = format_report(found, subject=display, profile=contract.profile, limit=SHOWN)
    totals = f"{plural(total, 'event')}: {valid:,} valid, {invalid:,} invalid, {unreadable:,} unreadable"
    if stream_found:
        stream_errors = len(errors_of(stream_found))
        totals += f"; lifecycle: {plural(stream_errors, 'error')}, {plural(len(stream_found) - stream_errors, 'warning')}"
    return f"{report}\n{totals}"
