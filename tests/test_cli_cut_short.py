"""Issue 12 §3, §5: closed streams and cut-short output get one line and a defined exit code, never a traceback or a 0."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
from test_cli_subprocess import BAD, GOOD, script

from pytest_snapshot_cti.cli import main


def _shell(command: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    """``command`` under ``bash -o pipefail``, with ``$CLI`` the installed console script."""
    cli = " ".join(map(shlex.quote, script()))
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command.replace("$CLI", cli)], capture_output=True, cwd=tmp_path, timeout=120, check=False
    )


@pytest.mark.parametrize("lines", [1, 20_000], ids=["small output", "output larger than a pipe"])
def test_a_report_cut_short_by_head_never_exits_0(tmp_path: Path, lines: int) -> None:
    (tmp_path / "bad.jsonl").write_text((BAD + "\n") * lines, encoding="utf-8")
    result = _shell("$CLI validate bad.jsonl | head -n 1", tmp_path)
    assert result.returncode != 0
    assert result.stdout.decode().startswith("bad.jsonl:1 $.pyAgentState: 'Hold' is not one of")
    assert b"Traceback" not in result.stderr
    assert b"Exception ignored" not in result.stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_passing_report_cut_short_exits_2_with_one_line(tmp_path: Path, fmt: str) -> None:
    """Warnings only (a pass), but more of them than a pipe holds: the reader left before the verdict was written."""
    warned = GOOD.replace('"Snapshot"', '"Snap"')  # S2: a warning under the published profile
    (tmp_path / "warned.jsonl").write_text((warned + "\n") * 20_000, encoding="utf-8")
    assert subprocess.run([*script(), "validate", "warned.jsonl"], cwd=tmp_path, capture_output=True, check=False).returncode == 0
    result = _shell(f"$CLI validate --format {fmt} warned.jsonl | head -c 10", tmp_path)
    assert result.returncode == 2
    assert result.stderr == b"snapshot-cti: error: the output was closed before the report was complete (broken pipe)\n"


def test_generate_into_head_stays_a_success(tmp_path: Path) -> None:
    """Generating is not a verdict: a reader that has enough is fine (`generate | head`)."""
    result = _shell("$CLI generate --count 100000 --seed 1 | head -n 1 >/dev/null; exit ${PIPESTATUS[0]}", tmp_path)
    assert (result.returncode, result.stderr) == (0, b"")


def test_stdin_closed_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = _shell("$CLI validate - <&-", tmp_path)
    assert result.returncode == 2
    assert result.stderr == b"snapshot-cti: error: <stdin>: standard input is closed: there is nothing to read\n"
    assert result.stdout.decode().startswith("0 events: 0 valid, 0 invalid, 0 unreadable; 1 input could not be read")


def test_stdout_closed_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "good.jsonl").write_text(GOOD + "\n", encoding="utf-8")
    result = _shell("$CLI validate good.jsonl >&-", tmp_path)
    assert result.returncode == 2
    assert result.stderr == b"snapshot-cti: error: standard output is closed: there is nowhere to write the output\n"


def test_stderr_closed_still_gives_the_exit_code(tmp_path: Path) -> None:
    result = _shell("$CLI validate missing.jsonl 2>&-", tmp_path)
    assert result.returncode == 2


def test_one_event_is_one_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "one.jsonl").write_text(GOOD + "\n", encoding="utf-8")
    assert main(["validate", str(tmp_path / "one.jsonl")]) == 0
    assert capsys.readouterr().out.startswith("1 event: 1 valid, 0 invalid, 0 unreadable — ")
    assert main(["validate", "--format", "junit", str(tmp_path / "one.jsonl")]) == 0
    assert 'name="1 valid event"' in capsys.readouterr().out
