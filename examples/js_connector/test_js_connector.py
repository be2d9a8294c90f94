"""Contract suite for the Acme connector, a real ``pega.cti.desktopApi`` implementation in JavaScript.

``cti_js_connector`` loads the fake ACD (the vendor SDK's stand-in) and the connector into a
Node host: ``call`` is Pega Call asking (``login``, ``answerCall``…), ``emit`` is the ACD
acting (a call rings, the caller hangs up), ``advance`` moves the fake clock. Every event
the connector forwards, its error objects and its ``console.error`` are checked when each
test ends. Without Node.js 18+ these tests skip (``CTI_REQUIRE_NODE=1``, as in CI, fails them).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pytest_snapshot_cti import ContractViolationError, OpenCTIFailure
from pytest_snapshot_cti.js import NodeNotFoundError, find_node

HERE = Path(__file__).parent
CONNECTOR, FAKE_ACD = HERE / "acme_cti.js", HERE / "fake_acd.js"
AGENT, EXTENSION = "7001", "4411"
LINK = {"pyPrimaryHost": "acd.example.invalid", "pyPrimaryPort": "443"}
CALLER = "16175551212"


@pytest.fixture
def acme(cti_js_connector):
    """The connector, logged in (the recorder is told by the successful ``login`` call)."""
    acme = cti_js_connector(CONNECTOR, implementation="pega.cti.desktopApi.acme", stubs=[FAKE_ACD])
    acme.call("login", AGENT, "secret", EXTENSION, LINK, {})
    return acme


@pytest.mark.cti(profile="strict")
def test_a_shift_honours_the_strict_contract(acme, cti_recorder):
    acme.call("agentReady", AGENT, "MODE_AUTO_IN", {})
    acme.emit("fakeAcd.ring", "9001", CALLER)
    acme.call("answerCall", "9001", {})
    acme.call("holdCall", "9001", {})
    acme.call("retrieveCall", "9001", {})
    acme.call("hangUpCall", "9001", {})
    acme.call("agentNotReady", AGENT, "AUX_WORK", "12", LINK, {})
    acme.call("logout", AGENT, "3", {})
    assert [e["pyEventName"] for e in cti_recorder.of_type("CallStateEvent")] == ["Alerting", "Established", "Held", "Retrieved", "Disconnected"]
    assert cti_recorder.last("SnapshotEvent")["pyReasonCode"] == "3"  # the ACD's numeric code, sent as a string
    assert acme.get("fakeAcd.requests") == ["login", "setState", "answer", "hold", "retrieve", "drop", "setState", "logout"]


def test_the_login_snapshot_comes_first(acme, cti_recorder):
    assert cti_recorder.events[0]["pyEventType"] == "SnapshotEvent"
    assert cti_recorder.events[0]["pyAgentState"] == "NotReady"


def test_an_agent_logged_in_elsewhere_gets_pegas_error_code(cti_js_connector):
    acme = cti_js_connector(CONNECTOR, stubs=[FAKE_ACD])  # the one implementation the file registers
    acme.emit("fakeAcd.logInElsewhere", AGENT)
    with pytest.raises(OpenCTIFailure) as failed:
        acme.call("login", AGENT, "secret", EXTENSION, LINK, {})
    assert failed.value.err_code == "OPENCTI_AGENT_LOGGED_IN"
    assert failed.value.err_message == "Agent 7001 is logged in at another device."


@pytest.mark.parametrize(
    ("request_name", "args", "code"),
    [
        ("answerCall", ("9001", {}), "OPENCTI_CF_INVALID_OBJECT_STATE"),
        ("holdCall", ("9001", {}), "OPENCTI_CF_INVALID_OBJECT_STATE"),
        ("makeCall", ("not a number", {}), "OPENCTI_CF_INVALID_DESTINATION"),
        ("agentNotReady", (AGENT, "AUX_WORK", None, LINK, {}), "OPENCTI_IN_SAME_STATE"),
    ],
)
def test_refused_requests_fail_with_documented_codes(acme, request_name, args, code):
    with pytest.raises(OpenCTIFailure) as failed:
        acme.call(request_name, *args)
    assert failed.value.err_code == code  # a documented code: no F4 warning at the end of the test


def test_an_unanswered_call_is_abandoned_after_the_ring_timeout(acme, cti_recorder):
    acme.call("agentReady", AGENT, "MODE_AUTO_IN", {})
    acme.emit("fakeAcd.ring", "9002", CALLER)
    acme.advance(19.9)
    assert cti_recorder.last("CallStateEvent")["pyEventName"] == "Alerting"
    acme.advance(0.1)  # the ACD gives up after 20 s: a missed call
    assert cti_recorder.last("CallStateEvent")["pyEventName"] == "Abandoned"
    assert cti_recorder.last("SnapshotEvent")["pyAgentState"] == "NotReady"
    assert cti_recorder.last("SnapshotEvent")["pyReasonCode"] == "99"


@pytest.mark.cti(profile="strict")
def test_a_link_drop_and_reconnect_restate_the_call(acme, cti_recorder):
    acme.emit("fakeAcd.ring", "9003", CALLER)
    acme.call("answerCall", "9003", {})
    acme.emit("fakeAcd.dropLink")
    assert cti_recorder.last("SnapshotEvent")["pyAgentState"] == "Unknown"  # rule C1
    acme.emit("fakeAcd.restoreLink")
    assert cti_recorder.last("SnapshotEvent")["pyLines"] == [{"pyCallId": "9003", "pyLineState": "Connected"}]  # rule L3


def test_an_outbound_call(acme, cti_recorder):
    acme.call("makeCall", "+16175550100", {})
    assert cti_recorder.last("CallStateEvent")["pyEventName"] == "Initiated"
    assert cti_recorder.last("CallStateEvent")["pyCallType"] == "OUTBOUND"


@pytest.mark.xfail(strict=True, raises=ContractViolationError, reason="F1: an older build hands failure the ACD's text, not an error object")
def test_bug_failure_gets_a_bare_string(cti_js_connector):
    legacy = cti_js_connector([CONNECTOR, HERE / "legacy_errors.js"], implementation="pega.cti.desktopApi.acmeLegacyErrors", stubs=[FAKE_ACD])
    legacy.call("login", AGENT, "secret", EXTENSION, LINK, {})
    with pytest.raises(OpenCTIFailure):  # caught, and still reported: the error object is part of the contract
        legacy.call("answerCall", "404", {})


# The pipe path: a script that prints the forwarded events as JSON Lines, for event dumps and the CLI
# (`node examples/js_connector/dump.js | snapshot-cti validate --profile strict --lifecycle -`).
@pytest.fixture
def node() -> str:
    """Node for the script (cti_js_connector skips, or fails under CTI_REQUIRE_NODE=1, the same way)."""
    try:
        return find_node()
    except NodeNotFoundError as err:
        if os.environ.get("CTI_REQUIRE_NODE") == "1":
            pytest.fail(f"CTI_REQUIRE_NODE=1 but {err}", pytrace=False)
        pytest.skip(str(err))


@pytest.mark.cti(profile="strict")
def test_the_dump_script_prints_a_valid_stream(node, cti_recorder):
    done = subprocess.run([node, str(HERE / "dump.js")], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    cti_recorder.expect_login(agent_id=AGENT, extension=EXTENSION)
    for line in done.stdout.splitlines():
        cti_recorder(line)  # JSON text, parsed as strictly as Pega's JSON.parse
    cti_recorder.expect_logout()
    assert len(cti_recorder.events) == 19
