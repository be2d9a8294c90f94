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
Hypothesis found as a test to paste (:class:`Shift` replays it with the same checks).
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Final

import pytest

from . import model, scenarios
from .model import TRANSITIONS, World
from .oracle import Belief, compare
from .stream_writer import Steps
from .violations import ContractUsageError, Violation, errors_of, format_report, plural, warnings_of

if TYPE_CHECKING:
    from hypothesis import settings as Settings

    from .contract import Contract
    from .factories import EventFactory
    from .recorder import EventRecorder

__all__ = ["ConformanceFailure", "ConnectorConformance", "ConnectorCrashed", "Driver", "Shift", "Unsupported"]

#: The transitions a driver may define (login is required, with start).
OPTIONAL_TRANSITIONS: Final = tuple(name for name in TRANSITIONS if name != "login")
#: Values the kit hands a driver (strings, as Pega Call receives them).
CALLERS: Final = ("16175551212", "493012345678", "442071234567")
COLLEAGUES: Final = ("8809", "8810")
REASON_CODES: Final = ("12", "3", "27")
LOGOUT_REASONS: Final = ("3", "12")
FIRST_CALL_ID: Final = 4953
#: A transition that only makes sense with its partner (the shift would be stuck without it).
NEEDS: Final = {"link_down": "link_up", "device_closed": "logout"}


class Unsupported(Exception):
    """Raised by a driver method: this connector cannot be made to see that transition (it is never drawn)."""


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


class Driver:
    """How a team's connector sees each thing that happens in a contact centre.

    Define :meth:`start` and :meth:`login`, and each transition the connector can be made to
    see, with the model's signature (``answer(call_id)``, ``not_ready(reason_code)``…; every
    argument a string). A transition left undefined, or raising :class:`Unsupported`, is never
    drawn. ``self.world`` is the contact centre as it was before the transition (read only:
    the held call a ``consult`` was made from is ``self.world.held_without_consult()[-1]``).
    """

    world: World

    def start(self, forward_event: Callable[[Any], None]) -> None:
        """Build a fresh connector that forwards every event to ``forward_event``."""
        raise NotImplementedError

    def login(self, agent_id: str, extension: str) -> None:
        raise NotImplementedError

    def settle(self) -> None:
        """Wait until the connector is idle (an asynchronous connector forwards later); the default waits for nothing."""

    def stop(self) -> None:
        """Release what :meth:`start` built (a socket, a Node process); called after every shift."""

    def logout(self, reason_code: str) -> None:
        raise Unsupported("logout")

    def ready(self) -> None:
        raise Unsupported("ready")

    def not_ready(self, reason_code: str) -> None:
        raise Unsupported("not_ready")

    def after_call_work(self) -> None:
        raise Unsupported("after_call_work")

    def call_offered(self, call_id: str, caller: str) -> None:
        raise Unsupported("call_offered")

    def answer(self, call_id: str) -> None:
        raise Unsupported("answer")

    def caller_hangs_up(self, call_id: str) -> None:
        raise Unsupported("caller_hangs_up")

    def abandoned(self, call_id: str) -> None:
        raise Unsupported("abandoned")

    def hang_up(self, call_id: str) -> None:
        raise Unsupported("hang_up")

    def hold(self, call_id: str) -> None:
        raise Unsupported("hold")

    def retrieve(self, call_id: str) -> None:
        raise Unsupported("retrieve")

    def dial(self, call_id: str, number: str) -> None:
        raise Unsupported("dial")

    def far_end_answers(self, call_id: str) -> None:
        raise Unsupported("far_end_answers")

    def consult(self, call_id: str, number: str) -> None:
        raise Unsupported("consult")

    def transfer_complete(self, call_id: str) -> None:
        raise Unsupported("transfer_complete")

    def conference_complete(self, call_id: str) -> None:
        raise Unsupported("conference_complete")

    def link_down(self) -> None:
        raise Unsupported("link_down")

    def link_up(self) -> None:
        raise Unsupported("link_up")

    def device_closed(self) -> None:
        raise Unsupported("device_closed")


