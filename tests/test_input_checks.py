"""Every input is checked at the door: one line and exit code 4 at start-up, or one line in the
test's setup; never a traceback and never a silent wrong meaning (pytester runs)."""

from __future__ import annotations

import json

import pytest

from pytest_snapshot_cti import ContractUsageError, check_stream, load_contract

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

USES_ONE_EVENT = """
def test_one(cti_recorder):
    cti_recorder({"pyEventType": "AgentStateEvent", "pyEventName": "Ready"})
"""


def assert_one_line_usage_error(result: pytest.RunResult, expected: str) -> None:
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert [line for line in result.stderr.lines if line.strip()] == [expected]
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert "passed" not in result.stdout.str()  # found before any test ran


def test_report_pointing_at_a_directory_stops_the_run_at_start_up(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(USES_ONE_EVENT)
    (pytester.path / "reports").mkdir()
    result = pytester.runpytest("--cti-report", "reports")
    where = pytester.path / "reports"
    assert_one_line_usage_error(
        result, f"ERROR: pytest-snapshot-cti: --cti-report: {where} is a directory; give a file name, e.g. {where / 'cti-report.json'}"
    )


def test_report_below_a_file_stops_the_run_at_start_up(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(USES_ONE_EVENT)
    (pytester.path / "notes.txt").write_text("a file, not a directory\n", encoding="utf-8")
    result = pytester.runpytest("--cti-report", "notes.txt/out/report.json")
    assert_one_line_usage_error(
        result,
        f"ERROR: pytest-snapshot-cti: --cti-report: {pytester.path / 'notes.txt'} is not a directory, "
        f"so {pytester.path / 'notes.txt/out/report.json'} cannot be created",
    )


@pytest.mark.parametrize("args", [[], ["-n", "2"]])
def test_report_in_a_new_directory_is_fine_serial_and_xdist(pytester: pytest.Pytester, args: list[str]) -> None:
    pytester.makepyfile(USES_ONE_EVENT)
    result = pytester.runpytest_subprocess("--cti-report", "new/dir/report.json", *args)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"contract report written to {pytester.path / 'new/dir/report.json'}"])
    assert json.loads((pytester.path / "new/dir/report.json").read_text(encoding="utf-8"))["events"]["total"] == 1


def test_report_that_cannot_be_written_at_the_end_is_said_once_without_traceback(pytester: pytest.Pytester) -> None:
    """Start-up found it writable; the test then made a directory of that name."""
    pytester.makepyfile(
        """
        from pathlib import Path

        def test_takes_the_name(cti_recorder):
            Path("report.json").mkdir()
            cti_recorder({"pyEventType": "AgentStateEvent", "pyEventName": "Ready"})
        """
    )
    result = pytester.runpytest("--cti-report", "report.json", "-p", "no:randomly")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines([f"contract report NOT written to {pytester.path / 'report.json'}: Is a directory"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ('fail_on_warnings="no"', "@pytest.mark.cti(fail_on_warnings=...): expected True or False, got str 'no'"),
        ("fail_on_warnings=1", "@pytest.mark.cti(fail_on_warnings=...): expected True or False, got int 1"),
        ("profile=1", "@pytest.mark.cti(profile=...): expected a profile name (published, strict), got int 1"),
        ("disable=5", "@pytest.mark.cti(disable=...): expected a string or a list of strings such as ['C5', 'C7'], got int 5"),
        (
            "disable=['C5', 7]",
            "@pytest.mark.cti(disable=...): expected a string or a list of strings such as ['C5', 'C7'], got list ['C5', 7]",
        ),
        (
            "allow_extra={'x': 1}",
            "@pytest.mark.cti(allow_extra=...): expected a string or a list of strings such as ['C5', 'C7'], got dict {'x': 1}",
        ),
        (
            "disable='c5'",
            "@pytest.mark.cti(disable=...): unknown rule id c5 (did you mean c5 -> C5? run `snapshot-cti rules` to list the ids)",
        ),
    ],
)
def test_marker_values_are_typed_strictly(pytester: pytest.Pytester, marker: str, message: str) -> None:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.cti({marker})
        def test_marked(cti_recorder):
            pass

        def test_unmarked(cti_recorder):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*_ ERROR at setup of test_marked _*", message])
    assert "Traceback" not in result.stdout.str()


def test_marker_booleans_and_lists_that_are_right_still_work(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.cti(fail_on_warnings=False, disable=("C5", "C7"), allow_extra={"xQueue"})
        def test_marked(cti_contract, cti_recorder):
            assert cti_recorder.fail_on_warnings is False
            assert cti_contract.disabled == {"C5", "C7"}
            assert cti_contract.allow_extra == ("xQueue",)
        """
    )
    pytester.runpytest("-p", "no:randomly", "--cti-fail-on-warnings").assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "c5",
            "ERROR: pytest-snapshot-cti: --cti-disable: unknown rule id c5 (did you mean c5 -> C5? run `snapshot-cti rules` to list the ids)",
        ),
        (
            "json.NaN,L9",
            "ERROR: pytest-snapshot-cti: --cti-disable: unknown rule ids L9, json.NaN (did you mean json.NaN -> json.nan? "
            "run `snapshot-cti rules` to list the ids)",
        ),
        ("X9", "ERROR: pytest-snapshot-cti: --cti-disable: unknown rule id X9 (run `snapshot-cti rules` to list the ids)"),
    ],
)
def test_disable_suggests_the_id_that_was_meant(pytester: pytest.Pytester, option: str, message: str) -> None:
    pytester.makepyfile("def test_never_runs(): pass")
    assert_one_line_usage_error(pytester.runpytest("--cti-disable", option), message)


@pytest.mark.parametrize(
    ("events", "kwargs", "message"),
    [
        (
            {"pyEventType": "SnapshotEvent"},
            {},
            "check_stream(events): expected a sequence of events such as a list of dicts, got one event (a mapping); wrap one event in a list",
        ),
        (
            '[{"pyEventType": "SnapshotEvent"}]',
            {},
            "check_stream(events): expected a sequence of events such as a list of dicts, got a str; wrap one event in a list",
        ),
        (b"{}", {}, "check_stream(events): expected a sequence of events such as a list of dicts, got a bytes; wrap one event in a list"),
        (42, {}, "check_stream(events): expected a sequence of events such as a list of dicts, got a int; wrap one event in a list"),
        (
            [],
            {"login": ["5501", "8808"]},
            "check_stream(login=...): expected a mapping such as {'agent_id': '5501', 'extension': '8808'}, got a list",
        ),
        ([], {"login": {"agentId": "5501"}}, "check_stream(login=...): unknown key 'agentId'; use 'agent_id' and 'extension'"),
        ([], {"logout": "yes"}, "check_stream(logout=...): expected True or False, got str 'yes'"),
    ],
)
def test_check_stream_refuses_what_is_not_a_stream(events: object, kwargs: dict[str, object], message: str) -> None:
    for check in (load_contract().check_stream, check_stream):
        with pytest.raises(ContractUsageError) as info:
            check(events, **kwargs)
        assert str(info.value) == message


def test_check_stream_still_takes_any_iterable_of_events() -> None:
    snapshot = {
        "pyEventType": "SnapshotEvent",
        "pyEventName": "Snapshot",
        "pyAgentState": "Logout",
        "pyLines": [],
        "pyDeviceState": "CLOSED",
    }
    contract = load_contract()
    assert contract.check_stream(iter([snapshot]), login={"agent_id": None}, logout=True) == []
    assert contract.check_stream((snapshot,), logout=True) == []
