"""The shortest shift that shows a failure: what Hypothesis found, with its detours deleted.

Why: Hypothesis's shrinking of a state machine can stop at a shift with a detour in it (a link
drop and its reconnect, a call that comes and goes), because deleting one step changes what every
later draw means. Replaying candidates directly (runs of steps deleted, call ids renumbered, numbers and
reason codes made the kit's first) finds
the shift a team would write by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from . import model
from .driver import Driver, Unsupported
from .model import TRANSITIONS
from .shift import CALLERS, COLLEAGUES, FIRST_CALL_ID, LOGOUT_REASONS, REASON_CODES, ConformanceFailure, ConnectorCrashed, Shift
from .violations import errors_of

if TYPE_CHECKING:
    from .contract import Contract

__all__ = ["Failure", "minimise", "replay"]
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
    for index, (name, args) in enumerate(current()):  # each number and reason code as the kit's first, if that fails the same
        plainer = _plainest(name, args)
        if plainer != args:
            steps = current()
            attempt([*steps[:index], (name, plainer), *steps[index + 1 :]])
    return best


def _plainest(name: str, args: tuple[str, ...]) -> tuple[str, ...]:
    """``args`` with the number or reason code the kit offers first (``"16175551212"``, ``"12"``…)."""
    if TRANSITIONS[name].new_call:
        return (args[0], (COLLEAGUES if name == "consult" else CALLERS)[0])
    if name in ("not_ready", "logout"):
        return ((REASON_CODES if name == "not_ready" else LOGOUT_REASONS)[0],)
    return args


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
