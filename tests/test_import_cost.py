"""The pytest11 module and the package root stay light: heavy libraries load only when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("hypothesis", "faker", "jsonschema", "hypothesis_jsonschema", "referencing", "jsonschema_rs", "msgspec")


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
    loaded = sorted(name for name in names if name.split(".")[0] in HEAVY)
    assert loaded == []


def test_validating_loads_jsonschema_but_not_hypothesis_or_faker() -> None:
    names = imported_modules("import pytest_snapshot_cti as c; c.validate_snapshot({'pyAgentState': 'READY'})")
    top = {name.split(".")[0] for name in names}
    assert "jsonschema" in top
    assert not top & {"hypothesis", "faker", "hypothesis_jsonschema"}
