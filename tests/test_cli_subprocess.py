"""The installed console script end to end: exit codes, stdin, pipes, and never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = '{"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentState": "Ready", "pyLines": []}'
BAD = '{"pyEventType": "SnapshotEvent", "pyAgentState": "Hold"}'


def script() -> list[str]:
    found = shutil.which("snapshot-cti", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "pytest_snapshot_cti.cli"]


def run(*argv: str, stdin: str | bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([*script(), *argv], input=data, capture_output=True, cwd=cwd, timeout=120, check=False)


@pytest.mark.parametrize(
    ("argv", "stdin", "code"),
    [
        (["validate", "-"], GOOD + "\n", 0),
        (["validate", "-"], GOOD + "\n" + BAD + "\n", 1),
        (["validate", "-"], "not json\n", 1),
        (["validate", "missing.jsonl"], None, 2),
        (["validate", "--profile", "nope", "-"], "", 2),
        (["rules"], None, 0),
    ],
)
def test_exit_codes(argv: list[str], stdin: str | None, code: int, tmp_path: Path) -> None:
    result = run(*argv, stdin=stdin, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert b"Traceback" not in result.stderr


def test_stdin_piped_into_json_report() -> None:
    result = run("validate", "-", "--format", "json", stdin=GOOD + "\n" + BAD + "\n")
    report = json.loads(result.stdout)
    assert [(f["location"], f["rule"]) for f in report["findings"]] == [("<stdin>:2", "schema.enum")]
    assert report["summary"]["events"] == 2
    assert result.stderr == b""  # nothing extra when stderr is not a terminal (no progress line)


def test_generate_pipes_into_validate(tmp_path: Path) -> None:
    generated = run("generate", "--scenario", "inbound_call", "--seed", "7")
    assert generated.returncode == 0
    assert generated.stdout == run("generate", "--scenario", "inbound_call", "--seed", "7").stdout
    checked = run("validate", "-", "--lifecycle", stdin=generated.stdout)
    assert checked.returncode == 0, checked.stdout
    events = len(generated.stdout.splitlines())
    assert checked.stdout.decode().startswith(f"{events} events: {events} valid")


def test_a_closed_pipe_is_not_an_error() -> None:
    """`snapshot-cti generate --count 100000 | head -1`: the reader leaves early."""
    proc = subprocess.Popen([*script(), "generate", "--count", "100000", "--seed", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err
    assert proc.returncode in (0, -13)  # SIGPIPE may win the race on some platforms


def test_binary_garbage_on_stdin_never_tracebacks() -> None:
    garbage = bytes(b for b in range(256) if b != 10) * 40 + b"\n\xff\xfe\n\x00\x00\n[[[[\n"
    result = run("validate", "-", stdin=garbage)
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    last = result.stdout.decode().splitlines()[-1]
    assert last.startswith("4 events: 0 valid, 0 invalid, 4 unreadable")


@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path, fmt: str) -> None:
    """On a UTF-8 terminal (strict, as most users have) such a name is printed as ``\\xff``, never a traceback."""
    import os
    from xml.etree import ElementTree

    try:
        (tmp_path / os.fsdecode(b"capture-\xff.jsonl")).write_text(BAD + "\n", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses file names that are not UTF-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    result = subprocess.run([*script(), "validate", "--format", fmt, str(tmp_path)], capture_output=True, env=env, timeout=120, check=False)
    assert (result.returncode, result.stderr) == (1, b"")
    shown = f"{tmp_path}/capture-\\xff.jsonl:1"
    out = result.stdout.decode("utf-8")
    if fmt == "text":
        assert out.startswith(f"{shown} $.pyAgentState: 'Hold' is not one of")
    elif fmt == "json":
        assert [f["location"] for f in json.loads(out)["findings"]] == [shown]
    else:
        assert [case.get("name") for case in ElementTree.fromstring(out).iter("testcase")] == [shown]
