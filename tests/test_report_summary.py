"""Terminal summary, contract coverage and the --cti-report JSON: serial and under xdist alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_snapshot_cti import ContractCoverage, Violation, load_contract

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

SUITE = {
    "test_connector": """
import pytest
from pytest_snapshot_cti import validate_event

BASE = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "5501", "pyThisDN": "8808",
        "pyLinkState": "CONNECTED", "pyDeviceState": "OPENED", "pyLines": []}

@pytest.mark.parametrize("state", ["Ready", "NotReady", "Login", "Logout", "Busy"])
def test_states(cti_recorder, state):
    lines = [{"pyCallId": "c1", "pyLineState": "Connected"}] if state == "Busy" else []
    reason = "7" if state in ("NotReady", "Logout") else ""
    cti_recorder({**BASE, "pyAgentState": state, "pyLines": lines, "pyReasonCode": reason})

def test_bad_case(cti_recorder):
    cti_recorder({**BASE, "pyAgentState": "READY"})

def test_helper(cti_contract):
    assert not validate_event({"pyEventType": "CallStateEvent", "pyEventName": "Alerting", "pyCallId": "c9", "pyCallType": "INBOUND"})
    assert cti_contract.is_valid({"pyEventType": "AgentStateEvent", "pyEventName": "Ready", "pyWorkMode": "MODE_AUTO_IN"})
