"""One shift of a connector, driven through the model's transitions and checked after every step.

Why: the one place that turns "the driver made the connector see hold('4953')" into a verdict:
each newly forwarded event against the contract, the stream rules L1–L5 on the session, the
findings of the recorder's attached sources (a JavaScript connector's error objects), and the
model oracle (O1–O5). The conformance kit's state machine, its scenario tests and a team's pasted
reproduction all step a :class:`Shift`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from . import model
from .driver import Driver, Unsupported, check_driver
from .model import World
from .oracle import Belief, compare
from .stream_writer import Steps
from .violations import ContractUsageError, Violation, errors_of, format_report, plural, warnings_of

if TYPE_CHECKING:
    from .contract import Contract
    from .recorder import EventRecorder

__all__ = ["ConformanceFailure", "ConnectorCrashed", "Shift", "StepRecord", "describe_step", "resolve_contract"]

#: Values the kit hands a driver (strings, as Pega Call receives them).
CALLERS: Final = ("16175551212", "493012345678", "442071234567")
COLLEAGUES: Final = ("8809", "8810")
REASON_CODES: Final = ("12", "3", "27")
LOGOUT_REASONS: Final = ("3", "12")
FIRST_CALL_ID: Final = 4953


class ConnectorCrashed(Exception):
    """A driver method raised something other than :class:`Unsupported`: the connector's crash, not a finding.

    ``steps`` is the shift up to the crash; the team's exception is ``__cause__``, with its traceback.
    """

    def __init__(self, message: str, steps: Sequence[StepRecord] = ()) -> None:
        super().__init__(message)
        self.steps: tuple[StepRecord, ...] = tuple(steps)


class ConformanceFailure(AssertionError):
    """What the connector told Pega Call broke the contract or was not true; carries ``violations`` and ``steps``."""

    def __init__(self, message: str, violations: Sequence[Violation], steps: Sequence[StepRecord]) -> None:
        super().__init__(message)
        self.violations: tuple[Violation, ...] = tuple(violations)
        self.steps: tuple[StepRecord, ...] = tuple(steps)


def resolve_contract(contract: Contract | None, profile: str | None, disable: Sequence[str], allow_extra: Sequence[str]) -> Contract:
    """``contract``, else the running test's (``--cti-profile``, ini, ``cti`` marker) with ``profile`` and
    the rules and extra fields given added, else the bundled contract under ``profile``."""
    from .contract import Contract, load_contract
    from .run_context import current

    if contract is None:
        run = current()
        if run is None:
            return load_contract(profile or "published", disable=disable, allow_extra=allow_extra)
        contract = run.contract
    if (profile is None or profile == contract.profile) and not disable and not allow_extra:
        return contract
    return Contract(
        contract.schema_set,
        profile or contract.profile,
        disable=(*contract.disabled, *disable),
        allow_extra=(*contract.allow_extra, *allow_extra),
    )


def describe_step(name: str, args: Sequence[str]) -> str:
    """``hold '4953'``, ``login '5501', '8808'``, ``ready``: a step as messages name it."""
    return name + (" " + ", ".join(repr(a) for a in args) if args else "")


@dataclass(frozen=True)
class StepRecord:
    """One step of a shift: which transition, its arguments, and the events it forwarded (indexes)."""

    number: int
    name: str
    args: tuple[str, ...]
    first_event: int
    end_event: int
    supported: bool = True

    @property
    def label(self) -> str:
        return f"step {self.number} ({describe_step(self.name, self.args)})"


class KitValues:
    """The values a scenario script asks for, as the kit hands them to a driver: call ids 4953, 4954…
    (numeric strings, which any ACD's ids can stand for), the kit's callers and colleagues."""

    def __init__(self, shift: Shift) -> None:
        self._shift = shift
        self._numbers = 0

    def new_call_id(self) -> str:
        return self._shift.new_call_id()

    def external_number(self) -> str:
        self._numbers += 1
        return CALLERS[(self._numbers - 1) % len(CALLERS)]

    def colleague_extension(self) -> str:
        return COLLEAGUES[0]


class Shift(Steps):
    """One shift of a connector driven through model transitions, checked after every step.

    Call the transitions as methods (``shift.login("5501", "8808")``, ``shift.hold("4953")``):
    each makes the driver's connector see it, waits for it to settle, then checks what was
    forwarded. The first step with an error raises :class:`ConformanceFailure`; warnings
    collect in :attr:`warnings` (and fail too with ``fail_on_warnings=True``).
    """

    def __init__(
        self,
        driver: type[Driver],
        *,
        profile: str | None = None,
        disable: Sequence[str] = (),
        allow_extra: Sequence[str] = (),
        contract: Contract | None = None,
        fail_on_warnings: bool = False,
        checks: bool = True,
    ) -> None:
        from .recorder import EventRecorder

        self.driver_class = check_driver(driver, "Shift")
        self.contract: Contract = resolve_contract(contract, profile, disable, allow_extra)
        self.fail_on_warnings = fail_on_warnings
        self.checks = checks
        self.world = World()
        self.recorder: EventRecorder = EventRecorder(self.contract)
        self.steps: list[StepRecord] = []
        self.warnings: list[Violation] = []
        self.unsupported: dict[str, str] = {}
        self.factory: Any = KitValues(self)  # what scenario scripts draw their values from
        self.agent_id, self.extension = "5501", "8808"
        self._belief = Belief()
        self._gone: dict[str, str] = {}
        self._session_start = 0
        self._reported: set[tuple[str, str, str, str | None]] = set()
        self._next_call = FIRST_CALL_ID
        self._locations: list[str] = []  # event #N (type), per event forwarded so far
        self._sourced = 0  # findings of the recorder's attached sources already reported
        self.driver = self.driver_class()
        self.driver.world = self.world
        self._call_driver("start", "start", self.recorder)

    # -- the transitions ------------------------------------------------------------------------
    @property
    def events(self) -> list[Any]:
        return self.recorder.events

    def new_call_id(self) -> str:
        """The next unused call id (``"4953"``, ``"4954"``…)."""
        while str(self._next_call) in self.world.calls or any(str(self._next_call) == s for s in self._gone):
            self._next_call += 1
        call_id = str(self._next_call)
        self._next_call += 1
        return call_id

    def step(self, name: str, *args: str | None, **options: Any) -> None:
        """Make the connector see transition ``name(*args)``, then check what it forwarded."""
        __tracebackhide__ = True
        if name == "login":
            self.agent_id, self.extension = str(args[0]), str(args[1])
        values = self._values(name, args)
        model.check(self.world, name, *values)
        record = StepRecord(len(self.steps) + 1, name, values, len(self.events), len(self.events))
        self.driver.world = self.world
        try:
            self._call_driver(name, record.label, *values)
            self._call_driver("settle", record.label)
        except Unsupported as exc:
            if name == "login":
                raise ContractUsageError(f"{self.driver_class.__name__}.login raised Unsupported: every shift starts with login") from exc
            self.unsupported[name] = str(exc) or name
            self.steps.append(StepRecord(record.number, name, values, record.first_event, len(self.events), supported=False))
            raise
        record = StepRecord(record.number, name, values, record.first_event, len(self.events))
        self.steps.append(record)
        before, self.world = self.world, model.apply(self.world, name, *values)
        for call_id in before.calls:
            if call_id not in self.world.calls:
                self._gone[call_id] = record.label
        if name == "login":
            self._session_start = record.first_event
            self._gone.clear()
            self._reported.clear()
        if self.checks:
            self._check(record)

    def _values(self, name: str, args: Sequence[str | None]) -> tuple[str, ...]:
        """Arguments as strings; a reason code left out (a scenario's ``not_ready()``) is the kit's first."""
        if name in ("not_ready", "logout") and (not args or args[0] is None):
            return ((REASON_CODES if name == "not_ready" else LOGOUT_REASONS)[0],)
        return tuple(str(a) for a in args)

    def _call_driver(self, method: str, label: str, *args: Any) -> None:
        __tracebackhide__ = True
        try:
            getattr(self.driver, method)(*args)
        except Unsupported:
            raise
        except Exception as exc:  # the team's code broke: say where, keep its traceback
            steps = self.steps
            if method not in ("start", "settle") and label.startswith("step "):
                steps = [*steps, StepRecord(len(steps) + 1, method, tuple(args), len(self.events), len(self.events))]
            raise ConnectorCrashed(
                f"{label}: {self.driver_class.__name__}.{method}{_call_repr(args)} raised {type(exc).__name__}: {exc}\n"
                + self.reproduction(steps),
                steps,
            ) from exc

    def close(self) -> None:
        """Stop the driver's connector (its :meth:`Driver.stop`)."""
        self.driver.stop()

    def __enter__(self) -> Shift:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the checks ---------------------------------------------------------------------------
    def _check(self, record: StepRecord) -> None:
        from .lifecycle import check_stream

        found: list[Violation] = []
        locations = self._locations
        locations += [self.recorder.location(i) for i in range(len(locations), len(self.events))]
        for index in range(record.first_event, record.end_event):
            event = self.recorder.events[index]
            where = f"{record.label} {locations[index]}"
            found += [v.at(where) for v in self.recorder.findings_of(index)]
            self._belief.hear(event, index)
        session = range(self._session_start, len(self.events))
        login = {"agent_id": self.agent_id, "extension": self.extension}
        logged_out = not self.world.logged_in
        stream = check_stream(
            [self.events[i] for i in session],
            login=login,
            logout=logged_out,
            severity=self.contract.severity,
            locations=locations[session.start :],
        )
        for violation in stream:
            key = (violation.rule, violation.path, violation.message, violation.location)
            if key not in self._reported:
                self._reported.add(key)
                found.append(violation.at(record.label))
        sourced = self.recorder.source_findings()  # a JavaScript connector's error objects and console.error
        found += [v.at(record.label) for v in sourced[self._sourced :]]
        self._sourced = len(sourced)
        for told in compare(self.world, self._belief, self._gone):
            severity = self.contract.severity(told.rule)
            if severity is None:
                continue
            where = record.label if told.index is None else f"{record.label} {locations[told.index]}"
            found.append(Violation(told.rule, severity, told.path, told.message, told.hint, where))
        self.warnings += warnings_of(found)
        if errors_of(found) or (self.fail_on_warnings and found):
            raise ConformanceFailure(self.failure_message(record, found), found, self.steps)

    # -- what a failure says ------------------------------------------------------------------------
    def failure_message(self, record: StepRecord, found: Sequence[Violation]) -> str:
        subject = f"{self.driver_class.__name__}'s connector at {record.label}"
        lines = [format_report(list(found), subject=subject, profile=self.contract.profile)]
        events = range(record.first_event, record.end_event)
        lines.append(f"events forwarded at {record.label}: " + ("none" if not events else ""))
        for index in events:
            lines.append(f"  #{index + 1} {_as_json(self.events[index])}")
        lines.append(self.reproduction())
        return "\n".join(lines)

    def reproduction(self, steps: Sequence[StepRecord] | None = None) -> str:
        """The shift so far (or ``steps``) as a test to paste (the same checks run on every step)."""
        steps = self.steps if steps is None else steps
        driver = self.driver_class
        options = "" if self.contract.profile == "published" else f", profile={json.dumps(self.contract.profile)}"
        disabled = sorted(rule for rule in self.contract.disabled)
        if disabled:
            options += f", disable={json.dumps(disabled)}"
        if self.contract.allow_extra:
            options += f", allow_extra={json.dumps(list(self.contract.allow_extra))}"
        where = (
            ""
            if driver.__module__ in ("__main__", "builtins")
            else f"    from {driver.__module__} import {driver.__qualname__.split('.')[0]}\n"
        )
        body = [
            f"the shift, as a test to paste ({plural(sum(step.supported for step in steps), 'step')}):",
            "",
            "    from pytest_snapshot_cti.conformance import Shift",
            *([where.rstrip("\n")] if where else []),
            "",
            "    def test_shift_found_by_the_conformance_kit():",
            f"        with Shift({driver.__qualname__}{options}) as shift:",
        ]
        body += [f"            shift.{step.name}({', '.join(json.dumps(a) for a in step.args)})" for step in steps if step.supported]
        return "\n".join(body)


def _call_repr(args: Sequence[Any]) -> str:
    if args and not all(isinstance(a, str) for a in args):
        return "(forward_event)" if len(args) == 1 else "(...)"
    return "(" + ", ".join(repr(a) for a in args) + ")"


def _as_json(event: Any) -> str:
    try:
        return json.dumps(event, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(event)