def defined_transitions(driver: type[Driver]) -> tuple[str, ...]:
    """The transitions ``driver`` defines itself (the base class's raise :class:`Unsupported`)."""
    return tuple(name for name in OPTIONAL_TRANSITIONS if getattr(driver, name, None) is not getattr(Driver, name))


def check_driver(driver: Any, where: str) -> type[Driver]:
    """``driver`` as a Driver class; a one-line :class:`ContractUsageError` when it cannot be one."""
    if not (isinstance(driver, type) and issubclass(driver, Driver)):
        raise ContractUsageError(f"{where}: driver must be a subclass of pytest_snapshot_cti.conformance.Driver, got {driver!r}")
    missing = [name for name in ("start", "login") if getattr(driver, name) is getattr(Driver, name)]
    if missing:
        raise ContractUsageError(
            f"{where}: {driver.__name__} must define {' and '.join(missing)} "
            "(start(forward_event) builds the connector, login(agent_id, extension) logs it in)"
        )
    return driver


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
        seed: int = 0,
    ) -> None:
        from .factories import EventFactory
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
        self.factory: EventFactory = EventFactory(seed)
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
        """Arguments as strings; a reason code left out (a scenario's ``not_ready()``) is the factory's."""
        if name in ("not_ready", "logout") and (not args or args[0] is None):
            return (self.factory.reason_code("aux" if name == "not_ready" else "logout"),)
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
            problems = [v for v in self.recorder.reading_problems(index) if v.rule not in self.contract.disabled]
            found += [v.at(where) for v in (*problems, *self.contract.validate(event, observe=False))]
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


# -- which transitions a driver supports -----------------------------------------------------------
_SUPPORT: dict[type[Driver], tuple[tuple[str, ...], dict[str, str]]] = {}


def support(driver: type[Driver], agent_id: str = "5501", extension: str = "8808") -> tuple[tuple[str, ...], dict[str, str]]:
    """``(supported transitions, {unsupported: why})`` for ``driver``, probed once per process.

    A transition the driver does not define is unsupported; one it defines is tried once, in
    a short probe shift that reaches a state where it can happen (checks off): if it raises
    :class:`Unsupported`, it is unsupported too. So a run never draws what a driver refuses.
    """
    if driver in _SUPPORT:
        return _SUPPORT[driver]
    defined = list(defined_transitions(driver))
    why = {name: f"{driver.__name__} does not define it" for name in OPTIONAL_TRANSITIONS if name not in defined}
    for name in list(defined):
        if name not in defined:
            continue
        while True:
            path = _path_to(name, defined, agent_id, extension)
            if path is None:
                defined.remove(name)
                why[name] = "no supported sequence of transitions reaches a state where it can happen"
                break
            refused = _probe(driver, path, agent_id, extension)
            if refused is None:
                break
            step, reason = refused
            defined.remove(step)
            why[step] = reason
            if step == name:
                break
    for name, partner in NEEDS.items():
        if name in defined and partner not in defined:
            defined.remove(name)
            why[name] = f"needs {partner}, which is not supported"
    _SUPPORT[driver] = (tuple(defined), why)
    return _SUPPORT[driver]


def _path_to(target: str, allowed: Sequence[str], agent_id: str, extension: str) -> list[tuple[str, tuple[str, ...]]] | None:
    """The shortest sequence of allowed transitions after login ending with ``target`` (breadth first)."""
    start = model.apply(World(), "login", agent_id, extension)
    queue: deque[tuple[World, list[tuple[str, tuple[str, ...]]]]] = deque([(start, [])])
    seen = {_shape(start)}
    while queue:
        w, path = queue.popleft()
        for name in allowed:
            if not TRANSITIONS[name].possible(w):
                continue
            args = _default_args(name, w)
            if name == target:
                return [*path, (name, args)]
            after = model.apply(w, name, *args)
            if _shape(after) not in seen:
                seen.add(_shape(after))
                queue.append((after, [*path, (name, args)]))
    return None


def _shape(w: World) -> tuple[Any, ...]:
    """What makes two worlds the same for reaching a transition (ids and numbers aside)."""
    calls = tuple((c.call_type, c.line_state, c.consult_of is not None) for c in w.calls.values())
    return (w.logged_in, w.agent_state, w.acd_chooses, w.link, w.device, calls)


