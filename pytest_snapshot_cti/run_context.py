"""Which contract the running pytest test is configured with, for helpers called without one.

``validate_event(event)`` inside a test should check what ``cti_contract`` checks in that
test (``--cti-profile``, the ini, the ``cti`` marker); in a script or notebook it checks the
published contract. The plugin pushes a provider at ``pytest_configure`` and pops it at
``pytest_unconfigure`` (a stack: pytester runs pytest inside pytest); this module knows nothing
of pytest, so the helpers stay importable without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .contract import Contract


class RunContract(NamedTuple):
    """The configured contract and warning policy of the current test (or of the run, between tests)."""

    contract: Contract
    fail_on_warnings: bool


Provider = Callable[[], RunContract]
_PROVIDERS: list[Provider] = []


def push(provider: Provider) -> None:
    _PROVIDERS.append(provider)


def pop(provider: Provider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def current() -> RunContract | None:
    """The innermost pytest run's contract for the running test; ``None`` outside pytest."""
    return _PROVIDERS[-1]() if _PROVIDERS else None
