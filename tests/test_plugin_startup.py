"""The plugin stays light: nothing heavy at import, nothing loaded by a run that does not use it."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "jsonschema",
    "referencing",
    "hypothesis",
    "faker",
    "hypothesis_jsonschema",
    "pytest_snapshot_cti.contract",
    "pytest_snapshot_cti.rules",
)


def test_plugin_module_imports_nothing_heavy() -> None:
    probe = f"import sys, pytest, pytest_snapshot_cti.plugin; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_an_unused_plugin_loads_no_validator(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_trivial():
            assert "jsonschema" not in sys.modules
            assert "pytest_snapshot_cti.contract" not in sys.modules
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=1)
    assert "Pega OpenCTI contract" not in result.stdout.str()
