"""Which transitions a driver supports: the ones it defines, minus any that raise Unsupported when tried.

Why probe: a driver may define a method only to say "not here" (``raise Unsupported("our ACD client
reconnects by itself")``). Tried once per process in a short shift that reaches a state where it
can happen, such a transition is known before the run, so a run never draws it (a set that
changed mid-run would make Hypothesis's replays disagree with its runs).
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Sequence
from typing import Any, Final

from . import model
from .driver import OPTIONAL_TRANSITIONS, Driver, Unsupported, defined_transitions
from .model import TRANSITIONS, World
from .shift import CALLERS, COLLEAGUES, FIRST_CALL_ID, LOGOUT_REASONS, REASON_CODES, Shift

__all__ = ["NEEDS", "support"]

#: A transition that only makes sense with its partner (the shift would be stuck without it).
NEEDS: Final = {"link_down": "link_up", "device_closed": "logout"}
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
