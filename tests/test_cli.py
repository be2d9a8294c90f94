"""`snapshot-cti` as a connector team runs it: every subcommand, option, output format and exit code.

Most tests call ``main([...])`` in-process (fast); test_cli_subprocess.py runs the console script.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.cli import main
from pytest_snapshot_cti.rules import RULES

GOOD: dict[str, Any] = {
    "pyEventType": "SnapshotEvent",
    "pyEventName": "Snapshot",
    "pyAgentId": "5501",
    "pyAgentState": "Ready",
    "pyThisDN": "8808",
    "pyLinkState": "CONNECTED",
    "pyDeviceState": "OPENED",
    "pyMedia": "Phone",
    "pyReasonCode": "",
    "pyLines": [],
}
ON_CALL = {**GOOD, "pyAgentState": "Busy", "pyLines": [{"pyCallId": "c-1", "pyLineState": "Connected"}]}
HOLD = {**GOOD, "pyLines": [{"pyCallId": "c-1", "pyLineState": "Hold"}]}  # schema.enum, nothing else
REASON = {**GOOD, "pyReasonCode": "12"}  # C4: a warning (published), an error (strict)
NO_EVENT_NAME = {k: v for k, v in GOOD.items() if k != "pyEventName"}  # S5 under strict only
AGENT = {"pyEventType": "AgentStateEvent", "pyEventName": "Ready"}
SUMMARY = re.compile(
    r"^(?P<events>[\d,]+) events?: (?P<valid>[\d,]+) valid, (?P<invalid>[\d,]+) invalid, (?P<unreadable>[\d,]+) unreadable.* — \d+\.\d s$"
)


def jsonl(path: Path, *events: Any) -> Path:
    path.write_text("".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in events), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counts(out: str) -> dict[str, int]:
    match = SUMMARY.match(out.strip().splitlines()[-1])
    assert match, out
    return {k: int(v.replace(",", "")) for k, v in match.groupdict().items()}


# -- validate: verdicts, exit codes, the output line ----------------------------------------------


def test_all_valid_exits_0_with_a_summary_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(jsonl(tmp_path / "ok.jsonl", GOOD, ON_CALL, AGENT)))
    assert code == 0
    assert out.count("\n") == 1
    assert counts(out) == {"events": 3, "valid": 3, "invalid": 0, "unreadable": 0}
    assert err == ""


def test_a_violation_is_one_located_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "day.jsonl", GOOD, HOLD, "{not json")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    lines = out.splitlines()
    (hold,) = load_contract().validate(HOLD)
    assert lines[0] == hold.at(f"{path}:2").format()
    assert lines[0].startswith(
        f"{path}:2 $.pyLines[0].pyLineState: 'Hold' is not one of "
        "['None', 'Alerting', 'Connected', 'Holding', 'Retrieved', 'Initiate'] (did you mean 'Holding'?"
    )
    assert lines[0].endswith(" [schema.enum]")
    assert lines[1] == f"{path}:3 $: not valid JSON: Expecting property name enclosed in double quotes at column 2 [json.syntax]"
    assert counts(out) == {"events": 3, "valid": 1, "invalid": 1, "unreadable": 1}


def test_warnings_are_printed_but_pass_unless_fail_on_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "w.jsonl", REASON)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert out.splitlines()[0].startswith(f"{path}:1 warning: $.pyReasonCode: reason code '12' with pyAgentState 'Ready'")
    assert out.splitlines()[0].endswith("[C4]")
    assert "; 1 warning —" in out
    assert counts(out)["valid"] == 1
    code, out, _ = run(capsys, "validate", "--fail-on-warnings", str(path))
    assert code == 1
    assert counts(out) == {"events": 1, "valid": 0, "invalid": 1, "unreadable": 0}


def test_profile_strict_turns_rules_into_errors_and_adds_required_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "s.jsonl", REASON, NO_EVENT_NAME)
    assert run(capsys, "validate", str(path))[0] == 0
    code, out, _ = run(capsys, "validate", "--profile", "strict", str(path))
    assert code == 1
    assert f"{path}:1 $.pyReasonCode: reason code '12'" in out
    assert f"{path}:2 $.pyEventName: required field 'pyEventName' is missing from the event [S5]" in out


def test_disable_drops_a_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "s.jsonl", REASON)
    code, out, _ = run(capsys, "validate", "--profile", "strict", "--disable", "C4", str(path))
    assert code == 0
    assert "[C4]" not in out
    code, out, _ = run(capsys, "validate", "--profile", "strict", "--disable", "C5,C4", "--disable", "C7", str(path))
    assert code == 0


def test_allow_extra_under_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "x.jsonl", {**GOOD, "xVendorId": "7"})
    code, out, _ = run(capsys, "validate", "--profile", "strict", str(path))
    assert code == 1
    assert "[schema.additionalProperties]" in out
    assert run(capsys, "validate", "--profile", "strict", "--allow-extra", "xVendorId", str(path))[0] == 0


def test_kind_forces_the_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "k.jsonl", AGENT)
    assert run(capsys, "validate", "--kind", "agent", str(path))[0] == 0
    code, out, _ = run(capsys, "validate", "--kind", "call", "--profile", "strict", str(path))
    assert code == 1
    assert f"{path}:1 $.pyEventType: validated as CallStateEvent but pyEventType is 'AgentStateEvent' [S1]" in out


def test_unknown_event_type_is_a_warning_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "u.jsonl", {"pyEventType": "SnapshotEvnt"})
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert "warning: $.pyEventType: pyEventType 'SnapshotEvnt' is not an OpenCTI event type" in out
    assert "[kind.unknown]" in out


def test_contracts_dir_replaces_a_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    schema = load_contract().schema("agent")
    schema["properties"]["pyReasonCode"] = {"enum": ["", "12"]}
    (contracts / "AgentEvent.json").write_text(json.dumps(schema), encoding="utf-8")
    path = jsonl(tmp_path / "a.jsonl", {**AGENT, "pyReasonCode": "Lunch"})
    assert run(capsys, "validate", str(path))[0] == 0
    code, out, _ = run(capsys, "validate", "--contracts", str(contracts), str(path))
    assert code == 1
    assert f"{path}:1 $.pyReasonCode: 'Lunch' is not one of ['', '12']" in out


def test_max_errors_caps_printing_never_counting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "m.jsonl", *([HOLD] * 5), GOOD)
    code, out, _ = run(capsys, "validate", "--max-errors", "2", str(path))
    assert code == 1
    assert sum(1 for line in out.splitlines() if "[schema.enum]" in line) == 2
    assert "… 3 more findings not shown (--max-errors 2)" in out
    assert counts(out) == {"events": 6, "valid": 1, "invalid": 5, "unreadable": 0}


def test_quiet_prints_only_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "-q", str(jsonl(tmp_path / "q.jsonl", HOLD, GOOD)))
    assert code == 1
    assert len(out.splitlines()) == 1
    assert counts(out) == {"events": 2, "valid": 1, "invalid": 1, "unreadable": 0}


def test_lifecycle_checks_each_stream_with_file_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    login = {"pyEventType": "AgentStateEvent", "pyEventName": "Login"}
    call = {"pyEventType": "CallStateEvent", "pyEventName": "Alerting", "pyCallId": "c-9", "pyThisDN": "8808"}
    path = jsonl(tmp_path / "life.jsonl", GOOD, login, call, GOOD)
    assert run(capsys, "validate", str(path))[0] == 0
    code, out, _ = run(capsys, "validate", "--lifecycle", str(path))
    assert code == 1
    assert f"{path}:3 $.pyEventType: CallStateEvent forwarded after the Login event ({path}:2) before any Snapshot" in out
    assert out.splitlines()[0].endswith("[L1]")
    assert "lifecycle: 1 error, 0 warnings" in out
    assert counts(out) == {"events": 4, "valid": 4, "invalid": 0, "unreadable": 0}


def test_lifecycle_sees_the_events_in_file_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Snapshot after the Login is valid but not clean (S2 warning), so it is judged after the
    clean CallStateEvent that follows it: the stream rules must still see it first (no L1)."""
    path = tmp_path / "order.jsonl"
    path.write_text(
        '{"pyEventType":"AgentStateEvent","pyEventName":"Login"}\n'
        '{"pyEventType":"SnapshotEvent","pyEventName":"X"}\n'
        '{"pyEventType":"CallStateEvent"}\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", "--lifecycle", str(path))
    assert code == 0
    assert "[L1]" not in out
    assert out.splitlines()[-1].startswith("3 events: 3 valid, 0 invalid, 0 unreadable; 1 warning —")


def test_lifecycle_end_of_stream_findings_name_the_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    logout = {"pyEventType": "AgentStateEvent", "pyEventName": "Logout"}
    path = jsonl(tmp_path / "out.jsonl", GOOD, logout)
    code, out, _ = run(capsys, "validate", "--lifecycle", str(path))
    assert code == 1
    assert f"{path}: end of stream $: no Snapshot with pyAgentState 'Logout' was forwarded after the Logout event ({path}:2)" in out


# -- inputs: directories, .json documents, stdin ---------------------------------------------------


def test_directories_recurse_into_capture_files_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "captures"
    (root / "b" / "deep").mkdir(parents=True)
    jsonl(root / "a.jsonl", GOOD)
    jsonl(root / "b" / "deep" / "c.cti.jsonl", HOLD)
    (root / "b" / "one.cti.json").write_text(json.dumps(ON_CALL), encoding="utf-8")
    (root / "b" / "many.json").write_text(json.dumps([GOOD, AGENT, HOLD], indent=2), encoding="utf-8")
    (root / "notes.txt").write_text("not an event", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(root))
    assert code == 1
    located = [line.split(" ", 1)[0] for line in out.splitlines()[:-1]]
    assert located[0] == f"{root}/b/deep/c.cti.jsonl:1"
    assert located[1].startswith(f"{root}/b/many.json:")
    assert len(located) == 2
    assert counts(out) == {"events": 6, "valid": 4, "invalid": 2, "unreadable": 0}


def test_a_json_file_with_one_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(HOLD, indent=2), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert out.startswith(f"{path}:1 $.pyLines[0].pyLineState: 'Hold' is not one of")


def test_stdin_is_read_as_jsonl(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    data = (json.dumps(GOOD) + "\n" + json.dumps(HOLD) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, "validate", "-")
    assert code == 1
    assert out.startswith("<stdin>:2 $.pyLines[0].pyLineState:")
    assert counts(out) == {"events": 2, "valid": 1, "invalid": 1, "unreadable": 0}


# -- output formats ----------------------------------------------------------------------------------


def test_json_format_is_one_parseable_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "j.jsonl", GOOD, HOLD, "[1]", REASON)
    code, out, _ = run(capsys, "validate", "--format", "json", str(path))
    assert code == 1
    report = json.loads(out)
    assert report["profile"] == "published"
    assert report["contracts_sha256"] == load_contract().sha256
    assert [(f["location"], f["rule"], f["severity"], f["verdict"]) for f in report["findings"]] == [
        (f"{path}:2", "schema.enum", "error", "invalid"),
        (f"{path}:3", "json.not_object", "error", "invalid"),
        (f"{path}:4", "C4", "warning", "valid"),
    ]
    assert report["findings"][0]["path"] == "$.pyLines[0].pyLineState"
    assert report["findings"][0]["hint"].startswith("did you mean 'Holding'?")
    summary = report["summary"]
    assert (summary["events"], summary["valid"], summary["invalid"], summary["unreadable"], summary["warnings"]) == (4, 2, 2, 0, 1)
    assert report["inputs"] == [{"name": str(path), "events": 4, "valid": 2, "invalid": 2, "unreadable": 0}]
    assert report["problems"] == []


def test_json_format_with_no_findings_and_max_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--format", "json", str(jsonl(tmp_path / "ok.jsonl", GOOD)))
    assert code == 0
    assert json.loads(out)["findings"] == []
    code, out, _ = run(capsys, "validate", "--format", "json", "--max-errors", "1", str(jsonl(tmp_path / "h.jsonl", HOLD, HOLD)))
    report = json.loads(out)
    assert len(report["findings"]) == 1
    assert (report["summary"]["findings_shown"], report["summary"]["findings_not_shown"], report["summary"]["invalid"]) == (1, 1, 2)


def test_json_format_lists_input_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.jsonl"
    code, out, err = run(capsys, "validate", "--format", "json", str(missing))
    assert code == 2
    assert json.loads(out)["problems"] == [
        {"location": str(missing), "message": "cannot read file: No such file or directory", "error": True}
    ]
    assert err == f"snapshot-cti: error: {missing}: cannot read file: No such file or directory\n"


def test_junit_format_parses_with_one_suite_per_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = jsonl(tmp_path / "a.jsonl", GOOD, HOLD, "{oops", GOOD)
    second = jsonl(tmp_path / "b.jsonl", GOOD)
    code, out, _ = run(capsys, "validate", "--format", "junit", str(first), str(second))
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(first), str(second)]
    assert [(s.get("tests"), s.get("failures"), s.get("errors")) for s in suites] == [("3", "1", "1"), ("1", "0", "0")]
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == [f"{first}:2", f"{first}:3", "2 valid events"]
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("type") == "schema.enum"
    assert (failure.get("message") or "").startswith("$.pyLines[0].pyLineState: 'Hold' is not one of")
    assert (failure.text or "").startswith(f"{first}:2 $.pyLines[0].pyLineState:")
    error = cases[1].find("error")
    assert error is not None
    assert error.get("type") == "json.syntax"


