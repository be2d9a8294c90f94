"""Shared settings for the project's own suite.

Hypothesis deadlines are off: CI machines are noisy and timing belongs in benchmarks/.

The suite asserts what a developer sees on their machine, so it runs the same with and
without ``CI=true``: CI changes both pytest's output (untruncated summaries) and
Hypothesis's defaults (its ``ci`` profile derandomizes). The profile is built on
Hypothesis's ``default`` one, and the CI markers are removed for every test, so the
pytester runs (in-process and subprocess) see what a developer's terminal would.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import _settings as hypothesis_settings
from hypothesis import core as hypothesis_core
from hypothesis import settings

settings.register_profile("cti-suite", parent=settings.get_profile("default"), deadline=None)
settings.load_profile("cti-suite")

# Hypothesis's own list of CI variables is private; fall back to the common ones.
CI_MARKERS = ("CI", "BUILD_NUMBER", "GITHUB_ACTIONS", "GITLAB_CI", *getattr(hypothesis_settings, "_CI_VARS", ()))


@pytest.fixture(autouse=True)
def _as_on_a_developer_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CI_MARKERS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _hypothesis_state_restored() -> Iterator[None]:
    """An in-process pytester run with ``--hypothesis-profile`` or ``--hypothesis-seed`` changes
    Hypothesis's globals for the rest of the process: a later test would run 7 examples, or a
    forced seed, depending on the order (pytest-randomly made that a flaky failure)."""
    seed = hypothesis_core.global_force_seed
    yield
    hypothesis_core.global_force_seed = seed
    settings.load_profile("cti-suite")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "needs_env(NAME): an install check that needs the network and minutes; runs only when the environment "
        "variable NAME is 1 (the tox env `template` sets it), deselected otherwise",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (not skip) the install checks outside the CI env that runs them: a skip would read as a gap."""
    wanted = [item for item in items if _env_allows(item)]
    if len(wanted) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in wanted])
        items[:] = wanted


def _env_allows(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("needs_env")
    return marker is None or os.environ.get(str(marker.args[0])) == "1"


#: ``record_property(CORPUS_PROPERTY, text)``: a line for the end-of-run section below (the corpus and fuzz tests'
#: counts: how many lines each fast path decided, disagreements), so a plain ``pytest -q`` run shows them.
CORPUS_PROPERTY = "cti_corpus"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per corpus or fuzz test that recorded its counts (also from pytest-xdist workers: the
    properties travel with each report)."""
    lines = sorted(
        f"{report.nodeid}: {value}"
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == CORPUS_PROPERTY
    )
    if lines:
        terminalreporter.write_sep("=", "corpus and differential counts")
        for line in lines:
            terminalreporter.write_line(line)
