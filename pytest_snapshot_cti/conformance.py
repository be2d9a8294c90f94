"""The conformance kit: drive a connector through the contact centre by itself, with the model as oracle.

A team writes a :class:`Driver` (how *its* connector sees each thing that happens: its ACD's
native events, or calls into its JavaScript) and a test class::

    class TestAcmeConformance(ConnectorConformance):
        driver = AcmeDriver

The class contributes one test per reference scenario and ``test_any_shift``, a Hypothesis
state machine over the model's transitions. After every step the kit checks each newly
forwarded event against the contract, the stream rules L1–L5, and the model oracle (O1–O5:
what the connector told Pega Call is true). A failure reads in one look: the findings,
located at their step and event, the events of the failing step, and the shortest shift
found as a test to paste (:class:`Shift` replays it with the same checks).

The rooms: :mod:`driver` (the team's side), :mod:`shift` (one checked shift),
:mod:`driver_support` (what a driver supports), :mod:`shift_machine` (the state machine),
:mod:`shrinking` (the shortest shift); this module is the pytest test class.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

from . import scenarios
from .driver import Driver, Unsupported, check_driver
from .driver_support import support
from .shift import ConformanceFailure, ConnectorCrashed, Shift, StepRecord, resolve_contract
from .shift_machine import RunLog, shift_machine
from .shrinking import minimise
from .violations import ContractUsageError

if TYPE_CHECKING:
    from hypothesis import settings as Settings

    from .contract import Contract

__all__ = ["ConformanceFailure", "ConnectorConformance", "ConnectorCrashed", "Driver", "Shift", "StepRecord", "Unsupported"]


class ConnectorConformance:
    """Base class of a conformance test class: set ``driver``; it contributes the tests.

    ``profile`` (and ``disable``, ``allow_extra``) choose the contract; by default the run's
    (``--cti-profile``, ini, the ``cti`` marker). ``settings`` (a ``hypothesis.settings``)
    tunes ``test_any_shift``; by default the loaded Hypothesis profile, with no deadline and no
    health checks, as Hypothesis runs any state machine. ``scenarios`` limits the scenario
    tests (``()``: none, only ``test_any_shift``).
    """

    driver: ClassVar[type[Driver]]
    profile: ClassVar[str | None] = None
    disable: ClassVar[Sequence[str]] = ()
    allow_extra: ClassVar[Sequence[str]] = ()
    agent_id: ClassVar[str] = "5501"
    extension: ClassVar[str] = "8808"
    settings: ClassVar[Settings | None] = None
    scenarios: ClassVar[Sequence[str] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.scenarios is not None and not tuple(cls.scenarios):
            cls.test_scenario = None  # type: ignore[assignment,method-assign]

    @classmethod
    def pytest_generate_tests(cls, metafunc: pytest.Metafunc) -> None:
        """Check the driver (a one-line collection error) and name one test per scenario."""
        try:
            check_driver(getattr(cls, "driver", None), cls.__qualname__)
            for name in cls.scenarios or ():
                scenarios.parameters(name)
        except (ContractUsageError, ValueError) as err:
            pytest.fail(str(err), pytrace=False)
        if "scenario" in metafunc.fixturenames:
            names = scenarios.SCENARIOS if cls.scenarios is None else tuple(cls.scenarios)
            metafunc.parametrize("scenario", names, ids=list(names))

    def _contract(self) -> tuple[Contract, bool]:
        from .run_context import current

        run = current()
        contract = resolve_contract(None, self.profile, tuple(self.disable), tuple(self.allow_extra))
        return contract, run.fail_on_warnings if run is not None else False

    def test_scenario(self, scenario: str, request: pytest.FixtureRequest) -> None:
        """The reference scenario, as transitions through the driver (skipped when it needs an unsupported one)."""
        __tracebackhide__ = True
        contract, fail_on_warnings = self._contract()
        supported, why = support(self.driver, self.agent_id, self.extension)
        needed = [name for name in _transitions_of(scenario, self.agent_id, self.extension) if name not in (*supported, "login")]
        if needed:  # reported at the test's own location, as a skip mark is (not at this line of the kit)
            reason = f"scenario {scenario!r} needs {needed[0]}, which {self.driver.__name__} does not support ({why[needed[0]]})"
            raise pytest.skip.Exception(reason, _use_item_location=True)
        with Shift(self.driver, contract=contract, fail_on_warnings=fail_on_warnings) as shift, _reported():
            shift.agent_id, shift.extension = self.agent_id, self.extension
            _, logs_out = scenarios.lookup(scenario)
            scenarios.play(shift, scenario, {}, logs_out)
            _session_log(request).add(_class_id(request), shifts=1, transitions=[s.name for s in shift.steps], unsupported=why)

    def test_any_shift(self, request: pytest.FixtureRequest) -> None:
        """Thousands of generated shifts over the model's transitions; the shortest failing one is reported."""
        __tracebackhide__ = True
        from hypothesis import HealthCheck
        from hypothesis import settings as hypothesis_settings
        from hypothesis.stateful import run_state_machine_as_test

        contract, fail_on_warnings = self._contract()
        _, why = support(self.driver, self.agent_id, self.extension)
        log = RunLog()
        machine = shift_machine(
            self.driver,
            agent_id=self.agent_id,
            extension=self.extension,
            contract=contract,
            fail_on_warnings=fail_on_warnings,
            log=log,
            name=f"{type(self).__qualname__.replace('.', '_')}_shift",
        )
        settings = (
            self.settings if self.settings is not None else hypothesis_settings(deadline=None, suppress_health_check=list(HealthCheck))
        )
        try:
            with _reported():
                try:
                    run_state_machine_as_test(machine, settings=settings)
                except (ConformanceFailure, ConnectorCrashed) as failure:
                    shorter = minimise(self.driver, failure, contract, fail_on_warnings)
                    if shorter is failure:
                        raise
                    raise shorter from shorter.__cause__
        finally:
            _session_log(request).add(
                _class_id(request), shifts=log.shifts, transitions=log.transitions, unsupported={**why, **log.unsupported}
            )