def test_junit_escapes_markup_in_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "x.jsonl", {**GOOD, "pyAgentState": "<&\"'>"})
    code, out, _ = run(capsys, "validate", "--format", "junit", str(path))
    assert code == 1
    failure = ET.fromstring(out).find("testsuite/testcase/failure")
    assert failure is not None
    assert "'<&\"\\'>' is not one of" in (failure.get("message") or "")


def test_junit_holds_stream_labels_with_characters_xml_cannot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A stream is labelled by its pyThisDN, which is event data: a lone surrogate or ESC is escaped, the XML parses."""
    from xml.etree import ElementTree

    login = '{"pyEventType":"AgentStateEvent","pyEventName":"Login"}'
    path = tmp_path / "odd.jsonl"
    path.write_text(f'{{"pyThisDN":"\\ud800"}}\n{login}\n{{"pyThisDN":"a\\u001bb"}}\n{login}\n', encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--lifecycle", "--format", "junit", str(path))
    assert code == 1
    names = [case.get("name") for case in ElementTree.fromstring(out).iter("testcase")]
    assert f"{path} (stream \\ud800) lifecycle" in names
    assert f"{path} (stream a\\x1bb) lifecycle" in names


def test_junit_reports_unreadable_inputs_as_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--format", "junit", str(tmp_path / "gone.jsonl"))
    assert code == 2
    root = ET.fromstring(out)
    assert root.get("errors") == "1"
    error = root.find("testsuite/testcase/error")
    assert error is not None
    assert error.get("message") == "$: cannot read file: No such file or directory [io]"


# -- usage errors: exit 2, one line, no traceback ------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["validate", "--profile", "lenient", "x.jsonl"], "argument --profile: invalid choice: 'lenient'"),
        (["validate", "--disable", "C99", "x.jsonl"], "snapshot-cti: error: unknown rule id C99"),
        (["validate", "--max-errors", "-1", "x.jsonl"], "argument --max-errors: must be 0 or more, got -1"),
        (
            ["validate", "--contracts", "/nonexistent/dir", "x.jsonl"],
            "snapshot-cti: error: contracts directory not found: /nonexistent/dir",
        ),
        (["validate"], "the following arguments are required: PATH"),
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["generate", "--preset", "nope"], "snapshot-cti: error: unknown preset 'nope': choose one of"),
        (["generate", "--scenario", "nope"], "snapshot-cti: error: unknown scenario 'nope': choose one of"),
        (["generate", "--preset", "ready", "--kind", "agent"], "--preset names a Snapshot preset"),
        (["generate", "--preset", "ready", "--scenario", "login"], "not allowed with argument"),
        (["generate", "--invalid", "2"], "argument --invalid: must be between 0 and 1, got 2"),
        (["schema", "--kind", "callinfo"], "argument --kind: invalid choice: 'callinfo'"),
    ],
)
def test_usage_errors_exit_2_without_traceback(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_missing_file_is_exit_2_but_the_other_inputs_are_validated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok = jsonl(tmp_path / "ok.jsonl", HOLD)
    code, out, err = run(capsys, "validate", str(tmp_path / "nope.jsonl"), str(ok))
    assert code == 2
    assert f"{ok}:1 $.pyLines[0].pyLineState" in out
    assert "; 1 input could not be read —" in out
    assert err == f"snapshot-cti: error: {tmp_path / 'nope.jsonl'}: cannot read file: No such file or directory\n"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from pytest_snapshot_cti import __version__

    code, out, _ = run(capsys, "--version")
    assert (code, out) == (0, f"snapshot-cti {__version__}\n")


# -- schema and rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["snapshot", "agent", "call", "party"])
@pytest.mark.parametrize("profile", ["published", "strict"])
def test_schema_prints_the_profile_applied_schema(kind: str, profile: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "--kind", kind, "--profile", profile)
    assert code == 0
    assert json.loads(out) == load_contract(profile).schema(kind)


def test_schema_with_allow_extra(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "--profile", "strict", "--allow-extra", "xVendor")
    assert code == 0
    assert json.loads(out)["properties"]["xVendor"] == {}


def test_rules_table_lists_every_rule_with_both_severities(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["rule", "published", "strict", "scope", "rationale"]
    for rule in RULES.values():
        row = next(line for line in lines if line.split()[:1] == [rule.id])
        assert row.split()[1:3] == [rule.published or "-", rule.strict or "-"]
        assert row.endswith(rule.rationale)


def test_rules_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    table = json.loads(out)
    assert [row["id"] for row in table] == list(RULES)
    assert table[0] == {"id": "S1", "published": "warning", "strict": "error", "scope": "snapshot", "rationale": RULES["S1"].rationale}


# -- progress: only on a terminal's stderr, only for large input ----------------------------------------


class _Tty:
    """A stderr that says it is a terminal and remembers what was written."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_progress_on_a_terminal_for_large_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from pytest_snapshot_cti import bulk, cli

    path = jsonl(tmp_path / "big.jsonl", *([GOOD] * 3000))
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(cli, "PROGRESS_BYTES", 1)
    monkeypatch.setattr(bulk, "CHUNK_BYTES", 4096)
    assert main(["validate", str(path)]) == 0
    assert "\r  " in tty.text
    assert " events, 0 failing…" in tty.text
    assert tty.text.endswith("\r\033[K")  # the line is erased before the summary
    assert counts(capsys.readouterr().out)["events"] == 3000


def test_no_progress_when_input_is_small_or_stderr_is_piped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    path = jsonl(tmp_path / "small.jsonl", GOOD)
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    assert main(["validate", str(path)]) == 0
    assert tty.text == ""
    monkeypatch.undo()
    assert run(capsys, "validate", str(path))[2] == ""
