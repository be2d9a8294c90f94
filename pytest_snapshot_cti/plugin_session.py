"""What the plugin keeps for one pytest run, and the accessors the plugin's rooms read.

Why a module of its own: the plugin creates capture-file items (:mod:`collect`) whose tests read
the run's contract and tallies; with the session state here, both stand on it and neither
imports the other. Imports only pytest at module level, like the plugin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import pytest

from . import plugin_config as cfg
from . import run_context
from .violations import ContractUsageError

if TYPE_CHECKING:
    from .contract import Contract
    from .coverage import ContractCoverage
    from .exploration import ExplorationLog
    from .violations import Violation
    from .warnings_log import WarningLog


class SessionState:
    """What the plugin keeps for one pytest run: the tallies, created on first use."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._coverage: ContractCoverage | None = None
        self._warnings: WarningLog | None = None
        self._exploration: ExplorationLog | None = None
        #: The test running now (None between tests): the helpers use its contract.
        self.item: pytest.Item | None = None

    def coverage(self) -> ContractCoverage:
        if self._coverage is None:
            from .coverage import ContractCoverage

            self._coverage = ContractCoverage(lambda: session_contract(self.config))
            self._coverage.listener = self._heard
        return self._coverage

    def warnings(self) -> WarningLog:
        if self._warnings is None:
            from .warnings_log import WarningLog

            self._warnings = WarningLog()
        return self._warnings

    def exploration(self) -> ExplorationLog:
        """What the conformance kit drove connectors through (created when a conformance test runs)."""
        if self._exploration is None:
            from .exploration import ExplorationLog

            self._exploration = ExplorationLog()
        return self._exploration

    @property
    def explored(self) -> bool:
        return self._exploration is not None and bool(self._exploration)

    def _heard(self, event: Any, findings: Sequence[Violation]) -> None:
        if any(v.severity == "warning" for v in findings):
            self.warnings().add(None if self.item is None else self.item.nodeid, findings, event)

    @property
    def used(self) -> bool:
        return self._coverage is not None and bool(self._coverage)

    @property
    def has_warnings(self) -> bool:
        return self._warnings is not None and bool(self._warnings)

    def observe(self, event: Any, violations: list[Violation]) -> None:
        self.coverage().add(event, violations)

    def run_contract(self) -> run_context.RunContract:
        """What ``cti_contract`` gives the running test (the run's settings between tests)."""
        settings = session_settings_of(self.config) if self.item is None else settings_for(self.item)
        return run_context.RunContract(cfg.contract_for(self.config, settings), settings.fail_on_warnings)

    def running(self, item: pytest.Item | None) -> None:
        """Findings from here on belong to ``item`` (None: to no test); xfail ones are tallied apart."""
        self.item = item
        marked = item is not None and marked_xfail(item)
        if marked or self._coverage is not None:
            self.coverage().xfail_test_running = marked


STATE_KEY: Final = pytest.StashKey[SessionState]()


def session_settings_of(config: pytest.Config) -> cfg.CtiSettings:
    return config.stash[cfg.SETTINGS_KEY]


def session_contract(config: pytest.Config) -> Contract:
    return cfg.contract_for(config, session_settings_of(config))


def session_coverage(config: pytest.Config) -> ContractCoverage:
    return config.stash[STATE_KEY].coverage()


def session_exploration(config: pytest.Config) -> ExplorationLog:
    return config.stash[STATE_KEY].exploration()


def marked_xfail(item: pytest.Item) -> bool:
    """The marker, not its evaluated condition (pytest keeps that under a private key)."""
    return item.get_closest_marker("xfail") is not None


def settings_for(item: pytest.Item) -> cfg.CtiSettings:
    """The run's settings with ``item``'s ``cti`` marker applied; a bad marker fails the test with one line."""
    try:
        return cfg.with_marker(session_settings_of(item.config), item.get_closest_marker("cti"))
    except ContractUsageError as err:
        message = str(err)
    pytest.fail(message, pytrace=False)  # outside the except: no "during handling" chain in the report
