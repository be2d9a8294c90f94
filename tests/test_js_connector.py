"""cti_js_connector as a connector team uses it: a real Node host driving a pega.cti.desktopApi implementation.

Every test runs real Node (CI sets CTI_REQUIRE_NODE=1, so a missing Node fails instead of skipping).
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from pytest_snapshot_cti.js import find_node
from pytest_snapshot_cti.js.errors import NodeNotFoundError

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

DATA = Path(__file__).parent / "data" / "js"


@pytest.fixture(autouse=True)
def _node() -> None:
    try:
        find_node()
    except NodeNotFoundError as err:
        if os.environ.get("CTI_REQUIRE_NODE") == "1":
            pytest.fail(f"CTI_REQUIRE_NODE=1 but {err}", pytrace=False)
        pytest.skip(str(err))


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A connector project: src/acme.js (the implementation) and tests/fake_acd.js (the vendor stub)."""
    (pytester.path / "src").mkdir()
    (pytester.path / "tests").mkdir()
    shutil.copy(DATA / "acme.js", pytester.path / "src" / "acme.js")
    shutil.copy(DATA / "fake_acd.js", pytester.path / "tests" / "fake_acd.js")
    return pytester


def failure_section(result: pytest.RunResult, test: str) -> str:
    """What pytest printed for one failed test, between its header and the next one."""
    return re.split(r"\n(?:_{3,}|={3,}) ", result.stdout.str().split(f" {test} ___")[1].split("\n", 1)[1])[0].strip()


def write(pytester: pytest.Pytester, name: str, text: str) -> None:
    path = pytester.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


ACME = """
import pytest
from pytest_snapshot_cti import OpenCTIFailure

LINK = {"pyPrimaryHost": "acd"}

@pytest.fixture
def acme(cti_js_connector):
    return cti_js_connector("src/acme.js", implementation="pega.cti.desktopApi.acme", stubs=["tests/fake_acd.js"])
"""


def test_login_returns_what_success_got_and_events_reach_the_recorder_in_order(project: pytest.Pytester) -> None:
    project.makepyfile(
        ACME
        + """
def test_login(acme, cti_recorder):
    assert acme.call("login", "5501", "secret", "8808", LINK, {}) == {"agentId": "5501", "since": 1704099600000}
    acme.emit("acd.ring", "4953", "16175551212")
    assert [e["pyEventType"] for e in cti_recorder.events] == ["SnapshotEvent", "CallStateEvent", "SnapshotEvent"]
    assert cti_recorder.events[1] == {"pyEventType": "CallStateEvent", "pyEventName": "Alerting", "pyCallId": "4953",
                                      "pyCallType": "INBOUND", "pyANI": "16175551212"}
    assert cti_recorder.last("SnapshotEvent")["pyLines"] == [{"pyCallId": "4953", "pyLineState": "Alerting"}]
    acme.call("logout", "5501", "", {})

def test_two_connectors_in_one_test_share_the_node_process_and_the_recorder(cti_js_connector, cti_recorder):
    first = cti_js_connector("src/acme.js", stubs="tests/fake_acd.js")
    second = cti_js_connector("src/acme.js", stubs="tests/fake_acd.js")
    assert first.pid == second.pid
    first.call("login", "5501", "secret", "8808", LINK, {})
    second.call("login", "5502", "secret", "8809", LINK, {})
    assert [e["pyAgentId"] for e in cti_recorder.events] == ["5501", "5502"]
    cti_recorder.clear()

def test_the_implementation_is_found_when_only_one_is_registered(cti_js_connector):
    acme = cti_js_connector("src/acme.js", stubs="tests/fake_acd.js")
    assert acme.implementation == "pega.cti.desktopApi.acme"
    assert {"login", "logout", "answerCall"} <= set(acme.methods)
"""
    )
    project.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


