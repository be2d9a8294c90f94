"""The examples' bug variants are found by the conformance kit by itself, each as a short shift to paste.

Every vendor example and the JavaScript one keep their bugs as ``xfail(strict=True)`` conformance
classes with no hand-written scenario (``scenarios = ()``). ``pytest examples`` shows them as
xfailed; here one run with ``--runxfail`` reads each failure: the rule the kit names first, every
rule it names, and the shift it hands back (``shift.<transition>(…)`` lines, login included),
which must be at most six steps. One subprocess, the bug classes only: a few seconds.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_snapshot_cti.js import NodeNotFoundError, find_node

ROOT = Path(__file__).resolve().parents[1]
MODULES = {
    "amazon_connect": "test_amazon_connect_conformance.py",
    "cisco_finesse": "test_cisco_finesse_conformance.py",
    "genesys_cloud": "test_genesys_cloud_conformance.py",
    "js_connector": "test_js_connector_conformance.py",
}
#: class -> (example, the rule the kit names first, rules it must also name, only a sequence shows it)
BUGS = {
    "TestStatusNameAsAgentStateIsFound": ("amazon_connect", "schema.enum", set(), False),
    "TestContactNotRestatedIsFound": ("amazon_connect", "O5", {"O1"}, True),
    "TestReasonCodeAsNumberIsFound": ("cisco_finesse", "S3", set(), False),
    "TestForgottenHeldCallIsFound": ("cisco_finesse", "O1", set(), True),
    "TestAfterCallWorkAsBusyIsFound": ("genesys_cloud", "C5", set(), False),
    "TestPresenceDroppedDuringCallsIsFound": ("genesys_cloud", "O4", set(), True),
    "TestLegacyErrorsAreFound": ("js_connector", "F1", set(), False),
    "TestAgentForgottenOnReconnectIsFound": ("js_connector", "O4", set(), True),
}
HEADER = re.compile(r"^_+ (?P<cls>Test\w+)\.test_any_shift _+$", re.M)
RULE = re.compile(r"\[(?P<rule>[A-Za-z][\w.]*)\]$", re.M)
SHIFT_STEP = re.compile(r"^ {12}shift\.(?P<name>\w+)\(", re.M)


def node_available() -> bool:
    try:
        find_node()
    except NodeNotFoundError:
        if os.environ.get("CTI_REQUIRE_NODE") == "1":
            raise
        return False
    return True


@pytest.fixture(scope="module")
def hunts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each bug class's failure report, from one ``--runxfail`` run of the examples' conformance modules."""
    env = {**os.environ, "COLUMNS": "120", "PY_COLORS": "0", "HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path_factory.mktemp("hypothesis"))}
    env.pop("PYTEST_ADDOPTS", None)
    paths = [f"examples/{example}/{module}" for example, module in MODULES.items()]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *paths,
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "--runxfail",
            "-k",
            " or ".join(BUGS),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    found = {}
    headers = list(HEADER.finditer(output))
    for this, after in zip(headers, [*headers[1:], None], strict=True):
        found[this["cls"]] = output[this.end() : after.start() if after else len(output)]
    return found


@pytest.mark.parametrize("cls", sorted(BUGS))
def test_each_bug_is_found_with_its_rule_in_a_short_shift(hunts: dict[str, str], cls: str) -> None:
    example, first, also, _ = BUGS[cls]
    if example == "js_connector" and not node_available():
        pytest.skip("Node.js 18+ is not installed: the JavaScript example's conformance classes skip")
    assert cls in hunts, f"{cls} was not found by the kit (no failure report under --runxfail)"
    report = hunts[cls]
    rules = [m["rule"] for m in RULE.finditer(report.split("events forwarded at", 1)[0])]
    assert rules, report
    assert rules[0] == first, report
    assert also <= set(rules), report
    steps = [m["name"] for m in SHIFT_STEP.finditer(report)]
    assert steps[0] == "login", report
    assert len(steps) <= 6, report
    assert f"the shift, as a test to paste ({len(steps)} steps):" in report, report


def test_the_sequence_only_bugs_need_a_sequence(hunts: dict[str, str]) -> None:
    """A bug only a sequence shows is never found in a shift of login and one more step."""
    for cls, (*_, sequence_only) in BUGS.items():
        if sequence_only and cls in hunts:
            assert len(SHIFT_STEP.findall(hunts[cls])) >= 4, hunts[cls]
