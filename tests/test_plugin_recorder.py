"""The cti_recorder fixture as a connector team uses it: teardown checks, messages, escapes."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

CONNECTOR = """
import datetime
import pytest

class MyConnector:
    def __init__(self, state="READY"):
        self.state = state

    def login(self, agent_id, password, extension, forward_event):
        event = {"pyEventType": "AgentStateEvent", "pyEventName": "Login"}
        forward_event(event)
        event = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": agent_id, "pyThisDN": extension,
                 "pyAgentState": self.state, "pyLinkState": "CONNECTED", "pyDeviceState": "OPENED", "pyLines": []}
        forward_event(event)
        event["pyAgentState"] = "NotReady"  # connectors reuse dicts: the recorder kept what was forwarded

    def logout(self, forward_event):
        forward_event({"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "5501", "pyThisDN": "8808",
                       "pyAgentState": "Logout", "pyLinkState": "CONNECTED", "pyDeviceState": "CLOSED", "pyLines": []})
"""

TEST = """
def test_login_emits_snapshot(cti_recorder):
    connector = MyConnector(STATE)
    connector.login("5501", "secret", "8808", forward_event=cti_recorder)
    cti_recorder.expect_login(agent_id="5501", extension="8808")
    snap = cti_recorder.last("SnapshotEvent")
    assert snap["pyAgentState"] in ("Ready", "READY")
"""


def literal(text: str) -> str:
    """``text`` as an fnmatch pattern that matches only itself."""
    return re.sub(r"([\[\]*?])", r"[\1]", text)


EXPECTED = [
    "*_ ERROR at teardown of test_login_emits_snapshot _*",
    "cti_recorder (2 events forwarded) violates the Pega OpenCTI contract (profile: published) — 1 error:",
    literal(
        "  event #2 (SnapshotEvent) $.pyAgentState: 'READY' is not one of ['Ready', 'NotReady', 'Login', 'Logout', 'Busy', 'Unknown']"
        " (did you mean 'Ready'? enum values are case-sensitive) [S4]"
    ),
]


def write(pytester: pytest.Pytester, state: str = "READY", decorator: str = "") -> None:
    pytester.makepyfile(test_connector=CONNECTOR + TEST.replace("STATE", repr(state)).replace("def test_", decorator + "def test_"))


@pytest.mark.parametrize("args", [[], ["--assert=plain"]])
def test_ready_fails_in_teardown_naming_event_path_hint_and_rule(pytester: pytest.Pytester, args: list[str]) -> None:
    write(pytester)
    result = pytester.runpytest(*args)  # the same message under -n 2: see test_report_summary
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(EXPECTED)
    assert "Traceback" not in result.stdout.str()
    assert "recorder.py" not in result.stdout.str()


@pytest.mark.parametrize(
    ("state", "decorator", "ini", "args"),
    [
        ("Ready", "", "", []),
        ("READY", "@pytest.mark.cti(disable=['S4'])\n", "", []),
        ("READY", "", "", ["--cti-disable", "S4"]),
        ("READY", "", "cti_disable = S4", []),
    ],
    ids=["fixed", "marker", "option", "ini"],
)
def test_the_same_test_passes_when_fixed_or_disabled(
    pytester: pytest.Pytester, state: str, decorator: str, ini: str, args: list[str]
) -> None:
    write(pytester, state, decorator)
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.runpytest("--strict-markers", *args).assert_outcomes(passed=1)


def test_lifecycle_findings_fail_in_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_flow=CONNECTOR
        + """
def test_logout_without_snapshot(cti_recorder):
    MyConnector("Ready").login("5501", "pw", "9999", forward_event=cti_recorder)
    cti_recorder.expect_login(agent_id="5501", extension="8808")
    cti_recorder.expect_logout()

def test_logout_with_snapshot(cti_recorder):
    connector = MyConnector("Ready")
    connector.login("5501", "pw", "8808", forward_event=cti_recorder)
    cti_recorder.expect_login(agent_id="5501", extension="8808")
    connector.logout(cti_recorder)
    cti_recorder.expect_logout()
"""
    )
    result = pytester.runpytest("--assert=plain", "-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*— 1 error, 1 warning:",
            "  end of stream $: no Snapshot with pyAgentState 'Logout' was forwarded after logout*[[]L2]",
            "  warning: event #2 (SnapshotEvent) $.pyThisDN: pyThisDN is '9999' but login was called with '8808'*[[]L4]",
        ]
    )


def test_not_serialisable_values_fail_at_their_path(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import datetime

        def test_datetime(cti_recorder):
            cti_recorder({"pyEventType": "CallStateEvent", "pyEventName": "Alerting", "pyCallId": "c1",
                          "when": datetime.datetime(2024, 5, 1, 12, 0)})
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "  event #1 (CallStateEvent) $.when: a datetime is not JSON-serialisable (send an ISO 8601 string, e.g. value.isoformat()) [[]json.not_serializable]"
        ]
    )


def test_a_failing_test_is_not_also_checked_at_teardown(pytester: pytest.Pytester) -> None:
    write(pytester)
    pytester.makepyfile(
        test_more="""
        import pytest

        def test_fails_first(cti_recorder):
            cti_recorder({"pyEventType": "SnapshotEvent", "pyAgentState": "READY"})
            assert False, "connector crashed"

        @pytest.mark.skip(reason="later")
        def test_skipped(cti_recorder):
            pass
        """
    )
    result = pytester.runpytest("test_more.py")
    result.assert_outcomes(failed=1, skipped=1)


XFAIL_SUITE = """
import pytest
from pytest_snapshot_cti import ContractViolationError

