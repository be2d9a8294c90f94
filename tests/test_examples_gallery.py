"""README's gallery (the examples section) shows what the current code prints.

Each ``<!-- gallery:NAME -->`` block in README.md is regenerated here from a real run and
compared exactly. What legitimately varies is not shown in the README at all: timings, the
event counts of ``pytest examples`` (its fuzz tests draw as many events as Hypothesis decides,
which differs run to run and between Hypothesis releases), and what the conformance kit drew
(shifts, steps, transition counts) are printed as ``…``, so the README shows only what every run
reproduces. To refresh the README after a deliberate change of output::

    CTI_UPDATE_GALLERY=1 python -m pytest tests/test_examples_gallery.py -p no:randomly
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SECTION = re.compile(r"<!-- section:examples -->\n(.*?)<!-- /section:examples -->", re.S)
BLOCK = re.compile(r"<!-- gallery:(?P<name>[\w-]+) -->\n```text\n(?P<body>.*?)```\n", re.S)

CONNECTOR_TEST = '''
from pytest_snapshot_cti import assert_valid_snapshot


def test_snapshot_from_the_connector():
    snapshot = {
        "pyEventType": "SnapshotEvent",
        "pyEventName": "Snapshot",
        "pyAgentId": 5501,
        "pyAgentState": "READY",
        "pyThisDN": "8808",
        "pyLines": [{"pyCallId": "4953", "pyLineState": "NONE"}],
    }
    assert_valid_snapshot(snapshot)


class ForgetfulConnector:
    """Forwards agent events, but no Snapshot after login or logout."""

    def __init__(self, forward_event):
        self.forward_event = forward_event

    def login(self, agent_id, extension):
        self.forward_event({"pyEventType": "AgentStateEvent", "pyEventName": "Ready"})

    def logout(self):
        self.forward_event({"pyEventType": "AgentStateEvent", "pyEventName": "Logout"})


def test_login_and_logout(cti_recorder):
    cti_recorder.expect_login(agent_id="5501", extension="8808")
    connector = ForgetfulConnector(cti_recorder)
    connector.login("5501", "8808")
    connector.logout()
    cti_recorder.expect_logout()
'''
CAPTURE = "".join(
    line + "\n"
    for line in (
        '{"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "5501", "pyAgentState": "Ready", "pyThisDN": "8808", '
        '"pyLinkState": "CONNECTED", "pyDeviceState": "OPENED", "pyLines": []}',
        '{"pyEventType": "CallStateEvent", "pyEventName": "Ringing", "pyCallId": 4953}',
        '{"pyEventType": "SnapshotEvent", "pyAgentState": "Busy", "pyLines": [],}',
    )
)


def run(args: list[str], cwd: Path, storage: Path | None = None) -> str:
    env = {**os.environ, "COLUMNS": "100", "PY_COLORS": "0", "NO_COLOR": "1"}
    if storage is not None:  # parallel tox envs must not share the checkout's .hypothesis database
        env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(storage)
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    return done.stdout + done.stderr + f"\n[exit status {done.returncode}]\n"


def section(output: str, first: str) -> list[str]:
    """The report section (its ``___ header ___`` line included) whose text starts with ``first``."""
    lines = output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(first))
    start = at - 1 if re.fullmatch(r"_+ .* _+", lines[at - 1]) else at
    end = next((i for i in range(at + 1, len(lines)) if re.match(r"^(_{3,}|={3,}) ", lines[i])), len(lines))
    return lines[start:end]


@pytest.fixture(scope="module")
def gallery_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("gallery")
    (where / "test_connector.py").write_text(textwrap.dedent(CONNECTOR_TEST), encoding="utf-8")
    (where / "login.cti.jsonl").write_text(CAPTURE, encoding="utf-8")
    return where


@pytest.fixture(scope="module")
def connector_run(gallery_dir: Path) -> str:
    return run([sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist"], gallery_dir)


def shot_assertion(output: str) -> str:
    failing = [line for line in section(output, "    def test_snapshot_from_the_connector") if line.startswith("E ")]
    return "$ pytest\n…\n" + "\n".join(failing) + "\n"


def shot_recorder(output: str) -> str:
    return "$ pytest\n…\n" + "\n".join(section(output, "cti_recorder (2 events forwarded)")) + "\n"


def shot_capture(output: str) -> str:
    return "$ pytest\n…\n" + "\n".join(section(output, "login.cti.jsonl violates")) + "\n"


def shot_cli(where: Path) -> str:
    cli = "import sys; from pytest_snapshot_cti.cli import main; sys.exit(main())"
    output = run([sys.executable, "-c", cli, "validate", "login.cti.jsonl"], where)
    *printed, status = [line for line in output.splitlines() if line.strip()]
    printed = [re.sub(r" — [\d.]+ s$", " — … s", line) for line in printed]  # timing varies
    return "\n".join(["$ snapshot-cti validate login.cti.jsonl", *printed, "$ echo $?", status.strip("[]").split()[-1]]) + "\n"


def shot_summary(storage: Path) -> str:
    output = run(
        [sys.executable, "-m", "pytest", "examples", "-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist"], ROOT, storage
    )
    lines = [line for line in output.splitlines() if line.strip()][:-1]  # drop [exit status N]
    explored = next(i for i, line in enumerate(lines) if line.startswith("=") and "Pega OpenCTI conformance" in line)
    start = next(i for i, line in enumerate(lines) if line.startswith("=") and "Pega OpenCTI contract" in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("="))
    outcome = re.sub(r" in [\d.]+s( \([\d:]+\))?$", " in …s", lines[-1].strip("= "))  # rulers and timing vary
    shown = [*(elide_exploration(line) for line in lines[explored:start]), *(elide_counts(line) for line in lines[start:end]), outcome]
    return "$ pytest examples\n…\n" + "\n".join(shown) + "\n"


def elide_exploration(line: str) -> str:
    """What the conformance kit drew (shifts, steps, how often each transition) as ``…``; what it supports as it is.

    ``…::TestFinesseConformance: 171 shifts, 4,505 steps`` -> ``…::TestFinesseConformance: … shifts, … steps``,
    ``  transitions: not_ready 1,207, ready 851, …`` -> ``  transitions: …`` (their order is their counts').
    """
    if line.startswith("  transitions: "):
        return "  transitions: …"
    return re.sub(r"^(\S+::\w+): [\d,]+ shifts?, [\d,]+ steps?$", r"\1: … shifts, … steps", line)


def elide_counts(line: str) -> str:
    """The numbers that are however many events the fuzz tests drew, as ``…``; every other line as it is.

    ``events checked: 5934 (SnapshotEvent 3226, …)`` -> ``events checked: … (SnapshotEvent …, …)``,
    ``  5929 valid, 5 invalid, 0 unreadable`` -> ``  … valid, 5 invalid, 0 unreadable``.
    """
    if line.startswith("events checked: "):
        return re.sub(r"\d+", "…", line)
    return re.sub(r"^  \d+ valid, ", "  … valid, ", line)


SHOTS: dict[str, Callable[..., str]] = {
    "assertion": shot_assertion,
    "recorder": shot_recorder,
    "capture": shot_capture,
}


def readme_blocks() -> dict[str, str]:
    match = SECTION.search(README.read_text(encoding="utf-8"))
    assert match, "README.md has no examples section"
    return {m["name"]: m["body"] for m in BLOCK.finditer(match.group(1))}


def check_or_update(name: str, produced: str) -> None:
    blocks = readme_blocks()
    if os.environ.get("CTI_UPDATE_GALLERY") == "1":
        text = README.read_text(encoding="utf-8")
        marker = f"<!-- gallery:{name} -->\n```text\n"
        at = text.index(marker) + len(marker)
        README.write_text(text[:at] + produced + text[text.index("```\n", at) :], encoding="utf-8")
        return
    assert name in blocks, f"README.md has no <!-- gallery:{name} --> block"
    assert blocks[name] == produced, f"README gallery block {name!r} is out of date:\n{produced}"


@pytest.mark.parametrize("name", sorted(SHOTS))
def test_gallery_block_matches_a_real_run(name: str, connector_run: str) -> None:
    check_or_update(name, SHOTS[name](connector_run))


def test_gallery_cli_block_matches_a_real_run(gallery_dir: Path) -> None:
    check_or_update("cli", shot_cli(gallery_dir))


def test_gallery_summary_matches_pytest_examples(tmp_path: Path) -> None:
    check_or_update("summary", shot_summary(tmp_path / "hypothesis"))


def test_every_gallery_block_is_checked() -> None:
    assert set(readme_blocks()) == {*SHOTS, "summary", "cli"}


def test_the_walkthrough_quotes_the_template_verbatim() -> None:
    """The five-minute walkthrough's code is the template's code, so copying either gives the same."""
    section_text = SECTION.search(README.read_text(encoding="utf-8"))
    assert section_text
    snippets = [textwrap.dedent(block) for block in re.findall(r"```python\n(.*?)^\s*```", section_text.group(1), re.S | re.M)]
    template = "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples" / "connector_template").rglob("*.py")))
    assert snippets
    for snippet in snippets:
        assert snippet in template, snippet
