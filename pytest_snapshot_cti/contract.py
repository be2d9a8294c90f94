"""The one validation engine: schema check, semantic rules, profiles, dispatch on pyEventType.

Every entry point (assertions, recorder, capture files, CLI, generator self-checks)
goes through :meth:`Contract.validate`. Validators are compiled once per process per
(contract set, profile, extras) and shared by every :class:`Contract` that needs them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from . import fastpath, hints
from .deep import with_room
from .kind_detection import checked_as, detect
from .observers import OBSERVERS, notify
from .reader import DEPTH_MESSAGE, MISSING, parse_event, unwritable
from .refs import RemoteRef, has_ref, registry, strip_nested_ids
from .rules import PROFILES, RULES, check_s1_as, is_known_rule, snapshot_checks
from .schemas import EVENT_TYPES, KINDS, SchemaSet, apply_profile, load_schema_set
from .violations import ContractUsageError, Severity, Violation, json_path

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

KIND_CHOICES: Final[tuple[str, ...]] = ("auto", *KINDS)


@functools.lru_cache(maxsize=64)
def _compiled(schema_set: SchemaSet, kind: str, profile: str, allow_extra: tuple[str, ...]) -> tuple[dict[str, Any], Validator]:
    from jsonschema import Draft6Validator
    from jsonschema.exceptions import SchemaError

    schema = apply_profile(schema_set.schemas[kind], kind, profile, allow_extra)
    try:
        Draft6Validator.check_schema(schema)
    except SchemaError as err:
        raise ContractUsageError(f"contract for {kind!r} in {schema_set.directory} is not a valid draft-06 schema: {err.message}") from None
    # Pega gives every property a relative $id; left in, jsonschema re-resolves a base URI at
    # each of them (2-3x the cost of the whole check). Only a $ref can need them.
    compiled = schema if has_ref(schema) else strip_nested_ids(schema)
    validator = Draft6Validator(compiled, registry=registry(schema_set.directory, schema_set.schemas.values()))
    return schema, validator


@functools.lru_cache(maxsize=16)
def _schema_set(contracts_dir: str | None) -> SchemaSet:
    return load_schema_set(contracts_dir)


def _allowed_properties(schema: Mapping[str, Any]) -> list[str]:
    props = schema.get("properties")
    return list(props) if isinstance(props, Mapping) else []


class Contract:
    """A configured contract: a schema set, a profile, disabled rules and allowed extras.

    Cheap to create (validators are shared and compiled lazily); immutable once built.
    """

    def __init__(
        self,
        schema_set: SchemaSet,
        profile: str = "published",
        *,
        disable: Iterable[str] = (),
        allow_extra: Iterable[str] = (),
    ) -> None:
        if profile not in PROFILES:
            raise ContractUsageError(f"unknown profile {profile!r}: choose one of {', '.join(PROFILES)}")
        disabled = frozenset(r.strip() for r in disable if r.strip())
        unknown = sorted(r for r in disabled if not is_known_rule(r))
        if unknown:
            raise ContractUsageError(
                f"unknown rule id{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: known ids are {', '.join(RULES)} "
                "(and schema.*/json.* ids); see `snapshot-cti rules`"
            )
        self.schema_set = schema_set
        self.profile = profile
        self.disabled = disabled
        self.allow_extra = tuple(sorted(set(allow_extra)))
        self._snapshot_rules = [
            (rule, severity) for rule in snapshot_checks() if rule.id not in disabled and (severity := rule.severity(profile)) is not None
        ]

    # -- introspection -------------------------------------------------------------------------
    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(KINDS)

    @property
    def sha256(self) -> str:
        return self.schema_set.sha256

    def schema(self, kind: str) -> dict[str, Any]:
        """The schema for ``kind`` with this contract's profile applied (a fresh copy)."""
        self._check_kind(kind, allow_auto=False)
        return apply_profile(self.schema_set.schemas[kind], kind, self.profile, self.allow_extra)

    def severity(self, rule_id: str) -> Severity | None:
        """Severity of ``rule_id`` under this contract, ``None`` when disabled or not applied."""
        if rule_id in self.disabled:
            return None
        rule = RULES.get(rule_id)
        return rule.severity(self.profile) if rule else "error"

    def __repr__(self) -> str:
        extra = f", disable={sorted(self.disabled)}" if self.disabled else ""
        extra += f", allow_extra={list(self.allow_extra)}" if self.allow_extra else ""
        return f"<Contract profile={self.profile!r} contracts={self.schema_set.label!r} sha256={self.sha256[:12]}{extra}>"

    # -- validation ---------------------------------------------------------------------------
    def validate(self, event: Any, *, kind: str = "auto", observe: bool = True) -> list[Violation]:
        """Every violation of ``event`` (a Mapping, or JSON text parsed strictly). Never raises for bad input.

        ``observe=False`` keeps the check out of the run's tallies and coverage (the plugin's
        summary): for a factory's self-check of what it generated, which the tests never saw.
        """
        return self._checked(event, kind, observe, as_text=True)

    def validate_value(self, document: Any, *, kind: str = "auto", observe: bool = True) -> list[Violation]:
        """:meth:`validate` for a value already read from JSON: a ``str`` is a JSON string, never text to parse.

        What a reader hands on (a capture line, a recorded text): ``"{\\"pyEventType\\": …}"`` is a string
        holding JSON, so ``json.not_object``, as ``validate`` says of that line's text.
        """
        return self._checked(document, kind, observe, as_text=False)

    def _checked(self, event: Any, kind: str, observe: bool, *, as_text: bool) -> list[Violation]:
        self._check_kind(kind, allow_auto=True)
        try:
            found = self._validate(event, kind, as_text=as_text)
        except RecursionError:
            # The caller's stack ran out, not the event's depth (a recursive $ref takes several frames a
            # level): checked again where the stack is always the same, so the verdict never depends on it.
            try:
                found = with_room(lambda: self._validate(event, kind, as_text=as_text))
            except RecursionError:  # containers the depth limit does not count (tuples, other Mappings) nested too deep to quote
                found = self._keep([Violation("json.depth", "error", "$", DEPTH_MESSAGE)])
        if observe and OBSERVERS:  # observers read a str as JSON text: a string value is no event (None says so)
            notify(None if not as_text and isinstance(event, (str, bytes, bytearray)) else event, found)
        return found

    def _validate(self, event: Any, kind: str, *, as_text: bool) -> list[Violation]:
        if as_text and isinstance(event, (str, bytes, bytearray)):
            document, read_error = parse_event(event, disabled=self.disabled)  # the reader applies the depth limit
            if document is MISSING:
                assert read_error is not None
                return self._keep([read_error])
            event = document
        else:
            problem = unwritable(event)  # what the reader would refuse in its JSON text, or could not be written
            if problem is not None:
                return self._keep([problem])
        if not isinstance(event, Mapping):
            return self._keep([Violation("json.not_object", "error", "$", f"an event must be a JSON object, got {hints.json_type(event)}")])
        resolved, found = self._resolve_kind(event, kind)
        if resolved is None:
            return self._keep(found)
        found.extend(self._schema_violations(event, resolved))
        if resolved == "snapshot":
            found.extend(self._rule_violations(event))
        else:
            found.extend(self._wrong_type(event, resolved))
        return self._keep(found)

    def is_valid(self, event: Any, *, kind: str = "auto") -> bool:
        """True when :meth:`validate` reports no error (warnings allowed)."""
        return not any(v.severity == "error" for v in self.validate(event, kind=kind))

    def check_stream(
        self,
        events: Sequence[Any],
        *,
        login: Mapping[str, str | None] | None = None,
        logout: bool = False,
    ) -> list[Violation]:
        """The lifecycle rules L1–L5 over an ordered stream (see :mod:`lifecycle`)."""
        from .lifecycle import check_stream

        return self._keep(check_stream(events, login=login, logout=logout, severity=self.severity))

    # -- internals ----------------------------------------------------------------------------
    def _check_kind(self, kind: str, *, allow_auto: bool) -> None:
        choices = KIND_CHOICES if allow_auto else tuple(KINDS)
        if kind not in choices:
            raise ContractUsageError(f"unknown kind {kind!r}: choose one of {', '.join(choices)}")

    def _keep(self, violations: Iterable[Violation]) -> list[Violation]:
        if not self.disabled:  # a day of lifecycle findings is a long list to copy for nothing
            return violations if type(violations) is list else list(violations)
        return [v for v in violations if v.rule not in self.disabled]

    def _resolve_kind(self, event: Mapping[str, Any], kind: str) -> tuple[str | None, list[Violation]]:
        if kind != "auto":
            return kind, []
        resolved = checked_as(event)
        if resolved is not None:
            return resolved, []
        event_type = event.get("pyEventType")
        if event_type == "CallInfoEvent":
            sev = self.severity("kind.undocumented") or "warning"
            return None, [
                Violation(
                    "kind.undocumented",
                    sev,
                    "$.pyEventType",
                    "CallInfoEvent has no published schema; its payload was not checked",
                    "Pega lists CallInfoEvent in the Snapshot enum but never published its schema (erratum E24)",
                )
            ]
        sev = self.severity("kind.unknown") or "warning"
        known = ", ".join(repr(t) for t in (*EVENT_TYPES, "CallInfoEvent"))
        if "pyEventType" not in event:  # checked as the kind its fields show, if they show one (erratum E26)
            detection = detect(event)
            unknown = Violation("kind.unknown", sev, "$.pyEventType", detection.message(), detection.hint() or f"send one of {known}")
            return detection.kind, [unknown]
        message = f"pyEventType {event_type!r} is not an OpenCTI event type, so no contract applies"
        hint = hints.enum_hint(event_type, list(EVENT_TYPES)) if isinstance(event_type, str) else None
        return None, [Violation("kind.unknown", sev, "$.pyEventType", message, hint or f"send one of {known}")]

    def _wrong_type(self, event: Mapping[str, Any], kind: str) -> list[Violation]:
        sev: Severity = self.severity("S1") or "warning"
        return [Violation("S1", sev, f.path, f.message, f.hint) for f in check_s1_as(event, KINDS[kind][1])]

    def _schema_violations(self, event: Mapping[str, Any], kind: str) -> list[Violation]:
        if fastpath.says_valid(self.schema_set, kind, self.profile, self.allow_extra, event):
            return []  # a compiled validator's yes; a no is re-asked below, where the messages come from
        from referencing.exceptions import Unresolvable

        schema, validator = _compiled(self.schema_set, kind, self.profile, self.allow_extra)
        try:  # no is_valid() first: it is iter_errors() stopped at the first error, so a failing event paid twice
            errors = sorted(validator.iter_errors(event), key=lambda e: [str(p) for p in e.absolute_path])
        except Unresolvable as err:
            remote = _remote_ref(err)
            why = ", which cannot be resolved"
            if remote is not None:
                resolved = "" if remote == str(err.ref).split("#", 1)[0] else f", which resolves to {remote!r}"
                why = f"{resolved}: remote refs are never fetched"
            return [
                Violation(
                    "schema.ref",
                    "error",
                    "$",
                    f"the {KINDS[kind][1]} contract refers to {err.ref!r}{why}",
                    "$ref may point only to files inside the contracts directory (never the network)",
                )
            ]
        found: list[Violation] = []
        for error in errors:
            found.extend(self._convert(error, kind, schema))
        return found

    def _rule_violations(self, event: Mapping[str, Any]) -> list[Violation]:
        found: list[Violation] = []
        for rule, severity in self._snapshot_rules:
            assert rule.check is not None
            for finding in rule.check(event):
                sev: Severity = "warning" if finding.advisory else severity
                found.append(Violation(rule.id, sev, finding.path, finding.message, finding.hint))
        return found

    def _convert(self, error: ValidationError, kind: str, schema: Mapping[str, Any]) -> list[Violation]:
        path = list(error.absolute_path)
        where = json_path(path)
        keyword = str(error.validator)
        instance = error.instance
        if keyword == "required":
            missing = _missing_name(error)
            container = "the event" if not path else where
            return [
                Violation(
                    "S5",
                    self.severity("S5") or "error",
                    json_path([*path, missing]),
                    f"required field {missing!r} is missing from {container}",
                )
            ]
        if keyword == "additionalProperties" and isinstance(instance, Mapping):
            allowed = _allowed_properties(error.schema) if isinstance(error.schema, Mapping) else []
            return [
                Violation(
                    "schema.additionalProperties",
                    "error",
                    json_path([*path, name]),
                    f"{name!r} is not a property of the {KINDS[kind][1]} contract (the strict profile closes objects)"
                    + hints.pega_extension_note(name),
                    hints.property_hint(name, allowed) or hints.allow_extra_hint(name),
                )
                for name in instance
                if name not in allowed
            ]
        if keyword == "type" and error.validator_value == "string" and (instance is None or isinstance(instance, (bool, int, float))):
            return [Violation("S3", "error", where, error.message, hints.type_hint(instance, "string"))]
        if keyword == "enum":
            allowed_values = list(error.validator_value) if isinstance(error.validator_value, list) else []
            near = hints.enum_near_miss(instance, allowed_values)
            rule = "S4" if near else "schema.enum"
            return [Violation(rule, "error", where, error.message, hints.enum_hint(instance, allowed_values))]
        if keyword == "type":
            hint = hints.type_hint(instance, str(error.validator_value))
            if hint is None and error.validator_value == "array" and isinstance(instance, Mapping):
                hint = "wrap the object in a list: [ {...} ]"
            return [Violation("schema.type", "error", where, error.message, hint)]
        return [Violation(f"schema.{keyword}", "error", where, error.message)]