def _default_args(name: str, w: World) -> tuple[str, ...]:
    t = TRANSITIONS[name]
    if t.targets is not None:
        return (t.targets(w)[0],)
    if t.new_call:
        call_id = str(FIRST_CALL_ID + len(w.calls))
        return (call_id, COLLEAGUES[0] if name == "consult" else CALLERS[0])
    return {"not_ready": (REASON_CODES[0],), "logout": (LOGOUT_REASONS[0],)}.get(name, ())


def _probe(driver: type[Driver], path: list[tuple[str, tuple[str, ...]]], agent_id: str, extension: str) -> tuple[str, str] | None:
    """The first step of ``path`` that raises :class:`Unsupported` (and why); ``None`` if none does."""
    try:
        shift = Shift(driver, checks=False)
    except Exception:
        return None  # start itself fails: the run will report the crash
    try:
        shift.login(agent_id, extension)
        for name, args in path:
            try:
                shift.step(name, *args)
            except Unsupported as exc:
                return name, str(exc) or f"{driver.__name__}.{name} raised Unsupported"
    except Exception:
        return None  # a crash is the run's to report, with its step and traceback
    finally:
        with contextlib.suppress(Exception):  # a probe must not fail the run
            shift.close()
    return None


# -- the shortest shift -------------------------------------------------------------------------------
Failure = ConformanceFailure | ConnectorCrashed
#: Replays one minimisation may spend (each is one short shift).
MINIMISE_BUDGET: Final = 500


def _signature(failure: Failure) -> tuple[Any, ...]:
    """What must stay the same for a shorter shift to show the same bug."""
    last = failure.steps[-1].name if failure.steps else None
    if isinstance(failure, ConnectorCrashed):
        return ("crash", last, type(failure.__cause__))
    first = errors_of(failure.violations)[:1] or list(failure.violations[:1])
    return ("finding", last, first[0].rule if first else None)


def replay(driver: type[Driver], steps: Sequence[tuple[str, Sequence[str]]], contract: Contract, fail_on_warnings: bool) -> Failure | None:
    """Run ``steps`` as one shift; the failure it ends in, ``None`` when it passes or cannot be taken."""
    __tracebackhide__ = True
    try:
        with Shift(driver, contract=contract, fail_on_warnings=fail_on_warnings) as shift:
            for name, args in steps:
                shift.step(name, *args)
    except (ConformanceFailure, ConnectorCrashed) as failure:
        return failure
    except (model.ModelError, Unsupported):
        return None
    return None


def minimise(driver: type[Driver], failure: Failure, contract: Contract, fail_on_warnings: bool) -> Failure:
    """A shorter shift ending in the same failure, if one exists: runs of steps deleted (long, then short) and
    call ids renumbered from 4953, each candidate replayed. Hypothesis's shrinking of a state machine
    can stop at a shift with detours in it (a link drop and its reconnect); this removes them."""
    target = _signature(failure)
    best = failure
    budget = MINIMISE_BUDGET

    def attempt(steps: list[tuple[str, tuple[str, ...]]]) -> bool:
        nonlocal best, budget
        if budget <= 0:
            return False
        budget -= 1
        found = replay(driver, steps, contract, fail_on_warnings)
        if found is not None and _signature(found) == target and len(found.steps) <= len(best.steps):
            best = found
            return True
        return False

    def current() -> list[tuple[str, tuple[str, ...]]]:
        return [(step.name, step.args) for step in best.steps if step.supported]

    chunk = len(current()) - 1
    while chunk >= 1 and budget > 0:
        index = 1  # step 1 is the login every shift starts with
        while index + chunk <= len(current()) and budget > 0:
            steps = current()
            if attempt(steps[:index] + steps[index + chunk :]):
                chunk = min(chunk, len(current()) - 1)
            else:
                index += 1  # every offset: a call and its steps, or a detour (link_down, link_up), go only together
        chunk -= 1
    attempt(_renumbered(current()))
    return best


