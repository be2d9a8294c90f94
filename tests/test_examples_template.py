"""The connector template (examples/connector_template) works as a team would use it.

The fast test runs the template's own suite, from a copy, with the pytest of this
environment. The tox test builds the template and this checkout into fresh virtualenvs on
Python 3.10-3.13, as a team's CI would; it takes minutes, so it runs only when asked:
``CTI_TEMPLATE_TOX=1 python -m pytest tests/test_examples_template.py`` (the tox env
``template`` does; elsewhere it is deselected). tests/test_install.py installs the copy from
its own README's instructions in a fresh virtualenv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "examples" / "connector_template"


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A clean copy of the template (no caches, nothing written into the checkout)."""
    copy = tmp_path / "acme-cti-connector"
    shutil.copytree(TEMPLATE, copy, ignore=shutil.ignore_patterns(".tox", ".pytest_cache", ".hypothesis", "__pycache__", "*.egg-info"))
    return copy


def test_the_template_suite_passes_with_the_installed_plugin(template: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider", "-q"],
        cwd=template,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # four tests, the recorded capture file, the conformance class (scenarios it cannot drive are skipped)
    assert "10 passed, 3 skipped" in done.stdout
    assert "Pega OpenCTI contract" in done.stdout  # the plugin's terminal summary
    assert "Pega OpenCTI conformance: 1 connector explored" in done.stdout


@pytest.mark.needs_env("CTI_TEMPLATE_TOX")
def test_tox_runs_the_template_on_python_310_to_313(template: Path) -> None:
    """As a team runs it: no PATH prefix; with pyenv, the template's .python-version shows tox 3.10-3.13."""
    tox = shutil.which("tox") or shutil.which("tox", path=str(Path(sys.executable).parent))
    assert tox is not None, "tox is not installed: python -m pip install 'tox>=4.14'"
    env = {**os.environ, "CTI_PACKAGE": str(ROOT)}
    done = subprocess.run(
        [tox, "run-parallel", "-p", "auto", "--parallel-no-spinner", "--", "-p", "no:cacheprovider", "-q"],
        cwd=template,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    for env_name in ("py310", "py311", "py312", "py313"):
        assert f"{env_name}: OK" in done.stdout, done.stdout[-3000:]
