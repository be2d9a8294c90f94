"""The pytest11 module and the package root stay light: heavy libraries load only when used.

Also the engine itself (contract, rules): a pytest run that never validates loads no validator.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("hypothesis", "faker", "jsonschema", "hypothesis_jsonschema", "referencing", "jsonschema_rs", "msgspec")
ENGINE = ("pytest_snapshot_cti.contract", "pytest_snapshot_cti.rules")


def imported_modules(statement: str) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True, check=True)
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.parametrize("statement", ["import pytest_snapshot_cti.plugin", "import pytest_snapshot_cti"])
def test_importing_loads_no_heavy_dependency(statement: str) -> None:
    names = imported_modules(statement)
    assert "pytest_snapshot_cti" in names
    loaded = sorted(name for name in names if name.split(".")[0] in HEAVY or name in ENGINE)
    assert loaded == []


def test_validating_loads_jsonschema_but_not_hypothesis_or_faker() -> None:
    names = imported_modules("import pytest_snapshot_cti as c; c.validate_snapshot({'pyAgentState': 'READY'})")
    top = {name.split(".")[0] for name in names}
    assert "jsonschema" in top
    assert not top & {"hypothesis", "faker", "hypothesis_jsonschema"}


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
