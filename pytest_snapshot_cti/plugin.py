"""pytest glue for pytest-snapshot-cti: hooks and fixtures only.

Imports nothing heavy at module level (pytest is already loaded); the contract engine,
jsonschema, Hypothesis and Faker load when a fixture or item first needs them.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "cti(profile=None, disable=(), fail_on_warnings=None): per-test Pega OpenCTI contract settings (pytest-snapshot-cti)",
    )
