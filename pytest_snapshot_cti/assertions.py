"""Validation and assertion helpers for connector test suites (the short path to ``Contract``).

With no ``profile=`` or ``contract=``, a helper called inside a pytest test uses the contract
``cti_contract`` gives that test (options, ini, ``cti`` marker); outside pytest, the published
contract. Importable without pytest: the plugin tells :mod:`.run_context` what the test uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import run_context
from .contract import Contract, load_contract
from .violations import ContractViolationError, Violation, errors_of, format_report

_SUBJECTS = {"snapshot": "Snapshot event", "agent": "AgentStateEvent", "call": "CallStateEvent", "party": "PartyInfoEvent"}


def _contract(contract: Contract | None, profile: str | None, disable: Iterable[str]) -> Contract:
    disable = disable.replace(",", " ").split() if isinstance(disable, str) else list(disable)
    if contract is None and profile is None:
        running = run_context.current()
        if running is not None:
            contract = running.contract
    if contract is not None:
        if profile is not None and profile != contract.profile:
            raise ValueError(f"profile={profile!r} conflicts with the contract's profile {contract.profile!r}: pass one of them")
        if disable:
            return Contract(contract.schema_set, contract.profile, disable=[*contract.disabled, *disable], allow_extra=contract.allow_extra)
        return contract
    return load_contract(profile or "published", disable=disable)


def _fail_on_warnings(requested: bool | None, contract: Contract | None, profile: str | None) -> bool:
    """``None`` follows the run (``--cti-fail-on-warnings``, ini, marker) unless a contract or profile was passed."""
    if requested is not None:
        return requested
    running = run_context.current() if contract is None and profile is None else None
    return running.fail_on_warnings if running is not None else False


def _subject(event: Any, kind: str) -> str:
    if kind != "auto":
        return _SUBJECTS[kind]
    event_type = event.get("pyEventType") if isinstance(event, dict) else None
    if event_type == "SnapshotEvent":
        return "Snapshot event"
    return event_type if isinstance(event_type, str) and event_type else "Event"


def validate_event(
    event: Any,
    *,
    kind: str = "auto",
    profile: str | None = None,
    disable: Iterable[str] = (),
    contract: Contract | None = None,
    observe: bool = True,
) -> list[Violation]:
    """Every violation of ``event`` (dispatched on ``pyEventType`` unless ``kind`` forces one).

    ``observe=False`` keeps the check out of the run's summary and report: for negative checks
    (``with pytest.raises(ContractViolationError)``) whose findings are what the test wants.
    """
    return _contract(contract, profile, disable).validate(event, kind=kind, observe=observe)


def validate_snapshot(
    event: Any,
    *,
    profile: str | None = None,
    disable: Iterable[str] = (),
    contract: Contract | None = None,
    observe: bool = True,
) -> list[Violation]:
    """Every violation of ``event`` checked as a Snapshot, whatever its ``pyEventType`` says."""
    return validate_event(event, kind="snapshot", profile=profile, disable=disable, contract=contract, observe=observe)


def assert_valid_event(
    event: Any,
    *,
    kind: str = "auto",
    profile: str | None = None,
    disable: Iterable[str] = (),
    contract: Contract | None = None,
    fail_on_warnings: bool | None = None,
    observe: bool = True,
) -> list[Violation]:
    """Raise :class:`ContractViolationError` listing every error, then every warning.

    Warnings alone pass (and are returned) unless ``fail_on_warnings`` is true; ``None`` follows
    the run's setting inside a pytest test (``--cti-fail-on-warnings``, ini, ``cti`` marker).
    """
    resolved = _contract(contract, profile, disable)
    violations = resolved.validate(event, kind=kind, observe=observe)
    if errors_of(violations) or (_fail_on_warnings(fail_on_warnings, contract, profile) and violations):
        message = format_report(violations, subject=_subject(event, kind), profile=resolved.profile)
        raise ContractViolationError(message, violations)
    return violations


def assert_valid_snapshot(
    event: Any,
    *,
    profile: str | None = None,
    disable: Iterable[str] = (),
    contract: Contract | None = None,
    fail_on_warnings: bool | None = None,
    observe: bool = True,
) -> list[Violation]:
    """:func:`assert_valid_event` for a Snapshot."""
    return assert_valid_event(
        event, kind="snapshot", profile=profile, disable=disable, contract=contract, fail_on_warnings=fail_on_warnings, observe=observe
    )
