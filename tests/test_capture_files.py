"""Capture files collected as items: one per file, every event located, nothing skipped silently."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")


def snap(n: int, **overrides: object) -> dict[str, object]:
    event: dict[str, object] = {
        "pyEventType": "SnapshotEvent",
        "pyEventName": "Snapshot",
        "pyAgentId": "5501",
        "pyThisDN": "8808",
        "pyAgentState": "Ready" if n % 2 else "NotReady",
        "pyReasonCode": "" if n % 2 else "7",
        "pyLinkState": "CONNECTED",
        "pyDeviceState": "OPENED",
        "pyLines": [],
    }
    event.update(overrides)
    return event


def jsonl(*events: object) -> str:
    return "\n".join(e if isinstance(e, str) else json.dumps(e) for e in events) + "\n"


def test_valid_jsonl_passes_with_a_stable_node_id(pytester: pytest.Pytester) -> None:
    captures = pytester.mkdir("captures")
    (captures / "login.cti.jsonl").write_text(jsonl(snap(1), {"pyEventType": "AgentStateEvent", "pyEventName": "Ready"}))
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["captures/login.cti.jsonl::contract PASSED*"])


def test_json_array_and_single_object_files(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cti.json", array=json.dumps([snap(1), snap(2), snap(3, pyAgentState="READY")], indent=2))
    pytester.makefile(".cti.json", single=json.dumps(snap(1)))
    result = pytester.runpytest("--assert=plain")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "array.cti.json violates the Pega OpenCTI contract (profile: published) — 1 error:",
            "  array.cti.json:24 $.pyAgentState: 'READY' is not one of *(did you mean 'Ready'? *) [[]S4]",
            "3 events: 2 valid, 1 invalid, 0 unreadable",
        ]
    )


def test_unreadable_lines_are_counted_and_reported(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cti.jsonl", mixed=jsonl(snap(1), '{"pyAgentState": NaN}', "[1, 2]", '{"pyEventType": "SnapshotEvent"'))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "mixed.cti.jsonl violates the Pega OpenCTI contract (profile: published) — 3 errors:",
            "  mixed.cti.jsonl:2 $: NaN is not valid JSON * [[]json.nan]",
            "  mixed.cti.jsonl:3 $: an event must be a JSON object, got array [[]json.not_object]",
            "  mixed.cti.jsonl:4 $: not valid JSON: * (truncated?) [[]json.syntax]",
            "4 events: 1 valid, 1 invalid, 2 unreadable",
        ]
    )
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize(
    ("name", "content"), [("empty.cti.jsonl", ""), ("blank.cti.jsonl", "\n\n"), ("none.cti.json", "[]"), ("zero.cti.json", " ")]
)
def test_empty_capture_fails_with_no_events(pytester: pytest.Pytester, name: str, content: str) -> None:
    (pytester.path / name).write_text(content)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [f"{name} holds no events: an empty capture proves nothing (record the connector's events, or delete the file)"]
    )


def test_lifecycle_rules_apply_per_stream(pytester: pytest.Pytester) -> None:
    login = {"pyEventType": "AgentStateEvent", "pyEventName": "Login"}
    call = {"pyEventType": "CallStateEvent", "pyEventName": "Alerting", "pyCallId": "c1", "pyCallType": "INBOUND"}
    other = snap(1, pyThisDN="9909", pyAgentId="6601")
    pytester.makefile(".cti.jsonl", two=jsonl(other, snap(1), login, call, snap(1)))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "  two.cti.jsonl:4 $.pyEventType: CallStateEvent forwarded after the Login event (two.cti.jsonl:3) before any Snapshot*[[]L1]",
            "5 events: 5 valid, 0 invalid, 0 unreadable; lifecycle: 1 error, 0 warnings",
        ]
    )


def test_thousand_lines_three_invalid_two_unparseable(pytester: pytest.Pytester) -> None:
    bad = {101: snap(1, pyAgentState="READY"), 402: snap(1, pyAgentId=5501), 999: snap(1, pyLinkState="UP")}
    unreadable = {250: '{"pyEventType": "SnapshotEvent",,}', 777: "{'single': 'quotes'}"}
    lines = [unreadable.get(n) or json.dumps(bad.get(n) or snap(n)) for n in range(1, 1001)]
    pytester.makefile(".cti.jsonl", big="\n".join(lines) + "\n")
    for args in ([], ["--assert=plain"]):
        result = pytester.runpytest(*args)
        result.assert_outcomes(failed=1)
        reported = [line for line in result.outlines if line.startswith("  big.cti.jsonl:")]
        assert [line.split()[0] for line in reported] == [f"big.cti.jsonl:{n}" for n in (101, 250, 402, 777, 999)]
        assert [line.rsplit(" ", 1)[-1] for line in reported] == ["[S4]", "[json.syntax]", "[S3]", "[json.syntax]", "[schema.enum]"]
        result.stdout.fnmatch_lines(["big.cti.jsonl violates * — 5 errors:", "1,000 events: 995 valid, 3 invalid, 2 unreadable"])


def test_failure_shows_the_first_twenty(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cti.jsonl", many=jsonl(*[snap(1, pyLinkState=f"up{n}") for n in range(25)]))  # 25 different findings
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        ["  many.cti.jsonl:20 $.pyLinkState*", "  … and 5 more (showing the first 20)", "25 events: 0 valid, 25 invalid, 0 unreadable"]
    )
    assert "many.cti.jsonl:21 " not in result.stdout.str()


def test_capture_files_ini_replaces_the_globs(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cti.jsonl", default=jsonl(snap(1)))
    recorded = pytester.mkdir("recorded")
    (recorded / "session.ndjson").write_text(jsonl(snap(1)))
    pytester.makeini("[pytest]\ncti_capture_files = recorded/*.ndjson\n")
    result = pytester.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(["recorded/session.ndjson::contract", "1 test collected*"])
    pytester.makeini("[pytest]\ncti_capture_files =\n")
    pytester.runpytest("--collect-only", "-q").stdout.fnmatch_lines(["no tests collected*"])


def test_fail_on_warnings_and_disable_apply_to_captures(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cti.jsonl", warn=jsonl(snap(1, pyEventName="snap")))
    pytester.runpytest().assert_outcomes(passed=1)
    result = pytester.runpytest("--cti-fail-on-warnings")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["  warning: warn.cti.jsonl:1 $.pyEventName: *[[]S2]"])
    pytester.runpytest("--cti-fail-on-warnings", "--cti-disable=S2").assert_outcomes(passed=1)


def test_strict_profile_applies_to_captures(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cti.jsonl", partial=jsonl({"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentState": "Ready"}))
    pytester.runpytest().assert_outcomes(passed=1)
    pytester.runpytest("--cti-profile", "strict").assert_outcomes(failed=1)


def test_a_leading_login_event_belongs_to_the_stream_that_follows(pytester: pytest.Pytester) -> None:
    login = {"pyEventType": "AgentStateEvent", "pyEventName": "Login"}
    pytester.makefile(".cti.jsonl", login=jsonl(login, snap(1), {"pyEventType": "AgentStateEvent", "pyEventName": "Ready"}))
    pytester.runpytest().assert_outcomes(passed=1)