BAD = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentState": "READY"}
GOOD = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentState": "Ready"}

@pytest.mark.xfail(strict=True, reason="the READY bug")
def test_known_bug(cti_recorder):
    cti_recorder(BAD)

@pytest.mark.xfail(reason="the READY bug")
def test_known_bug_not_strict(cti_recorder):
    cti_recorder(BAD)

@pytest.mark.xfail(strict=True, raises=ContractViolationError, reason="the READY bug")
def test_known_bug_raises(cti_recorder):
    cti_recorder(BAD)

@pytest.mark.xfail(strict=True, raises=KeyError, reason="another bug")
def test_other_bug(cti_recorder):
    cti_recorder(BAD)

@pytest.mark.xfail(strict=True, reason="the READY bug")
def test_bug_fixed(cti_recorder):
    cti_recorder(GOOD)

def test_unmarked(cti_recorder):
    cti_recorder(BAD)
"""


@pytest.mark.parametrize("args", [[], ["--assert=plain"], ["-n", "2"]])
def test_an_xfail_test_is_checked_in_its_call_so_recorder_findings_xfail(pytester: pytest.Pytester, args: list[str]) -> None:
    pytester.makepyfile(test_bugs=XFAIL_SUITE)
    run = pytester.runpytest_subprocess if "-n" in args else pytester.runpytest
    result = run("-p", "no:randomly", "-rxXfE", *args)
    result.assert_outcomes(xfailed=3, failed=2, passed=1, errors=1)  # test_unmarked: passed, then an error at teardown
    result.stdout.fnmatch_lines_random(
        [
            "XFAIL test_bugs.py::test_known_bug - the READY bug",
            "XFAIL test_bugs.py::test_known_bug_not_strict - the READY bug",
            "XFAIL test_bugs.py::test_known_bug_raises - the READY bug",
            "FAILED test_bugs.py::test_other_bug - pytest_snapshot_cti.ContractViolationEr*",
            "FAILED test_bugs.py::test_bug_fixed*",  # pytest 9 adds " - [XPASS(strict)] the READY bug"
            "ERROR test_bugs.py::test_unmarked - Failed: cti_recorder (1 event forwarded)*",
        ]
    )
    result.stdout.fnmatch_lines(["*_ test_bug_fixed _*", "[[]XPASS(strict)] the READY bug"])
    result.stdout.fnmatch_lines(
        [
            "*_ test_other_bug _*",
            "cti_recorder (1 event forwarded) violates the Pega OpenCTI contract (profile: published) — 1 error:",
            "  event #1 (SnapshotEvent) $.pyAgentState: 'READY' is not one of *[[]S4]",
        ]
    )
    # the unmarked test's findings count as usual; the xfail tests' findings are tallied apart
    result.stdout.fnmatch_lines(["findings: 5 errors, 0 warnings (S4 5)", "  of which in tests marked xfail: 4 errors, 0 warnings"])
    assert "XFAIL at teardown" not in result.stdout.str()
    assert "Traceback" not in result.stdout.str()
    assert "plugin.py" not in result.stdout.str()


def test_assert_valid_inside_the_test_and_warnings(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from pytest_snapshot_cti import ContractViolationError

        def test_midway(cti_recorder):
            cti_recorder({"pyEventType": "SnapshotEvent", "pyEventName": "Snap", "pyAgentState": "Ready"})
            found = cti_recorder.assert_valid()
            assert [v.rule for v in found] == ["S2"]

        @pytest.mark.cti(fail_on_warnings=True)
        def test_midway_strict(cti_recorder):
            cti_recorder({"pyEventType": "SnapshotEvent", "pyEventName": "Snap", "pyAgentState": "Ready"})
            with pytest.raises(ContractViolationError):
                cti_recorder.assert_valid()
            cti_recorder.clear()
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_cti_contract_fixture_validates_with_the_configured_profile(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from pytest_snapshot_cti import assert_valid_snapshot

        EVENT = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentState": "Ready"}

        def test_published(cti_contract):
            assert cti_contract.is_valid(EVENT)

        @pytest.mark.cti(profile="strict")
        def test_strict(cti_contract):
            assert not cti_contract.is_valid(EVENT)
            with pytest.raises(AssertionError, match="S5"):
                assert_valid_snapshot(EVENT, contract=cti_contract)
        """
    )
    pytester.runpytest("--strict-markers").assert_outcomes(passed=2)