""",
}
CAPTURE = "\n".join(
    [
        json.dumps({"pyEventType": "AgentStateEvent", "pyEventName": "Login"}),
        json.dumps({"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "1", "pyThisDN": "2", "pyAgentState": "Ready"}),
        "{oops",
    ]
)
SUMMARY = [
    "*= Pega OpenCTI contract =*",
    "events checked: 11 (SnapshotEvent 7, AgentStateEvent 2, CallStateEvent 1, unreadable 1)",
    "  9 valid, 1 invalid, 1 unreadable",
    "findings: 2 errors, 0 warnings (S4 1, json.syntax 1)",
    "coverage (enum values exercised):",
    "  pyAgentState                5/6 — never: Unknown",
    "  pyDeviceState               1/2 — never: CLOSED",
    "  pyEventType                 3/5 — never: PartyInfoEvent, CallInfoEvent",
    "  pyLinkState                 1/2 — never: DISCONNECTED",
    "  pyLines[].pyLineState       1/6 — never: None, Alerting, Holding, Retrieved, Initiate",
    "  AgentStateEvent.pyEventName 2/5 — never: NotReady, Logout, Unknown",
    "  AgentStateEvent.pyWorkMode  1/6 — never: MODE_NONE, MODE_MANUAL_IN, ACW, BUSY, AUX_WORK",
    "  CallStateEvent.pyCallType   1/5 — never: INTERNAL, OUTBOUND, CONSULT, UNKNOWN",
    "  CallStateEvent.pyEventName  1/9 — never: Abandoned, Connected, Disconnected, Established, Held, Initiated, Offering, Retrieved",
]


def make_suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(**SUITE)
    pytester.makefile(".cti.jsonl", session=CAPTURE)


def test_summary_serial_and_plain(pytester: pytest.Pytester) -> None:
    make_suite(pytester)
    for args in ([], ["--assert=plain"], ["-v"]):
        result = pytester.runpytest("-p", "no:randomly", *args)
        result.assert_outcomes(passed=7, failed=1, errors=1)
        result.stdout.fnmatch_lines(SUMMARY)


@pytest.mark.parametrize("xdist", [[], ["-n", "2"]])
def test_q_shortens_the_summary_to_one_line_and_qq_hides_it(pytester: pytest.Pytester, xdist: list[str]) -> None:
    make_suite(pytester)
    quiet = pytester.runpytest_subprocess("-p", "no:randomly", "-q", *xdist)
    quiet.assert_outcomes(passed=7, failed=1, errors=1)
    lines = [line for line in quiet.outlines if line.startswith("Pega OpenCTI contract") or "events checked" in line]
    assert lines == ["Pega OpenCTI contract: 11 events checked (9 valid, 1 invalid, 1 unreadable), 2 errors, 0 warnings"]
    assert "coverage (enum values exercised):" not in quiet.stdout.str()
    quieter = pytester.runpytest_subprocess("-p", "no:randomly", "-qq", "--cti-report", "r.json", *xdist)
    assert quieter.ret == pytest.ExitCode.TESTS_FAILED
    assert not [line for line in quieter.outlines if line.startswith("Pega OpenCTI contract") or "= Pega OpenCTI contract =" in line]
    assert "events checked" not in quieter.stdout.str()
    assert json.loads((pytester.path / "r.json").read_text(encoding="utf-8"))["events"]["total"] == 11  # still written


def test_serial_and_xdist_reports_are_identical(pytester: pytest.Pytester) -> None:
    make_suite(pytester)
    serial = pytester.runpytest("--cti-report", "out/serial.json")
    serial.assert_outcomes(passed=7, failed=1, errors=1)
    parallel = pytester.runpytest_subprocess("-n", "2", "--cti-report", "out/xdist.json")
    parallel.assert_outcomes(passed=7, failed=1, errors=1)
    for result in (serial, parallel):
        result.stdout.fnmatch_lines(
            [
                "*_ ERROR at teardown of test_bad_case _*",
                "cti_recorder (1 event forwarded) violates the Pega OpenCTI contract (profile: published) — 1 error:",
                "  event #1 (SnapshotEvent) $.pyAgentState: 'READY' is not one of *(did you mean 'Ready'? *) [[]S4]",
            ]
        )
        result.stdout.fnmatch_lines(
            ["  session.cti.jsonl:3 $: not valid JSON: *[[]json.syntax]", "3 events: 2 valid, 0 invalid, 1 unreadable"]
        )
    parallel.stdout.fnmatch_lines(["cti: profile published, contracts bundled (sha256 *), disabled: none"])
    parallel.stdout.fnmatch_lines([*SUMMARY, "contract report written to */out/xdist.json"])
    report = json.loads((pytester.path / "out/serial.json").read_text(encoding="utf-8"))
    assert report == json.loads((pytester.path / "out/xdist.json").read_text(encoding="utf-8"))
    assert (pytester.path / "out/serial.json").read_bytes() == (pytester.path / "out/xdist.json").read_bytes()
    assert report["events"] == {
        "total": 11,
        "valid": 9,
        "invalid": 1,
        "unreadable": 1,
        "by_type": {"AgentStateEvent": 2, "CallStateEvent": 1, "SnapshotEvent": 7},
    }
    assert report["findings"] == {
        "errors": 2,
        "warnings": 0,
        "by_rule": {"S4": {"error": 1, "warning": 0}, "json.syntax": {"error": 1, "warning": 0}},
    }
    agent_state = next(f for f in report["coverage"] if f["field"] == "pyAgentState")
    assert agent_state == {
        "event_type": "SnapshotEvent",
        "field": "pyAgentState",
        "path": ["pyAgentState"],
        "values": {"Ready": 2, "NotReady": 1, "Login": 1, "Logout": 1, "Busy": 1, "Unknown": 0},
        "exercised": 5,
        "total": 6,
        "never": ["Unknown"],
    }


def test_report_schema(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest("--cti-report=report.json", "--cti-profile=strict", "--cti-disable=C7")
    result.stdout.fnmatch_lines(["*= Pega OpenCTI contract =*", "no events were checked", "contract report written to *report.json"])
    report = json.loads((pytester.path / "report.json").read_text(encoding="utf-8"))
    assert list(report) == [
        "format",
        "version",
        "profile",
        "contracts",
        "disabled",
        "allow_extra",
        "fail_on_warnings",
        "events",
        "findings",
        "coverage",
    ]
    assert report["format"] == "pytest-snapshot-cti report"
    assert report["version"] == 1
    assert report["profile"] == "strict"
    assert report["contracts"] == {"source": "bundled", "sha256": load_contract().sha256}
    assert report["disabled"] == ["C7"]
    assert report["events"]["total"] == 0
    fields = [f["field"] for f in report["coverage"]]
    assert fields == [
        "pyAgentState",
        "pyDeviceState",
        "pyEventType",
        "pyLinkState",
        "pyLines[].pyLineState",
        "AgentStateEvent.pyEventName",
        "AgentStateEvent.pyWorkMode",
        "CallStateEvent.pyCallType",
        "CallStateEvent.pyEventName",
    ]
    assert all(f["exercised"] == 0 and len(f["never"]) == f["total"] for f in report["coverage"])


def test_coverage_fields_come_from_the_contract(tmp_path: Path) -> None:
    contract = load_contract()
    schema = contract.schema("snapshot")
    coverage = ContractCoverage(contract)
    expected = schema["properties"]["pyAgentState"]["enum"]
    (field,) = [f for f in coverage.fields if f.label == "pyAgentState"]
    assert list(field.values) == expected


def test_coverage_merge_equals_adding_everything_in_one() -> None:
    events = [
        {"pyEventType": "SnapshotEvent", "pyAgentState": "Ready", "pyLines": [{"pyLineState": "Holding"}, {"pyLineState": "Connected"}]},
        {"pyEventType": "AgentStateEvent", "pyEventName": "Logout"},
        {"pyEventType": "CallStateEvent", "pyEventName": "Held", "pyCallType": "CONSULT"},
        "not json",
        [1],
    ]
    finding = [Violation("S4", "error", "$.x", "m")]
    whole = ContractCoverage()
    for event in events:
        whole.add(event, finding if isinstance(event, list) else [])
    whole.add_unreadable(finding)
    left, right = ContractCoverage(), ContractCoverage()
    for n, event in enumerate(events):
        (left if n % 2 else right).add(event, finding if isinstance(event, list) else [])
    right.add_unreadable(finding)
    merged = ContractCoverage().merge(left.to_dict()).merge(right)
    assert merged.to_dict() == whole.to_dict()
    assert ContractCoverage.from_dict(json.loads(json.dumps(whole.to_dict()))).to_dict() == whole.to_dict()
    assert "pyLines[].pyLineState       2/6 — never: None, Alerting, Retrieved, Initiate" in whole.render_text()
    assert whole.by_type == {"SnapshotEvent": 1, "AgentStateEvent": 1, "CallStateEvent": 1, "(not an object)": 2}


def test_empty_coverage_is_falsy_and_quiet() -> None:
    coverage = ContractCoverage()
    assert not coverage
    assert coverage.to_dict()["coverage"] == []


def test_findings_in_xfail_tests_are_tallied_apart_and_merge() -> None:
    violation = Violation("S4", "error", "$.pyAgentState", "'READY' is not one of [...]")
    warning = Violation("C5", "warning", "$", "a Ready agent on a call")
    worker = ContractCoverage()
    worker.add_findings([violation])
    worker.xfail_test_running = True
    worker.add_findings([violation, warning])
    assert worker.to_dict()["findings"] == {
        "errors": 2,
        "warnings": 1,
        "by_rule": {"C5": {"error": 0, "warning": 1}, "S4": {"error": 2, "warning": 0}},
        "in_xfail_tests": {"errors": 1, "warnings": 1},
    }
    merged = ContractCoverage().merge(worker.to_dict()).merge(worker)
    assert merged.to_dict()["findings"]["in_xfail_tests"] == {"errors": 2, "warnings": 2}
    assert "  of which in tests marked xfail: 2 errors, 2 warnings" in merged.summary_lines()
    assert "in_xfail_tests" not in ContractCoverage().to_dict()["findings"]
