"""Findings never vanish and read in one look (pytester runs, serial, xdist and --assert=plain).

- warnings are listed in a "contract warnings" section (test id, event, message; identical ones folded);
- a test that failed for its own reason shows its recorder's findings as a report section;
- identical findings on several events are one line of the failure message;
- a dict reused between forwards is named as the likely cause, once;
- the per-type tally counts pyEventType as written.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

SUITE = """
import pytest
from pytest_snapshot_cti import validate_event

SNAP = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "5501", "pyAgentState": "Ready", "pyThisDN": "8808",
        "pyLinkState": "CONNECTED", "pyDeviceState": "OPENED", "pyLines": []}

def test_reason_codes(cti_recorder):
    cti_recorder({**SNAP, "pyReasonCode": "7"})
    cti_recorder({**SNAP, "pyReasonCode": "7"})

def test_helper_three_times():
    for _ in range(3):
        validate_event({**SNAP, "pyEventName": "Ready"})

def test_numeric_call_ids(cti_recorder):
    cti_recorder(SNAP)
    for name in ("Alerting", "Established", "Held"):
        cti_recorder({"pyEventType": "CallStateEvent", "pyEventName": name, "pyCallId": 4953})
        if name == "Established":
            cti_recorder({"pyEventType": "AgentStateEvent", "pyEventName": "Ready"})

def test_fails_first(cti_recorder):
    cti_recorder({**SNAP, "pyAgentState": "READY"})
    assert 1 == 2
"""
CAPTURE = "\n".join(
    json.dumps(event)
    for event in (
        {"pyEventType": "SnapshotEvent", "pyEventName": "Snap", "pyAgentId": "1", "pyThisDN": "2", "pyAgentState": "Ready"},
        {"pyEventType": "SnapshotEvent", "pyEventName": "Snap", "pyAgentId": "1", "pyThisDN": "2", "pyAgentState": "Ready"},
    )
)

C4 = (
    "$.pyReasonCode: reason code '7' with pyAgentState 'Ready': reason codes belong to NotReady and Logout "
    "(send '' (or '0') unless the agent is NotReady or logging out) [C4]"
)
S2_READY = (
    "$.pyEventName: a Snapshot is expected to have pyEventName 'Snapshot', got 'Ready' "
    "(Pega's only example is 'Snapshot'; agent states belong in pyAgentState) [S2]"
)
S2_SNAP = S2_READY.replace("'Ready'", "'Snap'")
WARNINGS_SECTION = [
    "session.cti.jsonl::contract: session.cti.jsonl:1, 2 " + S2_SNAP + " (2 times)",
    "test_suite.py::test_helper_three_times: SnapshotEvent " + S2_READY + " (3 times)",
    "test_suite.py::test_reason_codes: events #1, #2 (SnapshotEvent) " + C4 + " (2 times)",
]


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_suite=SUITE)
    pytester.makefile(".cti.jsonl", session=CAPTURE)
    return pytester.runpytest_subprocess("-p", "no:randomly", *args)


def section(result: pytest.RunResult, title: str) -> list[str]:
    lines = result.outlines
    start = next(i for i, line in enumerate(lines) if line.startswith("=") and f" {title} " in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(("=", "-", "Pega OpenCTI contract:")))
    return lines[start + 1 : end]


@pytest.mark.parametrize("args", [[], ["-n", "2"], ["--assert=plain"], ["-q"]])
def test_warnings_are_listed_by_test_with_event_and_message_folded(pytester: pytest.Pytester, args: list[str]) -> None:
    result = run(pytester, *args)
    result.assert_outcomes(passed=4, failed=1, errors=1)
    assert section(result, "contract warnings") == WARNINGS_SECTION


def test_the_warnings_section_is_absent_when_there_are_none(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_clean(cti_contract):\n    assert cti_contract.validate({'pyEventType': 'AgentStateEvent', 'pyEventName': 'Ready'}) == []\n")
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1)
    assert "contract warnings" not in result.stdout.str()


@pytest.mark.parametrize("args", [[], ["-n", "2"], ["--assert=plain"]])
def test_identical_findings_on_several_events_are_one_line(pytester: pytest.Pytester, args: list[str]) -> None:
    result = run(pytester, *args)
    out = result.stdout.str()
    assert (
        "cti_recorder (5 events forwarded) violates the Pega OpenCTI contract (profile: published) — 3 errors:\n"
        "  events #2, #3, #5 (CallStateEvent) $.pyCallId: 4953 is not of type 'string' (send identifiers as JSON strings: \"4953\") [S3]\n"
    ) in out


@pytest.mark.parametrize("args", [[], ["-n", "2"], ["--assert=plain"]])
def test_a_test_that_failed_first_still_shows_its_recorder_findings(pytester: pytest.Pytester, args: list[str]) -> None:
    result = run(pytester, "--cti-report", "report.json", *args)
    result.assert_outcomes(passed=4, failed=1, errors=1)  # one failure for test_fails_first: no second one at teardown
    result.stdout.fnmatch_lines(
        [
            "*_ test_fails_first _*",
            "test_suite.py:*: AssertionError",
            "*- cti_recorder findings (the test failed first; lifecycle rules not applied) -*",
            "cti_recorder (1 event forwarded) violates the Pega OpenCTI contract (profile: published) — 1 error:",
            "  event #1 (SnapshotEvent) $.pyAgentState: 'READY' is not one of *[[]S4]",
        ]
    )
    assert "ERROR at teardown of test_fails_first" not in result.stdout.str()
    report = json.loads((pytester.path / "report.json").read_text(encoding="utf-8"))
    assert report["findings"]["by_rule"]["S4"] == {"error": 1, "warning": 0}  # counted in the run's findings too


REUSED = """
SNAP = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "5501", "pyAgentState": "Busy", "pyThisDN": "8808",
        "pyLinkState": "CONNECTED", "pyDeviceState": "OPENED", "pyLines": [{"pyCallId": "4953", "pyLineState": "Alerting"}]}

