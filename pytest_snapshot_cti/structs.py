"""Parse and type-check in one pass: msgspec Structs generated from the profile schemas.

Why: reading a line into dicts and then validating the dicts builds every value twice (a Python
object, then the compiled validator's copy); msgspec decodes JSON bytes straight into Structs and
checks types and enums as it reads, faster than parsing alone. This is the first path a block of
lines tries in bulk validation (:mod:`bulk`); a block it cannot vouch for goes down the next one.

Only its *yes* is trusted, and a yes means :meth:`Contract.validate` reports nothing at all:

* the Structs are at least as strict as the profile schema: each is built only from keywords with
  an exact msgspec counterpart (``type`` string/array/object, string ``enum``/``const``,
  ``properties``, ``required``, ``items``); anything else and there is no Struct for that kind;
* every key must be a known field (``forbid_unknown_fields``), so nothing is skipped unread;
* duplicate keys, which a decoder silently collapses, are ruled out by counting colons: with no
  backslash in the block, every string is written back byte for byte, so the text has as many
  ``:`` as the re-encoded Structs exactly when no key was lost;
* :func:`snapshot_clean` is the semantic rules S2, C1–C7 stated as "no finding" (S1 is the tag).

tests/test_structs.py and the bulk differential tests hold this to the engine's verdicts.
"""

from __future__ import annotations

import functools
import keyword
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, Union

from .rules import ACTIVE_LINE_STATES, LIVE_LINE_STATES, NO_REASON
from .schemas import KINDS, apply_profile

if TYPE_CHECKING:
    from .contract import Contract

_ms: Any
try:  # optional at runtime: without it bulk validation takes the next path
    import msgspec as _ms
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    _ms = None

#: The Snapshot fields :func:`snapshot_clean` reads, and the line fields it reads.
_RULE_FIELDS: Final = ("pyEventName", "pyAgentState", "pyLinkState", "pyDeviceState", "pyReasonCode", "pyLines")
_LINE_FIELDS: Final = ("pyLineState", "pyCallId")
#: Auto-detection makes any event carrying one of these a Snapshot (contract.SNAPSHOT_ONLY_FIELDS).
_SNAPSHOT_ONLY: Final = frozenset({"pyAgentState", "pyLines", "pyLinkState", "pyDeviceState"})
_ANNOTATIONS: Final = frozenset({"$schema", "$id", "title", "description", "default", "examples", "$comment", "definitions"})
_TALKING: Final = frozenset({"Connected", "Holding", "Retrieved"})
_TAG: Final = "pyEventType"


class _Unsupported(Exception):
    """A schema with no exact msgspec counterpart: that kind gets no Struct."""


def available() -> bool:
    return _ms is not None


