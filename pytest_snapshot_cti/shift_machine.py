"""The conformance kit's Hypothesis state machine: one rule per transition a driver supports.

Why generated: the rules are the model's transitions minus the driver's unsupported ones, so each
driver gets its own machine class. A rule is drawn only when its transition can happen; its call id
is drawn by position among the calls it may apply to (shrinks towards the oldest call), and new
calls get the next id (4953, 4954…), so the same seed gives the same shift.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import model
from .driver import Driver, Unsupported
from .driver_support import support
from .model import TRANSITIONS
from .shift import CALLERS, COLLEAGUES, LOGOUT_REASONS, REASON_CODES, Shift

if TYPE_CHECKING:
    from .contract import Contract

__all__ = ["RunLog", "shift_machine"]


def shift_machine(
    driver: type[Driver],
    *,
    agent_id: str,
    extension: str,
    contract: Contract,
    fail_on_warnings: bool,
    log: RunLog,
    name: str,
    checks: bool = True,
) -> type[Any]:
    """A Hypothesis RuleBasedStateMachine over ``driver``'s supported transitions (``checks=False``: drive only)."""
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

    supported, _ = support(driver, agent_id, extension)

    def __init__(self: Any) -> None:
        RuleBasedStateMachine.__init__(self)
        self.shift = Shift(driver, contract=contract, fail_on_warnings=fail_on_warnings, checks=checks)
        log.shifts += 1
        self.shift.step("login", agent_id, extension)

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
        namespace[t.name] = _rule(t, (agent_id, extension), st, rule, precondition)
    return type(name, (RuleBasedStateMachine,), namespace)


def _rule(t: model.Transition, login_as: tuple[str, str], st: Any, rule: Any, precondition: Any) -> Any:
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
            _step(self, "login", *login_as)

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


class RunLog:
    """What one ``test_any_shift`` drove the connector through (for the terminal summary)."""

    def __init__(self) -> None:
        self.shifts = 0
        self.transitions: list[str] = []
        self.unsupported: dict[str, str] = {}

    def record(self, shift: Shift) -> None:
        self.transitions += [step.name for step in shift.steps if step.supported]
        self.unsupported.update(shift.unsupported)