def _renumbered(steps: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """The same steps with call ids 4953, 4954… in order of first use."""
    ids: dict[str, str] = {}
    out = []
    for name, args in steps:
        if args and (TRANSITIONS[name].new_call or TRANSITIONS[name].targets is not None):
            first = ids.setdefault(args[0], str(FIRST_CALL_ID + len(ids)))
            args = (first, *args[1:])
        out.append((name, args))
    return out


# -- the state machine -------------------------------------------------------------------------------
def _machine(
    conformance: type[ConnectorConformance], contract: Contract, fail_on_warnings: bool, log: _RunLog, *, checks: bool = True
) -> type[Any]:
    """A Hypothesis RuleBasedStateMachine over ``conformance.driver``'s supported transitions (``checks=False``: drive only)."""
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

    driver = conformance.driver
    supported, _ = support(driver, conformance.agent_id, conformance.extension)

    def __init__(self: Any) -> None:
        RuleBasedStateMachine.__init__(self)
        self.shift = Shift(driver, contract=contract, fail_on_warnings=fail_on_warnings, checks=checks)
        log.shifts += 1
        self.shift.step("login", conformance.agent_id, conformance.extension)

    def teardown(self: Any) -> None:
        log.record(self.shift)
        self.shift.close()

    namespace: dict[str, Any] = {"__init__": __init__, "teardown": teardown}
    enabled = [TRANSITIONS[name] for name in (*supported, "login")]

    def stuck(self: Any) -> bool:
        return not any(t.possible(self.shift.world) for t in enabled)

    def idle(self: Any) -> None:
        """Nothing the driver supports can happen now: the shift waits."""

    namespace["idle"] = rule()(precondition(stuck)(idle))
    for t in enabled:
        namespace[t.name] = _rule(t, conformance, st, rule, precondition)
    name = f"{conformance.__qualname__.replace('.', '_')}_shift"
    return type(name, (RuleBasedStateMachine,), namespace)


def _rule(t: model.Transition, conformance: type[ConnectorConformance], st: Any, rule: Any, precondition: Any) -> Any:
    """One rule, drawn only when ``t`` can happen: its arguments (a call it may apply to, by position), then the step."""

    def possible(self: Any) -> bool:
        return t.possible(self.shift.world)

    if t.targets is not None:
        targets = t.targets

        def on_call(self: Any, which: int) -> None:
            candidates = targets(self.shift.world)
            if candidates:
                _step(self, t.name, candidates[which % len(candidates)])

        body: Callable[..., None] = on_call
        strategies: dict[str, Any] = {"which": st.integers(0, model.MAX_CALLS - 1)}
    elif t.new_call:
        numbers = COLLEAGUES if t.name == "consult" else CALLERS

        def new_call(self: Any, number: str) -> None:
            _step(self, t.name, self.shift.new_call_id(), number)

        body, strategies = new_call, {"number": st.sampled_from(numbers)}
    elif t.name in ("not_ready", "logout"):
        codes = REASON_CODES if t.name == "not_ready" else LOGOUT_REASONS

        def with_reason(self: Any, reason_code: str) -> None:
            _step(self, t.name, reason_code)

        body, strategies = with_reason, {"reason_code": st.sampled_from(codes)}
    elif t.name == "login":

        def login(self: Any) -> None:
            _step(self, "login", conformance.agent_id, conformance.extension)

        body, strategies = login, {}
    else:

        def plain(self: Any) -> None:
            _step(self, t.name)

        body, strategies = plain, {}
    body.__name__ = body.__qualname__ = t.name
    return rule(**strategies)(precondition(possible)(body))


def _step(machine: Any, name: str, *args: str) -> None:
    __tracebackhide__ = True
    with contextlib.suppress(Unsupported):  # refused only sometimes: nothing happened this step (the summary lists it)
        machine.shift.step(name, *args)


class _RunLog:
    """What one ``test_any_shift`` drove the connector through (for the terminal summary)."""

    def __init__(self) -> None:
        self.shifts = 0
        self.transitions: list[str] = []
        self.unsupported: dict[str, str] = {}

    def record(self, shift: Shift) -> None:
        self.transitions += [step.name for step in shift.steps if step.supported]
        self.unsupported.update(shift.unsupported)


# -- the test class ------------------------------------------------------------------------------------
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
        log = _RunLog()
        machine = _machine(type(self), contract, fail_on_warnings, log)
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
    from .plugin import session_exploration

    return session_exploration(request.config)