def _strings(schema: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The allowed values of an ``enum``/``const`` of strings, None when there is no such keyword."""
    if "const" in schema:
        values = [schema["const"]]
    elif "enum" in schema:
        values = schema["enum"]
    else:
        return None
    if not isinstance(values, list) or not values or not all(type(v) is str for v in values):
        raise _Unsupported("enum/const of non-strings")
    return tuple(dict.fromkeys(values))


def _field_type(schema: Any, name: str) -> Any:
    """The msgspec type accepting exactly what ``schema`` accepts, or a subset of it."""
    if not isinstance(schema, Mapping):
        raise _Unsupported("boolean schema")
    keywords = set(schema) - _ANNOTATIONS
    values = _strings(schema)
    kind = schema.get("type")
    if values is not None:
        if not keywords <= {"enum", "const", "type"} or kind not in (None, "string"):
            raise _Unsupported("enum with other keywords")
        return Literal[values]
    if kind == "string" and keywords == {"type"}:
        return str
    if kind == "array" and keywords == {"type", "items"} and isinstance(schema["items"], Mapping):
        return list[_field_type(schema["items"], name)]  # type: ignore[misc]
    if kind == "object" and keywords <= {"type", "properties", "required", "additionalProperties"}:
        return _struct(schema, name)
    raise _Unsupported(f"{sorted(keywords)} at {name}")


def _struct(schema: Mapping[str, Any], name: str, tag: str | None = None) -> Any:
    """A Struct for an object schema; ``tag`` makes it one member of a union tagged by pyEventType.

    Unknown keys are always refused, whatever ``additionalProperties`` says: stricter is safe.
    """
    if set(schema) - _ANNOTATIONS - {"type", "properties", "required", "additionalProperties"}:
        raise _Unsupported(f"object keywords at {name}")
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    if not isinstance(properties, Mapping) or not isinstance(required, list):
        raise _Unsupported("malformed object schema")
    if any(field not in properties and field != _TAG for field in required):
        raise _Unsupported("a required field the schema does not describe")
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for field, sub in properties.items():
        if not field.isidentifier() or keyword.iskeyword(field) or field.startswith("_"):
            raise _Unsupported(f"field name {field!r}")
        if tag is not None and field == _TAG:
            _accepts_tag(sub, tag)
            continue
        annotation = _field_type(sub, f"{name}.{field}")
        if field in required:
            fields.append((field, annotation))
        else:
            fields.append((field, Union[annotation, _ms.UnsetType], _ms.UNSET))  # noqa: UP007 - a runtime type
    options: dict[str, Any] = {"kw_only": True, "forbid_unknown_fields": True}
    if tag is not None:
        options.update(tag_field=_TAG, tag=tag)
    elif _TAG in required:
        raise _Unsupported("pyEventType required below the top level")
    return _ms.defstruct(name.replace(".", "_"), fields, **options)


def _accepts_tag(schema: Any, tag: str) -> None:
    if not isinstance(schema, Mapping):
        raise _Unsupported("boolean schema for pyEventType")
    values = _strings(schema)
    if set(schema) - _ANNOTATIONS - {"type", "enum", "const"}:
        raise _Unsupported("pyEventType with other keywords")
    if schema.get("type", "string") != "string" or (values is not None and tag not in values):
        raise _Unsupported(f"pyEventType does not accept {tag!r}")


def _is_text(schema: Any) -> bool:
    return isinstance(schema, Mapping) and (schema.get("type") == "string" or "enum" in schema or "const" in schema)


def _rules_readable(schema: Mapping[str, Any]) -> bool:
    """The Snapshot schema types every field :func:`snapshot_clean` reads as text, and lines as objects."""
    properties = schema.get("properties", {})
    if not all(field in properties for field in _RULE_FIELDS):
        return False
    lines = properties["pyLines"]
    items = lines.get("items") if isinstance(lines, Mapping) else None
    if not (isinstance(items, Mapping) and items.get("type") == "object"):
        return False
    line_fields = items.get("properties", {})
    return all(_is_text(properties[f]) for f in _RULE_FIELDS if f != "pyLines") and all(_is_text(line_fields.get(f)) for f in _LINE_FIELDS)


def snapshot_clean(snapshot: Any) -> bool:
    """True when rules S2 and C1–C7 find nothing in a decoded Snapshot Struct (see rules.py).

    Every value here is a str or UNSET (the Structs admit nothing else).
    """
    unset = _ms.UNSET
    name = snapshot.pyEventName
    if name is not unset and name != "Snapshot":  # S2
        return False
    agent = snapshot.pyAgentState
    lines = snapshot.pyLines
    live = active = 0
    talking = False
    if lines is not unset:
        if len(lines) > 1:  # C6: non-empty call ids are unique
            ids = [line.pyCallId for line in lines if line.pyCallId]
            if len(set(ids)) != len(ids):
                return False
        for line in lines:
            state = line.pyLineState
            if state in LIVE_LINE_STATES:
                if line.pyCallId == "":  # C6: a live line names its call
                    return False
                live += 1
                if state in ACTIVE_LINE_STATES:
                    active += 1
                if state in _TALKING:
                    talking = True
    if active > 1:  # C7
        return False
    if snapshot.pyLinkState == "DISCONNECTED" and (live or (agent is not unset and agent != "Unknown")):  # C1
        return False
    if live and (snapshot.pyDeviceState == "CLOSED" or agent == "Logout"):  # C2, C3
        return False
    code = snapshot.pyReasonCode
    if code is not unset and code not in NO_REASON and agent not in ("NotReady", "Logout"):  # C4
        return False
    if agent == "Busy" and not live:  # C5
        return False
    return not (agent == "Ready" and talking)  # C5's advisory


class TypedCheck:
    """Decodes a block of JSONL lines into Structs and says which lines are clean."""

    def __init__(self, members: list[Any], snapshot: Any | None) -> None:
        union = members[0] if len(members) == 1 else Union[tuple(members)]  # noqa: UP007 - a runtime type
        self._decode_lines = _ms.json.Decoder(union).decode_lines
        self._encode = _ms.json.Encoder().encode
        self._snapshot = snapshot

    def engine_lines(self, block: bytes, count: int) -> list[int] | None:
        """Offsets of the block's lines that are not clean (for the engine), or None: "cannot say".

        ``block`` is ``count`` lines, each ending in a newline.
        """
        if b"\\" in block:
            return None
        try:
            documents = self._decode_lines(block)
        except Exception:  # malformed, mistyped, unknown key, too deep, bad UTF-8: the next path decides
            return None
        if len(documents) != count or block.count(b":") != self._encode(documents).count(b":"):
            return None  # a blank line, or a key lost to a duplicate
        snapshot = self._snapshot
        return [index for index, document in enumerate(documents) if type(document) is snapshot and not snapshot_clean(document)]


@functools.lru_cache(maxsize=64)
def _typed(schema_set: Any, profile: str, allow_extra: tuple[str, ...], kind: str) -> TypedCheck | None:
    if _ms is None:
        return None
    members: list[Any] = []
    snapshot: Any | None = None
    for name, (_, event_type) in KINDS.items():
        if kind not in ("auto", name):
            continue
        schema = apply_profile(schema_set.schemas[name], name, profile, allow_extra)
        if schema.get("type") != "object":
            continue
        try:
            struct = _struct(schema, f"{name}_event", tag=event_type)
        except _Unsupported:
            continue
        if name == "snapshot":
            if not _rules_readable(schema):
                continue
            snapshot = struct
        elif kind == "auto" and _SNAPSHOT_ONLY & set(struct.__struct_fields__):
            continue  # auto-detection would call such an event a Snapshot
        members.append(struct)
    return TypedCheck(members, snapshot) if members else None


def typed_checker(contract: Contract, kind: str = "auto") -> TypedCheck | None:
    """The one-pass check for ``contract`` and ``kind``, or None when no kind can have one."""
    return _typed(contract.schema_set, contract.profile, contract.allow_extra, kind)