def _missing_name(error: ValidationError) -> str:
    """The required field a ``required`` error is about, from its data (the message quotes it with ``repr``)."""
    names = error.validator_value if isinstance(error.validator_value, list) else []
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    missing = [name for name in names if isinstance(name, str) and name not in instance]
    for name in missing:
        if error.message == f"{name!r} is a required property":
            return name
    return missing[0] if missing else str(error.message)


def _remote_ref(error: BaseException) -> str | None:
    """The remote URI behind an unresolvable ``$ref``, if that is why it could not be resolved."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, RemoteRef):
            return current.uri
        pending.extend((current.__cause__, current.__context__, getattr(current, "_wrapped", None)))
    return None


def load_contract(
    profile: str = "published",
    *,
    contracts_dir: str | Path | None = None,
    disable: Iterable[str] = (),
    allow_extra: Iterable[str] = (),
) -> Contract:
    """The contract for ``profile``, from the bundled schemas or ``contracts_dir``.

    Raises :class:`ContractUsageError` (a ``ValueError``) for an unknown profile or
    rule id, or an unusable contracts directory. Schema sets are read once per process.
    """
    if isinstance(disable, str):
        disable = disable.split(",")
    if isinstance(allow_extra, str):
        allow_extra = allow_extra.split(",")
    directory = None if contracts_dir is None else str(Path(contracts_dir).expanduser().resolve())
    return Contract(_schema_set(directory), profile, disable=disable, allow_extra=allow_extra)


def event_kind_label(event: Any) -> str:
    """``SnapshotEvent`` / ``CallStateEvent``… for messages; ``event`` when it has no type."""
    if isinstance(event, Mapping):
        value = event.get("pyEventType")
        if isinstance(value, str) and value:
            return value
    return "event"


def to_json_text(event: Any) -> str:
    return json.dumps(event, ensure_ascii=False, allow_nan=False)
