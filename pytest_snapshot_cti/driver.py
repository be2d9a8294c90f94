"""A team's Driver: how its connector sees each thing that happens in a contact centre.

Why a class of the team's own: only the team knows which of its ACD's events (or which calls into
its JavaScript) make the connector see "the caller hangs up". The base class names every model
transition with its signature; a transition left undefined (or raising :class:`Unsupported`) is one
the conformance kit never draws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from .model import TRANSITIONS, World
from .violations import ContractUsageError

__all__ = ["OPTIONAL_TRANSITIONS", "Driver", "Unsupported", "check_driver", "defined_transitions"]

#: The transitions a driver may define (login is required, with start).
OPTIONAL_TRANSITIONS: Final = tuple(name for name in TRANSITIONS if name != "login")


class Unsupported(Exception):
    """Raised by a driver method: this connector cannot be made to see that transition (it is never drawn)."""


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
