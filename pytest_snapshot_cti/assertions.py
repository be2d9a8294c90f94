"""Validation and assertion helpers for connector test suites (the short path to ``Contract``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .contract import Contract, load_contract
from .violations import ContractViolationError, Violation, errors_of, format_report

_SUBJECTS = {"snapshot": "Snapshot event", "agent": "AgentStateEvent", "call": "CallStateEvent", "party": "PartyInfoEvent"}


def _contract(contract: Contract | None, profile: str | None, disable: Iterable[str]) -> Contract:
    if contract is not None:
        if profile is not None and profile != contract.profile:
            raise ValueError(f"profile={profile!r} conflicts with the contract's profile {contract.profile!r}: pass one of them")
        if disable:
            return Contract(contract.schema_set, contract.profile, disable=[*contract.disabled, *disable], allow_extra=contract.allow_extra)
        return contract
    return load_contract(profile or "published", disable=disable)


def _subject(event: Any, kind: str) -> str:
    if kind != "auto":
        return _SUBJECTS[kind]
    event_type = event.get("pyEventType") if isinstance(event, dict) else None
    if event_type == "SnapshotEvent":
        return "Snapshot event"
    return event_type if isinstance(event_type, str) and event_type else "Event"


def validate_event(
    event: Any, *, kind: str = "auto", profile: str | None = None, disable: Iterable[str] = (), contract: Contract | None = None
) -> list[Violation]:
    """Every violation of ``event`` (dispatched on ``pyEventType`` unless ``kind`` forces one)."""
    return _contract(contract, profile, disable).validate(event, kind=kind)


def validate_snapshot(
    event: Any, *, profile: str | None = None, disable: Iterable[str] = (), contract: Contract | None = None
) -> list[Violation]:
    """Every violation of ``event`` checked as a Snapshot, whatever its ``pyEventType`` says."""
    return validate_event(event, kind="snapshot", profile=profile, disable=disable, contract=contract)


def assert_valid_event(
    event: Any,
    *,
    kind: str = "auto",
    profile: str | None = None,
    disable: Iterable[str] = (),
    contract: Contract | None = None,
    fail_on_warnings: bool = False,
) -> list[Violation]:
    """Raise :class:`ContractViolationError` listing every error, then every warning.

    Warnings alone pass (and are returned) unless ``fail_on_warnings`` is true.
    """
    resolved = _contract(contract, profile, disable)
    violations = resolved.validate(event, kind=kind)
    if errors_of(violations) or (fail_on_warnings and violations):
        message = format_report(violations, subject=_subject(event, kind), profile=resolved.profile)
        raise ContractViolationError(message, violations)
    return violations


def assert_valid_snapshot(
    event: Any,
    *,
    profile: str | None = None,
    disable: Iterable[str] = (),
    contract: Contract | None = None,
    fail_on_warnings: bool = False,
) -> list[Violation]:
    """:func:`assert_valid_event` for a Snapshot."""
    return assert_valid_event(
        event, kind="snapshot", profile=profile, disable=disable, contract=contract, fail_on_warnings=fail_on_warnings
    )
