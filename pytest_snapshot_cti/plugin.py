"""pytest glue for pytest-snapshot-cti: hooks and fixtures only.

Imports nothing heavy at module level (pytest is already loaded); the contract engine,
jsonschema, Hypothesis and Faker load when a fixture or item first needs them. A run
that never validates an event prints one header line and nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

from . import observers, run_context
from . import plugin_config as cfg
from .plugin_session import STATE_KEY, session_contract, session_coverage, session_settings_of
from .plugin_session import SessionState as _SessionState
from .plugin_session import marked_xfail as _marked_xfail
from .plugin_session import settings_for as _settings_for
from .violations import ContractUsageError, ContractViolationError

if TYPE_CHECKING:
    from _pytest.outcomes import Failed  # the type checker's name for pytest.fail.Exception

    from .contract import Contract
    from .js.fixture import ConnectorFactory
    from .recorder import EventRecorder
    from .violations import Violation

# The factory fixtures (and their seed-on-failure hook) live in their own light module (Faker loads in the fixture body).
from .factory_fixtures import cti_factory, cti_session_factory, pytest_runtest_makereport_cti_seed  # noqa: F401

SUMMARY_TITLE: Final = "Pega OpenCTI contract"
CONFORMANCE_TITLE: Final = "Pega OpenCTI conformance"
WARNINGS_TITLE: Final = "contract warnings"
#: Section added to the report of a test that failed for its own reason while its recorder held findings.
FAILED_FIRST_SECTION: Final = "cti_recorder findings (the test failed first; lifecycle rules not applied)"
#: Warning lines shown without -v.
WARNINGS_SHOWN: Final = 50
WORKEROUTPUT_KEY: Final = "cti_coverage"
WORKEROUTPUT_WARNINGS_KEY: Final = "cti_warnings"
WORKEROUTPUT_CONFORMANCE_KEY: Final = "cti_conformance"


PATTERNS_KEY: Final = pytest.StashKey[tuple[str, ...]]()
CALL_REPORT_KEY: Final = pytest.StashKey[pytest.TestReport]()
#: Why --cti-report could not be written at the end of the run.
REPORT_ERROR_KEY: Final = pytest.StashKey[str]()
#: The test's cti_recorder until it has been checked.
RECORDER_KEY: Final = pytest.StashKey["EventRecorder"]()


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


# -- configuration -------------------------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    cfg.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "cti(profile=None, disable=(), fail_on_warnings=None, allow_extra=()): per-test Pega OpenCTI contract settings (pytest-snapshot-cti)",
    )
    try:
        settings = cfg.session_settings(config)
        report = _report_path(config)
        problem = None if report is None or _is_worker(config) else cfg.report_problem(report)
        if problem is not None:
            raise ContractUsageError(f"--cti-report: {problem}")
    except ContractUsageError as err:
        raise pytest.UsageError(f"pytest-snapshot-cti: {err}") from None
    config.stash[cfg.SETTINGS_KEY] = settings
    config.stash[PATTERNS_KEY] = tuple(config.getini("cti_capture_files"))
    state = _SessionState(config)
    config.stash[STATE_KEY] = state
    observers.subscribe(state.observe)
    run_context.push(state.run_contract)
    if config.pluginmanager.hasplugin("xdist") and not _is_worker(config):
        config.pluginmanager.register(XdistController(state), "cti-xdist-controller")


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE_KEY, None)
    if state is not None:
        observers.unsubscribe(state.observe)
        run_context.pop(state.run_contract)


def pytest_report_header(config: pytest.Config) -> str | None:
    if STATE_KEY not in config.stash:
        return None
    return cfg.header_line(session_settings_of(config))


# -- capture files --------------------------------------------------------------------------------
def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    patterns = parent.config.stash.get(PATTERNS_KEY, ())
    if patterns and cfg.matches_capture(file_path, patterns, parent.config.rootpath):
        from .collect import CaptureFile

        capture: pytest.Collector = CaptureFile.from_parent(parent, path=file_path)
        return capture
    return None


# -- fixtures -------------------------------------------------------------------------------------
def _item_settings(request: pytest.FixtureRequest) -> cfg.CtiSettings:
    return _settings_for(request.node)


@pytest.fixture
def cti_contract(request: pytest.FixtureRequest) -> Contract:
    """The configured :class:`Contract` (options, ini, then the test's ``cti`` marker)."""
    return cfg.contract_for(request.config, _item_settings(request))


@pytest.fixture
def cti_recorder(request: pytest.FixtureRequest) -> Generator[EventRecorder, None, None]:
    """A ``forwardEvent`` stand-in; at teardown every event and the stream are checked.

    In a test marked ``xfail`` the check runs at the end of the call instead, so an expected
    finding is an expected failure (``XFAIL``) and a fixed bug an ``XPASS``.
    """
    from .recorder import EventRecorder

    settings = _item_settings(request)
    recorder = EventRecorder(cfg.contract_for(request.config, settings), fail_on_warnings=settings.fail_on_warnings)
    request.node.stash[RECORDER_KEY] = recorder
    yield recorder
    if request.node.stash.get(RECORDER_KEY, None) is not recorder:
        return  # checked at the end of the call (an xfail test)
    del request.node.stash[RECORDER_KEY]
    call = request.node.stash.get(CALL_REPORT_KEY, None)
    if call is not None and not call.passed:
        return  # the test already failed or skipped: its stream is incomplete, lifecycle findings would be noise
    _fail_on_findings(request.config, recorder)


@pytest.fixture
def cti_js_connector(request: pytest.FixtureRequest, cti_recorder: EventRecorder) -> Generator[ConnectorFactory, None, None]:
    """Load a JavaScript connector into a Node host: ``cti_js_connector("src/acme.js", implementation=..., stubs=[...])``.

    Its forwarded events go to ``cti_recorder``; its error objects and ``console.error`` are
    checked with them. Skips without Node.js 18+ (fails under ``CTI_REQUIRE_NODE=1``).
    """
    from .js.fixture import js_connector_factory

    yield from js_connector_factory(request, cti_recorder)


def _fail_on_findings(config: pytest.Config, recorder: EventRecorder, *, in_call: bool = False) -> None:
    """Fail the current phase with the recorder's report when its events break the contract."""
    per_event, stream = recorder.check()
    session_coverage(config).add_findings([*recorder.not_serializable(), *stream])  # validations count themselves
    found = per_event + stream
    message = recorder.failure_message(found)
    if message is None:
        return
    if in_call:
        raise _RecorderFailure(message, found)
    pytest.fail(message, pytrace=False)


if not TYPE_CHECKING:
    Failed = pytest.fail.Exception


class _RecorderFailure(ContractViolationError, Failed):
    """The recorder's report raised in an xfail test's call.

    A :class:`ContractViolationError`, so ``xfail(raises=ContractViolationError)`` matches, and
    pytest's ``Failed`` without a traceback, so pytest shows the report alone. Named by its public
    base in reports (``pytest_snapshot_cti.ContractViolationError: …``): that is what to catch.
    """

    def __init__(self, message: str, violations: list[Violation]) -> None:
        ContractViolationError.__init__(self, message, violations)
        Failed.__init__(self, message, pytrace=False)


_RecorderFailure.__module__, _RecorderFailure.__qualname__ = "pytest_snapshot_cti", "ContractViolationError"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """For an ``xfail`` test, check its recorder as part of the call (a teardown error cannot be xfailed)."""
    result = yield  # a test that raised has failed already: nothing to add
    recorder = item.stash.get(RECORDER_KEY, None)
    if recorder is not None and _marked_xfail(item):
        del item.stash[RECORDER_KEY]
        _fail_on_findings(item.config, recorder, in_call=True)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    state = item.config.stash.get(STATE_KEY, None)
    if state is None:
        return (yield)
    state.running(item)
    try:
        return (yield)
    finally:
        state.running(None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if call.when == "call":
        item.stash[CALL_REPORT_KEY] = report
        if report.failed:
            _report_findings_of_failed_test(item, report)
    return report


def _report_findings_of_failed_test(item: pytest.Item, report: pytest.TestReport) -> None:
    """A test that failed for its own reason keeps its recorder's findings: often they are the cause.

    Shown as a section of that test's report (not a second failure); each event is checked and
    counted as at teardown, the lifecycle rules are not (the stream stopped early).
    """
    recorder = item.stash.get(RECORDER_KEY, None)
    if recorder is None:
        return
    del item.stash[RECORDER_KEY]  # checked here: teardown has nothing left to do
    per_event, _ = recorder.check(events_only=True)
    session_coverage(item.config).add_findings(recorder.not_serializable())  # validations count themselves
    if per_event:
        report.sections.append((FAILED_FIRST_SECTION, recorder.report(per_event)))


# -- reporting ------------------------------------------------------------------------------------
def report_data(config: pytest.Config) -> dict[str, Any]:
    """The ``--cti-report`` document (schema in the README)."""
    settings = session_settings_of(config)
    contract = session_contract(config)
    coverage = session_coverage(config)
    _ = coverage.fields  # an unused run still lists every enum field as never exercised
    return {
        "format": "pytest-snapshot-cti report",
        "version": 1,
        "profile": settings.profile,
        "contracts": {"source": "bundled" if settings.contracts_dir is None else settings.contracts_dir, "sha256": contract.sha256},
        "disabled": sorted(settings.disable),
        "allow_extra": list(settings.allow_extra),
        "fail_on_warnings": settings.fail_on_warnings,
        **coverage.to_dict(),
    }


def _report_path(config: pytest.Config) -> Path | None:
    value = config.getoption("cti_report")
    if not value:
        return None
    return config.invocation_params.dir / os.path.expanduser(str(value))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    state = config.stash.get(STATE_KEY, None)
    if state is None:
        return
    if _is_worker(config):
        if state.used:
            config.workeroutput[WORKEROUTPUT_KEY] = state.coverage().to_dict()  # type: ignore[attr-defined]
        if state.has_warnings:
            config.workeroutput[WORKEROUTPUT_WARNINGS_KEY] = state.warnings().to_list()  # type: ignore[attr-defined]
        if state.explored:
            config.workeroutput[WORKEROUTPUT_CONFORMANCE_KEY] = state.exploration().to_dict()  # type: ignore[attr-defined]
        return
    path = _report_path(config)
    if path is not None:
        import json

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report_data(config), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as err:  # checked at start-up; something changed since (disk full, a directory created…)
            config.stash[REPORT_ERROR_KEY] = f"contract report NOT written to {path}: {err.strerror or err}"
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.USAGE_ERROR


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    state = config.stash.get(STATE_KEY, None)
    if state is None or _is_worker(config):
        return
    verbosity = config.get_verbosity()
    if state.has_warnings:  # like pytest's warnings summary: listed at every verbosity
        terminalreporter.write_sep("=", WARNINGS_TITLE, yellow=True)
        for line in state.warnings().lines(None if verbosity > 0 else WARNINGS_SHOWN):
            terminalreporter.write_line(line)
    path = _report_path(config)
    report_line = config.stash.get(REPORT_ERROR_KEY, None)
    if report_line is None and path is not None:
        report_line = f"contract report written to {path}"
    if verbosity <= -2:  # -qq: pytest's convention for "only what failed"
        if REPORT_ERROR_KEY in config.stash:
            terminalreporter.write_line(config.stash[REPORT_ERROR_KEY], red=True)
        return
    if state.explored:
        if verbosity < 0:
            terminalreporter.write_line(f"{CONFORMANCE_TITLE}: {state.exploration().one_line()}")
        else:
            terminalreporter.write_sep("=", CONFORMANCE_TITLE)
            for line in state.exploration().lines():
                terminalreporter.write_line(line)
    if not state.used and path is None:
        return  # nothing validated: stay quiet
    if verbosity < 0:  # -q: one line
        text = f"{SUMMARY_TITLE}: {state.coverage().one_line() if state.used else 'no events were checked'}"
        terminalreporter.write_line(text + (f"; {report_line}" if report_line else ""))
        return
    terminalreporter.write_sep("=", SUMMARY_TITLE)
    if state.used:
        for line in state.coverage().summary_lines():
            terminalreporter.write_line(line)
    else:
        terminalreporter.write_line("no events were checked")
    if report_line is not None:
        terminalreporter.write_line(report_line, red=REPORT_ERROR_KEY in config.stash)


class XdistController:
    """Registered only when pytest-xdist is active: merges each worker's tallies as it finishes."""

    def __init__(self, state: _SessionState) -> None:
        self.state = state

    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        output = getattr(node, "workeroutput", {})
        data = output.get(WORKEROUTPUT_KEY)
        if data:
            self.state.coverage().merge(data)
        warnings = output.get(WORKEROUTPUT_WARNINGS_KEY)
        if warnings:
            self.state.warnings().merge(warnings)
        explored = output.get(WORKEROUTPUT_CONFORMANCE_KEY)
        if explored:
            self.state.exploration().merge(explored)