def test_a_successful_login_and_logout_enable_the_lifecycle_rules(project: pytest.Pytester) -> None:
    write(
        project,
        "src/agent_first.js",
        """
        pega.cti.desktopApi.first = function () {};
        pega.cti.desktopApi.first.prototype.login = function (agent, pwd, ext, link, options, success, failure, forwardEvent) {
          forwardEvent({ pyEventType: "AgentStateEvent", pyEventName: "Ready" });
          success();
        };
        pega.cti.desktopApi.first.prototype.logout = function (agent, reason, options, success) { success(); };
        """,
    )
    project.makepyfile(
        """
def test_login_and_logout(cti_js_connector):
    first = cti_js_connector("src/agent_first.js")
    first.call("login", "5501", "secret", "8808", {}, {})
    first.call("logout", "5501", "", {})
"""
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*event #1 (AgentStateEvent) $.pyEventType: AgentStateEvent forwarded after login before any Snapshot*[[]L1[]]",
            "*end of stream $: no Snapshot with pyAgentState 'Logout' was forwarded after logout*[[]L2[]]",
        ]
    )


def test_failure_raises_opencti_failure_with_code_and_message(project: pytest.Pytester) -> None:
    project.makepyfile(
        ACME
        + """
def test_logged_in_elsewhere(acme):
    acme.call("login", "5501", "secret", "8808", LINK, {})
    with pytest.raises(OpenCTIFailure) as failed:
        acme.call("answerCall", "9999", {})
    assert failed.value.err_code == "OPENCTI_CF_INVALID_OBJECT_STATE"
    assert failed.value.errMessage == "No call 9999 is ringing."
    assert str(failed.value) == "answerCall() failed: OPENCTI_CF_INVALID_OBJECT_STATE: No call 9999 is ringing."

def test_uncaught_failure_fails_the_test(acme):
    acme.call("answerCall", "9999", {})
"""
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*OpenCTIFailure: answerCall() failed: OPENCTI_CF_INVALID_OBJECT_STATE: No call 9999 is ringing."])


BROKEN_ERRORS = """
pega.cti.desktopApi.broken = function () {};
pega.cti.desktopApi.broken.prototype.makeCall = function (destination, options, success, failure) {
  if (destination === "string") failure("destination busy");
  else if (destination === "none") failure();
  else if (destination === "number") failure({ errCode: 486, errMessage: "Busy Here" });
  else if (destination === "vendor") failure({ errCode: "ACME_TRUNK_DOWN", errMessage: "All trunks are down." });
  else if (destination === "case") failure({ errCode: "opencti_dest_busy", errMessage: "Busy." });
  else failure({ errCode: "OPENCTI_DEST_BUSY", errMessage: "The call attempted is to a busy destination." });
};
"""


@pytest.mark.parametrize("args", [[], ["--assert=plain"]])
def test_a_malformed_error_object_fails_the_test_even_when_the_failure_is_caught(project: pytest.Pytester, args: list[str]) -> None:
    write(project, "src/broken.js", BROKEN_ERRORS)
    project.makepyfile(
        """
import pytest
from pytest_snapshot_cti import OpenCTIFailure

@pytest.mark.parametrize("destination", ["string", "none", "number", "vendor", "case", "documented"])
def test_make_call(cti_js_connector, destination):
    broken = cti_js_connector("src/broken.js")
    with pytest.raises(OpenCTIFailure):
        broken.call("makeCall", destination, {})
"""
    )
    result = project.runpytest("-p", "no:randomly", "-rA", *args)
    result.assert_outcomes(passed=6, errors=3)
    result.stdout.fnmatch_lines_random(
        [
            "*failure of makeCall() $: failure was called with a string ('destination busy') instead of an error object {errCode, errMessage}*[[]F1[]]",
            "*failure of makeCall() $: failure was called with no argument instead of an error object*[[]F1[]]",
            "*failure of makeCall() $.errCode: errCode is 486 (a number), not a string*[[]F2[]]",
        ]
    )
    out = result.stdout.str()
    # a vendor code is a warning: the test passes, and the code is listed once, in the contract warnings section
    assert [line.split(": ", 1)[0] for line in result.outlines if "ACME_TRUNK_DOWN" in line] == [
        "test_a_malformed_error_object_fails_the_test_even_when_the_failure_is_caught.py::test_make_call[vendor]"
    ]
    assert out.index("contract warnings") < out.index("ACME_TRUNK_DOWN")
    assert "[F2]" in result.stdout.str()
    assert "[F3]" not in result.stdout.str()


def test_vendor_codes_are_warnings_with_a_near_miss_hint(project: pytest.Pytester) -> None:
    write(project, "src/broken.js", BROKEN_ERRORS)
    project.makepyfile(
        """
import pytest
from pytest_snapshot_cti import OpenCTIFailure

@pytest.mark.cti(fail_on_warnings=True)
@pytest.mark.parametrize("destination", ["vendor", "case"])
def test_make_call(cti_js_connector, destination):
    with pytest.raises(OpenCTIFailure):
        cti_js_connector("src/broken.js").call("makeCall", destination, {})

@pytest.mark.cti(fail_on_warnings=True, disable=["F4"])
def test_disabled(cti_js_connector):
    with pytest.raises(OpenCTIFailure):
        cti_js_connector("src/broken.js").call("makeCall", "vendor", {})
"""
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=3, errors=2)
    result.stdout.fnmatch_lines_random(
        [
            "*warning: failure of makeCall() $.errCode: errCode 'ACME_TRUNK_DOWN' is not one of Pega Call's documented default error codes (vendor codes are allowed*[[]F4[]]",
            "*errCode 'opencti_dest_busy' is not one of*(did you mean 'OPENCTI_DEST_BUSY'?) [[]F4[]]",
        ]
    )


def test_a_malformed_error_object_in_an_xfail_test_is_an_expected_failure(project: pytest.Pytester) -> None:
    write(project, "src/broken.js", BROKEN_ERRORS)
    project.makepyfile(
        """
import pytest
from pytest_snapshot_cti import ContractViolationError, OpenCTIFailure

@pytest.mark.xfail(strict=True, raises=ContractViolationError, reason="F1: failure gets a bare string")
def test_known_bug(cti_js_connector):
    with pytest.raises(OpenCTIFailure):
        cti_js_connector("src/broken.js").call("makeCall", "string", {})

@pytest.mark.xfail(strict=True, reason="fixed")
def test_fixed(cti_js_connector):
    with pytest.raises(OpenCTIFailure):
        cti_js_connector("src/broken.js").call("makeCall", "documented", {})
"""
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(xfailed=1, failed=1)
    result.stdout.fnmatch_lines(["*XPASS(strict)*fixed*"])


def test_a_callback_called_twice_is_reported(project: pytest.Pytester) -> None:
    write(
        project,
        "src/twice.js",
        """
        pega.cti.desktopApi.twice = function () {};
        pega.cti.desktopApi.twice.prototype.holdCall = function (callId, options, success, failure) {
          success();
          setTimeout(function () { failure({ errCode: "OPENCTI_CF_GENERIC_OPERATION", errMessage: "late" }); }, 100);
        };
        """,
    )
    project.makepyfile(
        """
import pytest

@pytest.mark.cti(profile="strict")
def test_hold(cti_js_connector):
    twice = cti_js_connector("src/twice.js")
    twice.call("holdCall", "4953", {})
    twice.advance(1)
"""
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*holdCall() $: holdCall() answered twice: success, then failure (call success or failure once per request) [[]F5[]]"])


def test_no_answer_is_a_timeout_naming_the_function_and_a_slow_vendor_is_waited_for(project: pytest.Pytester) -> None:
    write(
        project,
        "src/silent.js",
        """
        pega.cti.desktopApi.silent = function () {};
        pega.cti.desktopApi.silent.prototype.agentReady = function (agentId, workMode, options, success, failure) {};
        """,
    )
    project.makepyfile(
        ACME
        + """
from pytest_snapshot_cti import JsTimeoutError

def test_silent(cti_js_connector):
    silent = cti_js_connector("src/silent.js")
    with pytest.raises(TimeoutError, match=r"^agentReady\\(\\) called neither success nor failure within 2 s \\(the connector's clock ran on 2 s\\)"):
        silent.call("agentReady", "5501", "MODE_AUTO_IN", {}, timeout=2)

def test_slow_vendor(acme):
    acme.emit("eval", "acd.latency = 1500")
    assert acme.call("login", "5501", "secret", "8808", LINK, {}) == {"agentId": "5501", "since": 1704099601500}

def test_slower_than_the_timeout(acme):
    acme.emit("eval", "acd.latency = 1500")
    with pytest.raises(JsTimeoutError, match="login"):
        acme.call("login", "5501", "secret", "8808", LINK, {}, timeout=1)
"""
    )
    project.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


def test_emit_get_and_advance_drive_the_vendor_side_and_the_fake_clock(project: pytest.Pytester) -> None:
    write(
        project,
        "tests/clock.js",
        """
        const ticks = [];
        let beats = 0;
        const clock = {
          start() {
            setTimeout(function (label) { ticks.push(label + "@" + (Date.now() - 1704099600000)); }, 1500, "once");
            setInterval(function () { beats += 1; }, 1000);
            setTimeout(function () { ticks.push("first@" + performance.now()); }, 500);
            return Promise.resolve(42).then(function (value) { return value + 1; });
          },
          state() { return { ticks: ticks, beats: beats, now: new Date().toISOString() }; },
        };
        """,
    )
    project.makepyfile(
        ACME
        + """
def test_clock(cti_js_connector):
    acme = cti_js_connector("src/acme.js", stubs=["tests/fake_acd.js", "tests/clock.js"])
    assert acme.emit("clock.start") == 43  # a promise settled within the call is awaited
    acme.advance(2.0)
    assert acme.emit("clock.state") == {"ticks": ["first@500", "once@1500"], "beats": 2, "now": "2024-01-01T09:00:02.000Z"}
    acme.advance(0.999)
    assert acme.get("beats") == 2
    acme.advance(0.001)
    assert acme.get("beats") == 3
    assert acme.get("acd.requests") == []

def test_bad_paths(acme):
    with pytest.raises(AttributeError, match=r"acd.nothing\\(\\): acd.nothing is not defined"):
        acme.emit("acd.nothing")
    with pytest.raises(AttributeError, match=r"acd.latency is a number, not a function"):
        acme.emit("acd.latency")
    with pytest.raises(AttributeError, match=r"has no method answerCal\\(\\) \\(its methods: answerCall, login, logout, snapshot\\)"):
        acme.call("answerCal", "1", {})
    with pytest.raises(ValueError, match="advance"):
        acme.advance(-1)
    with pytest.raises(TypeError, match="JSON"):
        acme.emit("acd.ring", object())
"""
    )
    project.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_console_error_fails_the_test_with_its_location_and_console_log_is_captured(project: pytest.Pytester) -> None:
    write(
        project,
        "src/noisy.js",
        """
        pega.cti.desktopApi.noisy = function () {};
        pega.cti.desktopApi.noisy.prototype.agentReady = function (agentId, workMode, options, success, failure) {
          console.log("agentReady", agentId, { workMode: workMode });
          report("vendor said no");
          success();
        };
        function report(text) {
          console.error("ACD error:", text);
        }
        """,
    )
    project.makepyfile(
        """
def test_noisy(cti_js_connector):
    noisy = cti_js_connector("src/noisy.js")
    noisy.call("agentReady", "5501", "MODE_AUTO_IN", {})
    assert [str(line) for line in noisy.console] == [
        "console.log: agentReady 5501 { workMode: 'MODE_AUTO_IN' } (src/noisy.js:4:11)",
        "console.error: ACD error: vendor said no (src/noisy.js:9:11)",
    ]

def test_accepted(cti_js_connector):
    noisy = cti_js_connector("src/noisy.js")
    noisy.call("agentReady", "5501", "MODE_AUTO_IN", {})
    noisy.console.clear()  # this test expects the error
"""
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_noisy*",
            "*src/noisy.js:9:11 console.error: ACD error: vendor said no (at report (src/noisy.js:9:11) ← at *agentReady (src/noisy.js:5:3)) [[]js.console_error[]]",
            "*Captured stdout call*",
            "*console.log: agentReady 5501*",
        ]
    )


def test_uncaught_exceptions_fail_the_test_with_the_javascript_stack(project: pytest.Pytester) -> None:
    write(
        project,
        "src/crashy.js",
        """
        pega.cti.desktopApi.crashy = function () {};
        pega.cti.desktopApi.crashy.prototype.hangUpCall = function (callId, options, success, failure) {
          success();
          return this.lines[callId];
        };
        pega.cti.desktopApi.crashy.prototype.holdCall = function (callId, options, success, failure) {
          setTimeout(function () { undefined.hold(); }, 10);
          success();
        };
        pega.cti.desktopApi.crashy.prototype.retrieveCall = function (callId, options, success, failure) {
          Promise.resolve().then(function () { throw new RangeError("no such line " + callId); });
          success();
        };
        """,
    )
    project.makepyfile(
        """
import pytest
from pytest_snapshot_cti.js import JsError

def test_throws(cti_js_connector):
    cti_js_connector("src/crashy.js").call("hangUpCall", "4953", {})

def test_timer(cti_js_connector):
    crashy = cti_js_connector("src/crashy.js")
    crashy.call("holdCall", "4953", {})
    crashy.advance(1)

def test_rejection(cti_js_connector):
    crashy = cti_js_connector("src/crashy.js")
    with pytest.raises(JsError) as raised:
        crashy.call("retrieveCall", "4953", {})
    assert raised.value.where == "src/crashy.js:12:46"
    assert raised.value.name == "RangeError"
"""
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*JsError: hangUpCall() threw: TypeError: Cannot read properties of undefined (reading '4953')",
            "*    at *hangUpCall (src/crashy.js:5:20)",
            "*JsError: uncaught during advance(1): TypeError: Cannot read properties of undefined (reading 'hold')",
            "*    at src/crashy.js:8:38",
        ]
    )


def test_a_syntax_error_is_one_line_with_file_and_line(project: pytest.Pytester) -> None:
    write(project, "src/typo.js", "pega.cti.desktopApi.typo = function () {\n  this.lines = [;\n};\n")
    project.makepyfile(
        """
def test_typo(cti_js_connector):
    cti_js_connector("src/typo.js")
"""
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    assert failure_section(result, "test_typo") == "src/typo.js:2:17: SyntaxError: Unexpected token ';'"


@pytest.mark.parametrize(
    ("call", "line"),
    [
        ('cti_js_connector("src/nothere.js")', "src/nothere.js: no such file (relative paths are read from *)"),
        ('cti_js_connector("src/acme.js", implementation="pega.cti.desktopApi.acmee")', "pega.cti.desktopApi.acmee is not defined after loading src/acme.js (defined: pega.cti.desktopApi.acme)"),
        ('cti_js_connector("tests/fake_acd.js")', 'name the implementation (implementation="pega.cti.desktopApi.<name>"): they registered nothing under pega.cti.desktopApi'),
        ('cti_js_connector("src/throws.js")', "loading src/throws.js: Error: no vendor SDK"),
        ('cti_js_connector("src/spin.js", timeout=0.5)', "src/spin.js did not finish loading (an endless loop?)"),
    ],
)
def test_set_up_problems_are_one_located_line(project: pytest.Pytester, call: str, line: str) -> None:
    write(project, "src/throws.js", 'if (typeof vendorSdk === "undefined") throw new Error("no vendor SDK");\n')
    write(project, "src/spin.js", "for (;;) {}\n")
    project.makepyfile(f"def test_setup(cti_js_connector):\n    {call}\n")
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    assert fnmatch.fnmatch(failure_section(result, "test_setup").splitlines()[0], line)
    assert "Traceback" not in result.stdout.str()


def test_what_json_cannot_carry_is_a_finding_at_its_path_and_the_host_survives(project: pytest.Pytester) -> None:
    write(
        project,
        "src/sloppy.js",
        """
        pega.cti.desktopApi.sloppy = function () {};
        pega.cti.desktopApi.sloppy.prototype.login = function (agent, pwd, ext, link, options, success, failure, forwardEvent) {
          const snapshot = { pyEventType: "SnapshotEvent", pyEventName: "Snapshot", pyAgentId: agent, pyThisDN: ext,
                             pyAgentState: "Ready", pyLinkState: "CONNECTED", pyDeviceState: "OPENED",
                             pyLines: [{ pyCallId: undefined, pyLineState: "None" }, { pyCallId: "1", pyLineState: "None", onHold: function () {} }],
                             pyReasonCode: NaN, pyQueue: new Map([["a", 1]]), pyCount: 10n, pyWhen: new Date(0) };
          snapshot.self = snapshot;
          forwardEvent(snapshot);
          forwardEvent(undefined);
          success();
        };
        """,
    )
    project.makepyfile(
        """
def test_sloppy(cti_js_connector, cti_recorder):
    sloppy = cti_js_connector("src/sloppy.js")
    sloppy.call("login", "5501", "x", "8808", {}, {})
    assert cti_recorder.events[0]["pyWhen"] == "1970-01-01T00:00:00.000Z"
    assert cti_recorder.events[0]["pyLines"][0] == {"pyLineState": "None"}
    sloppy.call("login", "5501", "x", "8808", {}, {})  # the host is still there
"""
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines_random(
        [
            "*events #1, #3 (SnapshotEvent) $.pyLines[[]0[]].pyCallId: undefined is not JSON: JSON.stringify drops the property*[[]json.not_serializable[]]",
            "*events #1, #3 (SnapshotEvent) $.pyLines[[]1[]].onHold: a function is not JSON: JSON.stringify drops the property*",
            "*events #1, #3 (SnapshotEvent) $.pyReasonCode: NaN is not valid JSON: JSON.stringify writes null*",
            "*events #1, #3 (SnapshotEvent) $.pyQueue: a Map is not JSON: JSON.stringify writes {} and loses what it holds*",
            "*events #1, #3 (SnapshotEvent) $.pyCount: a BigInt (10n) is not JSON: JSON.stringify throws on it*",
            "*events #1, #3 (SnapshotEvent) $.self: a cycle: the value contains itself, and JSON.stringify throws on it*",
            "*events #2, #4 (event without pyEventType) $: undefined is not JSON: JSON.stringify writes nothing at all*",
        ]
    )


def test_json_text_forwarded_by_an_embedded_connector_is_parsed_strictly(project: pytest.Pytester) -> None:
    write(
        project,
        "src/embedded.js",
        """
        pega.cti.desktopApi.embedded = function () {};
        pega.cti.desktopApi.embedded.prototype.makeCall = function (destination, options, success, failure) {
          pega.cti.embeddedEventHandler.applyCallTreatment('{"pyEventType": "CallStateEvent", "pyEventName": "Initiated", "pyCallId": "7", "pyCallId": "8"}');
          success();
        };
        """,
    )
    project.makepyfile(
        """
def test_embedded(cti_js_connector):
    cti_js_connector("src/embedded.js").call("makeCall", "16175551212", {})
"""
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*event #1 (event without pyEventType) $: duplicate key 'pyCallId'*[[]json.duplicate_key[]]"])


def test_an_endless_loop_is_stopped_by_the_timeout(project: pytest.Pytester) -> None:
    write(
        project,
        "src/stuck.js",
        """
        pega.cti.desktopApi.stuck = function () {};
        pega.cti.desktopApi.stuck.prototype.agentNotReady = function (agentId, workMode, reasonCode, linkDef, options, success) {
          while (true) {}
        };
        pega.cti.desktopApi.stuck.prototype.agentReady = function (agentId, workMode, options, success) {
          (function spin() { return Promise.resolve().then(spin); })();
        };
        pega.cti.desktopApi.stuck.prototype.hangUpCall = function (callId, options, success) { success("still here"); };
        """,
    )
    project.makepyfile(
        """
import pytest
from pytest_snapshot_cti import JsTimeoutError

@pytest.mark.parametrize("method", ["agentNotReady", "agentReady"])
def test_stuck(cti_js_connector, method):
    stuck = cti_js_connector("src/stuck.js")
    with pytest.raises(JsTimeoutError, match=method + r"\\(\\) did not return within 0.5 s: the connector's code was still running"):
        stuck.call(method, "5501", "", "", {}, {}, timeout=0.5)
    assert stuck.call("hangUpCall", "4953", {}) == "still here"
"""
    )
    project.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


@pytest.mark.parametrize("required", [False, True])
def test_without_node_the_test_skips_or_fails_under_cti_require_node(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, required: bool) -> None:
    empty = project.path / "no-node"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("CTI_NODE", raising=False)
    monkeypatch.setenv("CTI_REQUIRE_NODE", "1" if required else "0")
    project.makepyfile(ACME + "\ndef test_login(acme):\n    raise AssertionError('never runs')\n")
    result = project.runpytest("-p", "no:randomly", "-rs")
    if required:
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*CTI_REQUIRE_NODE=1 but `node` is not on PATH: JavaScript connectors need Node.js 18 or newer*"])
    else:
        result.assert_outcomes(skipped=1)
        result.stdout.fnmatch_lines(["SKIPPED * `node` is not on PATH: JavaScript connectors need Node.js 18 or newer (or set CTI_NODE to its path)"])


PIDS = """
import os, pathlib, pytest

def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True

@pytest.mark.parametrize("n", range(4))
def test_host(acme, n):
    pathlib.Path(f"pid-{n}-{os.getpid()}").write_text(str(acme.host.pid))
    assert alive(acme.host.pid)
"""


def _host_pids(pytester: pytest.Pytester) -> list[int]:
    return [int(path.read_text()) for path in pytester.path.glob("pid-*")]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("args", [[], ["-n", "2"]])
def test_the_host_never_outlives_its_test(project: pytest.Pytester, args: list[str]) -> None:
    project.makepyfile(
        ACME
        + PIDS
        + """
def test_zz_earlier_hosts_are_gone():
    import glob
    for name in glob.glob(f"pid-*-{os.getpid()}"):
        assert not alive(int(pathlib.Path(name).read_text())), name
"""
    )
    run = project.runpytest_subprocess if args else project.runpytest
    run("-p", "no:randomly", *args).assert_outcomes(passed=5)
    pids = _host_pids(project)
    assert len(pids) == 4
    assert not any(_alive(pid) for pid in pids)


def test_the_host_is_stopped_on_keyboard_interrupt(project: pytest.Pytester) -> None:
    project.makepyfile(
        ACME
        + PIDS
        + """
def test_interrupted(acme):
    acme.call("login", "5501", "secret", "8808", LINK, {})
    pathlib.Path("pid-interrupted").write_text(str(acme.host.pid))
    raise KeyboardInterrupt
"""
    )
    result = project.runpytest_subprocess("-p", "no:randomly", "-k", "interrupted")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    pid = int((project.path / "pid-interrupted").read_text())
    assert not _alive(pid)


def test_js_connector_outside_pytest_checks_with_its_own_recorder(tmp_path: Path) -> None:
    from pytest_snapshot_cti import JsConnector, OpenCTIFailure

    with JsConnector(DATA / "acme.js", stubs=[DATA / "fake_acd.js"]) as acme:
        acme.call("login", "5501", "secret", "8808", {}, {})
        acme.emit("acd.ring", "4953", "16175551212")
        with pytest.raises(OpenCTIFailure):
            acme.call("answerCall", "1", {})
        assert acme.recorder is not None
        assert [e["pyEventType"] for e in acme.recorder.events] == ["SnapshotEvent", "CallStateEvent", "SnapshotEvent"]
        assert acme.recorder.validate() == []
        pid = acme.host.pid
    assert not _alive(pid)
    with pytest.raises(RuntimeError, match="closed"):
        acme.call("login")


def test_a_plain_callable_receives_json_text(tmp_path: Path) -> None:
    from pytest_snapshot_cti import JsConnector

    heard: list[str] = []
    (tmp_path / "nan.js").write_text(
        "pega.cti.desktopApi.n = function () {};\n"
        "pega.cti.desktopApi.n.prototype.login = function (a, p, e, l, o, success, failure, forward) { forward({pyEventType: 'X', v: NaN}); success(); };\n",
        encoding="utf-8",
    )
    with JsConnector("nan.js", base_dir=tmp_path, forward_event=heard.append) as connector:
        connector.call("login", "1", "", "", {}, {})
        assert heard == ['{"pyEventType":"X","v":null}']
        assert [str(v) for v in connector.findings()] == [
            "forwarded event #1 $.v: NaN is not valid JSON: JSON.stringify writes null (send null, a string or a number, or leave the field out) [json.not_serializable]"
        ]


def test_the_host_ships_inside_the_package() -> None:
    from pytest_snapshot_cti.js import host_script

    assert host_script().is_file()
    assert re.search(r"require\(\"node:vm\"\)", host_script().read_text(encoding="utf-8"))