def test_one_dict_for_every_forward(cti_recorder):
    event = dict(SNAP)
    cti_recorder(event)
    for name in ("Alerting", "Established", "Held", "Retrieved"):
        event.update({"pyEventType": "CallStateEvent", "pyEventName": name, "pyCallId": "4953", "pyCallType": "INBOUND"})
        cti_recorder(event)
"""


@pytest.mark.parametrize("args", [[], ["-n", "2"], ["--assert=plain"]])
def test_a_dict_reused_between_forwards_is_named_once(pytester: pytest.Pytester, args: list[str]) -> None:
    pytester.makepyfile(REUSED)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "--cti-profile", "strict", *args)
    result.assert_outcomes(passed=1, errors=1)
    out = result.stdout.str()
    cause = (
        "  likely cause: events #2, #3, #4, #5 (CallStateEvent) carries Snapshot fields and pyEventType 'CallStateEvent': "
        "is one dict reused between forwards? (stale keys: pyAgentState, pyDeviceState, pyLines, pyLinkState)"
    )
    assert out.count("is one dict reused between forwards?") == 1
    assert cause in result.outlines
    head = next(i for i, line in enumerate(result.outlines) if line.startswith("cti_recorder (5 events forwarded)"))
    assert result.outlines[head + 1] == cause  # the cause first, then the findings it explains


def test_the_tally_counts_pyeventtype_as_written(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(REUSED)
    result = pytester.runpytest("-p", "no:randomly", "--cti-report", "report.json")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["events checked: 5 (CallStateEvent 4, SnapshotEvent 1)"])
    report = json.loads((pytester.path / "report.json").read_text(encoding="utf-8"))
    assert report["events"]["by_type"] == {"CallStateEvent": 4, "SnapshotEvent": 1}