if not TYPE_CHECKING:
    Failed = pytest.fail.Exception
else:
    from _pytest.outcomes import Failed


class _ReportedFailure(ConformanceFailure, Failed):
    """A :class:`ConformanceFailure` as pytest shows it: the message alone (it says every step), no traceback."""

    def __init__(self, failure: ConformanceFailure) -> None:
        ConformanceFailure.__init__(self, str(failure), failure.violations, failure.steps)
        Failed.__init__(self, str(failure), pytrace=False)


_ReportedFailure.__module__, _ReportedFailure.__qualname__ = __name__, "ConformanceFailure"


@contextlib.contextmanager
def _reported() -> Iterator[None]:
    """Findings leave a test as its one-look report; a crash keeps the traceback into the team's code."""
    __tracebackhide__ = True
    try:
        yield
    except ConformanceFailure as failure:
        if isinstance(failure, _ReportedFailure):
            raise
        raise _ReportedFailure(failure) from None


def _transitions_of(scenario: str, agent_id: str, extension: str) -> list[str]:
    """The transitions scenario ``scenario`` takes, in order (written once by the stream writer)."""
    from .factories import EventFactory

    script = scenarios.Script(EventFactory(0), agent_id, extension)
    taken: list[str] = []
    original = script.step

    def step(name: str, *args: str | None, **options: Any) -> None:
        taken.append(name)
        original(name, *args, **options)

    script.step = step  # type: ignore[method-assign]
    _, logs_out = scenarios.lookup(scenario)
    scenarios.play(script, scenario, {}, logs_out)
    return taken


def _class_id(request: pytest.FixtureRequest) -> str:
    return str(request.node.nodeid).rsplit("::", 1)[0]


def _session_log(request: pytest.FixtureRequest) -> Any:
    from .plugin_session import session_exploration

    return session_exploration(request.config)
