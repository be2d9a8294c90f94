"""Installing as a team does, in fresh virtualenvs outside this checkout (needs the package index).

1. A team's repo already holds the newest Hypothesis, syrupy, pytest-randomly, pytest-xdist and
   pytest-cov; installing our wheel must change none of their versions (it once took Hypothesis
   down to 6.170.9), and ``from_contract`` must work on that Hypothesis.
2. The connector template, copied out of this checkout, installs and passes from its own README's
   instructions: pytest-snapshot-cti from a checkout first, then ``pip install -e ".[test]"``.

Minutes and the network: deselected unless ``CTI_INSTALL_CHECK=1`` (the tox env ``template`` sets it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "examples" / "connector_template"
TEAM_PACKAGES = ("hypothesis", "syrupy", "pytest-randomly", "pytest-xdist", "pytest-cov")

pytestmark = pytest.mark.needs_env("CTI_INSTALL_CHECK")


def run(*args: str | Path, cwd: Path | None = None) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, f"$ {' '.join(map(str, args))}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def fresh_venv(where: Path) -> Path:
    run(sys.executable, "-m", "venv", where)
    python = where / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--upgrade", "pip")
    return python


def versions(python: Path) -> dict[str, str]:
    """Installed distribution -> version (``pip list --format freeze``, names normalised)."""
    out = run(python, "-m", "pip", "list", "--format", "freeze")
    pairs = (line.split("==", 1) for line in out.splitlines() if "==" in line)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pairs}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT)
    (built,) = dist.glob("pytest_snapshot_cti-*.whl")
    return built


def test_the_wheel_changes_no_version_a_team_already_has(tmp_path: Path, wheel: Path) -> None:
    python = fresh_venv(tmp_path / "team")
    run(python, "-m", "pip", "install", "-q", "--upgrade", *TEAM_PACKAGES)
    before = versions(python)
    log = run(python, "-m", "pip", "install", wheel)
    after = versions(python)
    changed = {name: (version, after.get(name)) for name, version in before.items() if after.get(name) != version}
    assert changed == {}, log
    assert "Uninstalling" not in log
    assert "pytest-snapshot-cti" in after
    # from_contract draws objects on the team's (newest) Hypothesis: hypothesis-jsonschema is adapted lazily
    draw = (
        "from hypothesis import given, settings\n"
        "from pytest_snapshot_cti import strategies as cti\n"
        "seen = []\n"
        "@settings(max_examples=20, database=None, deadline=None)\n"
        "@given(cti.from_contract('snapshot', 'strict'))\n"
        "def check(doc):\n"
        "    seen.append(doc['pyEventType'])\n"
        "check()\n"
        "import hypothesis; print(hypothesis.__version__, len(seen), set(seen))\n"
    )
    version, count, *_ = run(python, "-c", draw, cwd=tmp_path).split()
    assert version == before["hypothesis"]
    assert int(count) >= 20


def test_the_copied_template_installs_and_passes_from_its_own_readme(tmp_path: Path) -> None:
    copy = tmp_path / "acme-cti-connector"
    shutil.copytree(TEMPLATE, copy, ignore=shutil.ignore_patterns(".tox", ".pytest_cache", ".hypothesis", "__pycache__", "*.egg-info"))
    readme = (copy / "README.md").read_text(encoding="utf-8")
    commands = [line.strip() for line in re.findall(r"```bash\n(.*?)```", readme, re.S)[:2]]
    assert commands == ["python -m pip install /path/to/pytest-snapshot-cti", 'python -m pip install -e ".[test]" && python -m pytest']
    python = fresh_venv(tmp_path / "venv")
    run(python, "-m", "pip", "install", "-q", ROOT, cwd=copy)  # step 1, with this checkout as the path
    run(python, "-m", "pip", "install", "-q", "-e", ".[test]", cwd=copy)  # step 2
    out = run(python, "-m", "pytest", "-p", "no:cacheprovider", cwd=copy)
    # four tests, the recorded capture file, the conformance class (scenarios it cannot drive are skipped)
    assert re.search(r"^=+ 10 passed, 3 skipped in ", out, re.M), out
    assert "Pega OpenCTI contract" in out
