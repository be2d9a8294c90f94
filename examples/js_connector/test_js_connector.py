"""Contract test for a connector written in JavaScript: run it with Node, check what it forwards.

The script prints every event it forwards as one JSON line; each line goes to
``cti_recorder`` as text, so it is parsed as strictly as Pega's ``JSON.parse`` would.
Set ``CTI_REQUIRE_NODE=1`` (CI does) to fail instead of skip when ``node`` is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("connector.js")
AGENT, EXTENSION = "7001", "4411"


@pytest.fixture
def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CTI_REQUIRE_NODE") == "1":
            pytest.fail("CTI_REQUIRE_NODE=1 but `node` is not on PATH", pytrace=False)
        pytest.skip("`node` is not on PATH: the JavaScript connector example needs Node.js 18 or newer")
    return found


def run_connector(node: str, *args: str) -> list[str]:
    done = subprocess.run([node, str(SCRIPT), *args], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.cti(profile="strict")
def test_the_js_connector_honours_the_strict_contract(node, cti_recorder):
    cti_recorder.expect_login(agent_id=AGENT, extension=EXTENSION)
    for line in run_connector(node, "--agent", AGENT, "--extension", EXTENSION):
        cti_recorder(line)
    cti_recorder.expect_logout()
    assert [e["pyEventName"] for e in cti_recorder.of_type("CallStateEvent")] == [
        "Alerting",
        "Established",
        "Held",
        "Retrieved",
        "Disconnected",
    ]
    assert cti_recorder.last("SnapshotEvent")["pyReasonCode"] == "3"  # the ACD's numeric code, sent as a string
