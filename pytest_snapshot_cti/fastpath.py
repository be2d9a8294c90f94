"""Compiled yes/no validators: a fast *yes* for the common case, the full engine for everything else.

jsonschema's Python validator costs tens of microseconds per Snapshot; jsonschema-rs says
"valid?" in well under one. Only its *yes* is ever trusted: a *no*, an exception or any doubt
sends the event to :meth:`Contract.validate` (jsonschema + rules), which writes the messages.
A yes implies the engine's yes because the compiled schema is the profile schema itself (or
the profile schema AND a schema transcription of the semantic rules' "no finding" conditions),
restricted to keywords both libraries read alike (:data:`TRUSTED_KEYWORDS`). Anything else —
``$ref``, ``pattern``, ``format``… in a user's contract — simply disables the fast path.
The differential tests (tests/test_bulk_differential.py) hold the two paths to the same verdicts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from .rules import ACTIVE_LINE_STATES, LIVE_LINE_STATES, NO_REASON, SNAPSHOT_ONLY_FIELDS, TALKING_LINE_STATES
from .schemas import ANNOTATION_KEYWORDS, KINDS, apply_profile

if TYPE_CHECKING:
    from .schemas import Profiled, SchemaSet

_rs: Any
try:  # optional at runtime: without it every check takes the engine's path
    import jsonschema_rs as _rs
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    _rs = None

#: Keywords whose meaning jsonschema (draft-06) and jsonschema-rs share exactly; annotations included.
#: Not here: ``$ref`` (registries differ), ``pattern``/``patternProperties`` (regex dialects),
#: ``format``, and the keywords comparing numbers (``minimum``, ``multipleOf``…: precision beyond 64 bits).
TRUSTED_KEYWORDS: Final = frozenset(
    {
        "$schema",
        "$id",
        "title",
        "description",
        "default",
        "examples",
        "$comment",
        "definitions",
        "type",
        "enum",
        "const",
        "properties",
        "items",
        "additionalItems",
        "required",
        "additionalProperties",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "minProperties",
        "maxProperties",
        "uniqueItems",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "contains",
        "propertyNames",
        "dependencies",
    }
)
#: Keywords whose number is a count (of items, characters, properties), never compared with the event's numbers.
_COUNTS: Final = frozenset({"minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties"})
_NATIVE_SCALARS: Final = (str, int, float, bool, type(None))
_MAX_NATIVE_DEPTH: Final = 64


def available() -> bool:
    return _rs is not None


def _subschemas(schema: Mapping[str, Any]) -> list[Any]:
    """The subschemas of ``schema`` under the trusted keywords (not ``definitions``: only ``$ref`` reads them)."""
    found: list[Any] = []
    for key in ("additionalProperties", "additionalItems", "not", "contains", "propertyNames"):
        if key in schema:
            found.append(schema[key])
    items = schema.get("items")
    if isinstance(items, list):
        found.extend(items)
    elif items is not None:
        found.append(items)
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            found.extend(schema[key])
    for key in ("properties", "dependencies"):
        if isinstance(schema.get(key), Mapping):
            found.extend(sub for sub in schema[key].values() if not isinstance(sub, list))  # a dependencies list is names
    return found


def _trusted(schema: Any) -> bool:
    """True when every keyword, at every level, is in :data:`TRUSTED_KEYWORDS`."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, Mapping) or not all(key in TRUSTED_KEYWORDS for key in schema):
        return False
    for key in ("properties", "dependencies"):
        if key in schema and not isinstance(schema[key], Mapping):
            return False
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema and not isinstance(schema[key], list):
            return False
    return all(_trusted(sub) for sub in _subschemas(schema))


def _has_numbers(value: Any, *, in_schema: bool = True) -> bool:
    """Any int/float the event's numbers may be compared with (an ``enum``/``const`` member), anywhere in ``value``.

    ``in_schema``: ``value`` is a schema, whose counts (``minItems``…) are not compared with the event's numbers.
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, Mapping):
        return any(
            _has_numbers(v, in_schema=in_schema and k not in ("enum", "const"))
            for k, v in value.items()
            if not (in_schema and k in _COUNTS)
        )
    if isinstance(value, list):
        return any(_has_numbers(v, in_schema=in_schema) for v in value)
    return False


def _bare(schema: Any) -> Any:
    """``schema`` without annotations (ids would collide once four schemas share one document)."""
    if not isinstance(schema, Mapping):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ANNOTATION_KEYWORDS:  # dropped: ids would collide, definitions serve only $ref
            continue
        if key in ("properties", "dependencies") and isinstance(value, Mapping):
            out[key] = {name: value[name] if isinstance(value[name], list) else _bare(value[name]) for name in value}
        elif key in ("items", "allOf", "anyOf", "oneOf") and isinstance(value, list):
            out[key] = [_bare(sub) for sub in value]
        elif key in ("items", "additionalProperties", "additionalItems", "not", "contains", "propertyNames"):
            out[key] = _bare(value)
        else:
            out[key] = value
    return out


def json_native(value: Any, depth: int = 0) -> bool:
    """Only dict/list/str/int/float/bool/None, exactly: the types both libraries read alike."""
    kind = type(value)
    if kind is dict:
        return depth < _MAX_NATIVE_DEPTH and all(type(k) is str and json_native(v, depth + 1) for k, v in value.items())
    if kind is list:
        return depth < _MAX_NATIVE_DEPTH and all(json_native(v, depth + 1) for v in value)
    return kind in _NATIVE_SCALARS


@functools.lru_cache(maxsize=64)
def schema_checker(schema_set: SchemaSet, kind: str, profile: str, allow_extra: tuple[str, ...]) -> Callable[[Any], bool] | None:
    """A compiled ``is_valid`` for the profile schema of ``kind``, or None when it cannot be trusted."""
    if _rs is None:
        return None
    schema = apply_profile(schema_set.schemas[kind], kind, profile, allow_extra)
    if not _trusted(schema) or _has_numbers(_bare(schema)):  # numbers beyond 64 bits compare differently
        return None
    try:
        validator = _rs.Draft6Validator(_bare(schema))
    except Exception:  # a schema the compiled library refuses: the engine handles it
        return None
    return validator.is_valid  # type: ignore[no-any-return]


def says_valid(schema_set: SchemaSet, kind: str, profile: str, allow_extra: tuple[str, ...], event: Any) -> bool:
    """True only when the compiled validator confirms ``event`` is schema-valid; False means "ask jsonschema"."""
    checker = schema_checker(schema_set, kind, profile, allow_extra)
    if checker is None or not json_native(event):
        return False
    try:
        return checker(event)
    except Exception:
        return False


# -- "clean": no violation at all, not even a warning ---------------------------------------------


def _live(states: frozenset[str] | tuple[str, ...]) -> dict[str, Any]:
    return {"type": "object", "required": ["pyLineState"], "properties": {"pyLineState": {"enum": sorted(states)}}}


def _when(field: str, value: str, then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"required": [field], "properties": {field: {"const": value}}}, "then": then}


_NO_LIVE_LINE: Final = {"properties": {"pyLines": {"items": {"not": _live(LIVE_LINE_STATES)}}}}

#: A transcription of rules S1, S2, C1–C7 as "this Snapshot yields no finding" (see rules.py).
#: Up to two lines; three or more go to the engine. Unique call ids (C6) are checked by CleanCheck.
SNAPSHOT_RULES_CLEAN: Final[dict[str, Any]] = {
    "allOf": [
        {"properties": {"pyEventType": {"const": "SnapshotEvent"}}},  # S1
        {"properties": {"pyEventName": {"anyOf": [{"not": {"type": "string"}}, {"const": "Snapshot"}]}}},  # S2
        _when("pyLinkState", "DISCONNECTED", {"properties": {"pyAgentState": {"const": "Unknown"}}}),  # C1
        _when("pyLinkState", "DISCONNECTED", _NO_LIVE_LINE),  # C1
        _when("pyDeviceState", "CLOSED", _NO_LIVE_LINE),  # C2
        _when("pyAgentState", "Logout", _NO_LIVE_LINE),  # C3
        {  # C4
            "if": {
                "required": ["pyReasonCode"],
                "properties": {"pyReasonCode": {"type": "string", "not": {"enum": sorted(NO_REASON)}}},
            },
            "then": {"required": ["pyAgentState"], "properties": {"pyAgentState": {"enum": ["NotReady", "Logout"]}}},
        },
        _when(
            "pyAgentState",
            "Busy",
            {"required": ["pyLines"], "properties": {"pyLines": {"type": "array", "contains": _live(LIVE_LINE_STATES)}}},
        ),  # C5
        _when("pyAgentState", "Ready", {"properties": {"pyLines": {"items": {"not": _live(TALKING_LINE_STATES)}}}}),  # C5
        {  # C6 (empty call id on a live line)
            "properties": {
                "pyLines": {
                    "items": {
                        "not": {
                            "type": "object",
                            "required": ["pyLineState", "pyCallId"],
                            "properties": {"pyLineState": {"enum": sorted(LIVE_LINE_STATES)}, "pyCallId": {"enum": ["", None]}},
                        }
                    }
                }
            }
        },
        # C7 for two lines, positionally; more lines go to the engine. C6's unique ids: CleanCheck, in Python.
        {"properties": {"pyLines": {"maxItems": 2, "not": {"minItems": 2, "items": [_live(ACTIVE_LINE_STATES)] * 2}}}},
    ]
}


_LIVE_WITH_ID: Final = {
    "type": "object",
    "required": ["pyLineState"],
    "properties": {"pyLineState": {"enum": sorted(LIVE_LINE_STATES)}, "pyCallId": {"not": {"enum": ["", None]}}},
}
_NOT_DISCONNECTED: Final = {"not": {"const": "DISCONNECTED"}}
#: The everyday Snapshots, each a handful of lookups; anything else is judged by the full transcription.
#: Every shape implies SNAPSHOT_RULES_CLEAN (checked field by field in tests/test_bulk_differential.py).
_NO_LIVE: Final = {"items": {"not": _live(LIVE_LINE_STATES)}}
_TWO_ACTIVE: Final = {"minItems": 2, "items": [_live(ACTIVE_LINE_STATES)] * 2}
_COMMON_SHAPES: Final[list[dict[str, Any]]] = [
    {  # one live line with a call id, on a connected link and an opened device
        "required": ["pyLines"],
        "properties": {
            "pyEventType": {"const": "SnapshotEvent"},
            "pyAgentState": {"enum": ["Busy", "NotReady", "Login", "Unknown"]},
            "pyLines": {"type": "array", "minItems": 1, "maxItems": 1, "items": _LIVE_WITH_ID},
            "pyReasonCode": {"enum": sorted(NO_REASON)},
            "pyLinkState": _NOT_DISCONNECTED,
            "pyDeviceState": {"not": {"const": "CLOSED"}},
            "pyEventName": {"const": "Snapshot"},
        },
    },
    {  # no live line, no reason code: Ready, NotReady, Login, Logout, Unknown
        "properties": {
            "pyEventType": {"const": "SnapshotEvent"},
            "pyAgentState": {"enum": ["Ready", "NotReady", "Login", "Logout", "Unknown"]},
            "pyLines": {"maxItems": 1, **_NO_LIVE},
            "pyReasonCode": {"enum": sorted(NO_REASON)},
            "pyLinkState": _NOT_DISCONNECTED,
            "pyEventName": {"const": "Snapshot"},
        }
    },
    {  # no live line, NotReady or Logout with any reason code
        "required": ["pyAgentState"],
        "properties": {
            "pyEventType": {"const": "SnapshotEvent"},
            "pyAgentState": {"enum": ["NotReady", "Logout"]},
            "pyLines": {"maxItems": 1, **_NO_LIVE},
            "pyLinkState": _NOT_DISCONNECTED,
            "pyEventName": {"const": "Snapshot"},
        },
    },
    {  # two live lines with call ids (a consult, a transfer), at most one active (C7); unique ids: CleanCheck
        "required": ["pyLines"],
        "properties": {
            "pyEventType": {"const": "SnapshotEvent"},
            "pyAgentState": {"enum": ["Busy", "NotReady", "Login", "Unknown"]},
            "pyLines": {"type": "array", "minItems": 2, "maxItems": 2, "items": _LIVE_WITH_ID, "not": _TWO_ACTIVE},
            "pyReasonCode": {"enum": sorted(NO_REASON)},
            "pyLinkState": _NOT_DISCONNECTED,
            "pyDeviceState": {"not": {"const": "CLOSED"}},
            "pyEventName": {"const": "Snapshot"},
        },
    },
    {  # the link is down: agent Unknown, no live line, no reason code (C1)
        "required": ["pyAgentState"],
        "properties": {
            "pyEventType": {"const": "SnapshotEvent"},
            "pyAgentState": {"const": "Unknown"},
            "pyLines": {"maxItems": 1, **_NO_LIVE},
            "pyReasonCode": {"enum": sorted(NO_REASON)},
            "pyEventName": {"const": "Snapshot"},
        },
    },
]


def _narrows(condition: Any, schema: Any) -> bool:
    """True when ``condition`` lists strings only and each is valid under ``schema``: then ``condition`` implies it.

    (``x`` equals one of the listed strings, which the schema accepts, so it accepts ``x``.) Saves the
    compiled check a second look at the field. Judged by jsonschema, the engine's own validator.
    """
    from jsonschema import Draft6Validator

    if not isinstance(condition, Mapping) or len(condition) != 1:
        return False
    if "const" in condition:
        values = [condition["const"]]
    elif isinstance(condition.get("enum"), list):
        values = condition["enum"]
    else:
        return False
    if not values or not all(type(value) is str for value in values):
        return False
    try:
        check = Draft6Validator(schema)
        return all(check.is_valid(value) for value in values)
    except Exception:
        return False


#: Keywords that constrain independently of each other (so two such schemas AND into one by merging)
_INDEPENDENT: Final = frozenset({"type", "required", "properties", "items", "minItems", "maxItems", "enum", "const", "not"})


def _conjoin(schema: Any, condition: Any) -> Any:
    """``schema`` AND ``condition`` as one schema (fewer lookups for the compiled check), else as ``allOf``.

    Merged only where it is plainly the same: a ``condition`` that narrows ``schema`` (:func:`_narrows`),
    or two schemas of independent keywords, shared ones being one ``type``, ``required`` lists,
    ``properties`` (conjoined per name) or single-schema ``items`` (conjoined).
    """
    if _narrows(condition, schema):
        return condition
    both = {"allOf": [schema, condition]}
    if not (isinstance(schema, Mapping) and isinstance(condition, Mapping)):
        return both
    if not (set(schema) <= _INDEPENDENT and set(condition) <= _INDEPENDENT):
        return both
    merged: dict[str, Any] = dict(schema)
    for key, value in condition.items():
        if key not in merged:
            merged[key] = value
        elif key == "type" and isinstance(value, str) and merged[key] == value:
            pass
        elif key == "required" and isinstance(value, list) and isinstance(merged[key], list):
            merged[key] = sorted({*merged[key], *value})
        elif key == "properties" and isinstance(value, Mapping) and isinstance(merged[key], Mapping):
            props = dict(merged[key])
            for name, sub in value.items():
                props[name] = _conjoin(props[name], sub) if name in props else sub
            merged[key] = props
        elif key == "items" and isinstance(value, Mapping) and isinstance(merged[key], Mapping):
            merged[key] = _conjoin(merged[key], value)
        else:
            return both
    return merged


def _merge(schema: Mapping[str, Any], conditions: Mapping[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """``schema`` AND per-field ``conditions``, folded into its own ``properties`` (one lookup per field).

    A field the schema does not list goes into a separate ``properties``, so the schema's
    ``additionalProperties`` keeps meaning what it meant.
    """
    merged = dict(schema)
    listed = dict(merged.get("properties", {}))
    props: dict[str, Any] = {}  # the conditions' fields first: a failing branch fails on its first lookups
    outside: dict[str, Any] = {}
    for name, condition in conditions.items():
        if name in listed:
            props[name] = _conjoin(listed[name], condition)
        else:
            outside[name] = condition
    props.update((name, sub) for name, sub in listed.items() if name not in props)
    merged["properties"] = props
    if required:
        merged["required"] = sorted({*merged.get("required", ()), *required})
    return {"allOf": [merged, {"properties": outside}]} if outside else merged


def unique_call_ids(document: Mapping[str, Any]) -> bool:
    """C6's other half: no non-empty string pyCallId twice in pyLines."""
    lines = document.get("pyLines")
    if not isinstance(lines, list):
        return True
    ids = [line.get("pyCallId") for line in lines if isinstance(line, dict)]
    named = [i for i in ids if isinstance(i, str) and i]
    return len(set(named)) == len(named)


def _unique_ids(lines: list[Any]) -> bool:
    """:func:`unique_call_ids` for a document's ``pyLines`` list; two plain lines take a shortcut."""
    if len(lines) == 2:
        first, second = lines
        if type(first) is dict and type(second) is dict:
            call_id = first.get("pyCallId")
            return not (type(call_id) is str and call_id and call_id == second.get("pyCallId"))
    return unique_call_ids({"pyLines": lines})


def _clean_schema(schemas: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """Documents for which Contract.validate(document, kind=kind) reports nothing, given unique call ids.

    Cheapest branches first: the everyday Snapshot shapes, the other kinds, then the full transcription.
    """
    options: list[Any] = []
    if kind in ("auto", "snapshot"):  # requiring pyEventType makes a shape a Snapshot under auto-detection too
        options.extend(
            _merge(schemas["snapshot"], shape["properties"], ("pyEventType", *shape.get("required", ()))) for shape in _COMMON_SHAPES
        )
    for other, (_, event_type) in KINDS.items():
        if other != "snapshot" and kind in ("auto", other):
            conditions: dict[str, Any] = {"pyEventType": {"const": event_type}}
            if kind == "auto":  # a Snapshot-only field makes it a Snapshot (with S1): not this branch
                conditions.update({name: False for name in sorted(SNAPSHOT_ONLY_FIELDS)})
            options.append(_merge(schemas[other], conditions, ("pyEventType",) if kind == "auto" else ()))
    if kind in ("auto", "snapshot"):
        general: list[Any] = [schemas["snapshot"], SNAPSHOT_RULES_CLEAN]
        if kind == "auto":
            general.insert(0, {"anyOf": [{"required": ["pyEventType"]}, *({"required": [name]} for name in sorted(SNAPSHOT_ONLY_FIELDS))]})
        options.append({"allOf": general})
    return {"anyOf": options}


class CleanCheck:
    """A compiled "no violation at all" check over a list of freshly parsed documents.

    The compiled part admits two-line Snapshots; whether their call ids are unique (C6) is
    the one condition JSON Schema cannot state, so it is checked here in Python.
    """

    def __init__(self, validator: Any) -> None:
        self._valid: Callable[[list[Any]], bool] = validator.is_valid

    def all_clean(self, documents: list[Any]) -> bool:
        if not self._is_valid(documents):
            return False
        for document in documents:  # objects only: the compiled check said so
            lines = document.get("pyLines")
            if type(lines) is list and len(lines) > 1 and not _unique_ids(lines):
                return False
        return True

    def failing(self, documents: list[Any]) -> list[int]:
        """Indexes of the documents that are not clean, one compiled call each (no error objects built)."""
        valid = self._is_valid
        return [index for index, document in enumerate(documents) if not (valid([document]) and unique_call_ids(document))]

    def _is_valid(self, documents: list[Any]) -> bool:
        try:
            return self._valid(documents)
        except Exception:  # a value the compiled library cannot represent: the engine decides
            return False


def _compile(schemas: Mapping[str, Any], kind: str) -> Any:
    # "type": "object" up front: a user's contract may omit it, and a non-object is json.not_object.
    item = {"type": "object", **_clean_schema(schemas, kind)}  # {"anyOf": ...}: both keywords must hold
    return _rs.Draft7Validator({"$schema": "http://json-schema.org/draft-07/schema#", "type": "array", "items": item})


@functools.lru_cache(maxsize=64)
def _batch_checker(schema_set: SchemaSet, profile: str, allow_extra: tuple[str, ...], kind: str) -> CleanCheck | None:
    if _rs is None:
        return None
    schemas: dict[str, Any] = {}
    for name in KINDS:
        schema = apply_profile(schema_set.schemas[name], name, profile, allow_extra)
        bare = _bare(schema)
        # the compiled validator has no arbitrary-precision numbers: harmless unless a contract compares them
        if not _trusted(schema) or _has_numbers(bare):
            return None
        schemas[name] = bare
    try:
        return CleanCheck(_compile(schemas, kind))
    except Exception:
        return None


def clean_checker(contract: Profiled, kind: str = "auto") -> CleanCheck | None:
    """A check that is True when :meth:`Contract.validate` reports nothing for every document.

    Documents must be freshly parsed JSON (dicts, lists, str, int, float, bool, None).
    Returns None when no compiled validator can stand in for this contract.
    """
    return _batch_checker(contract.schema_set, contract.profile, contract.allow_extra, kind)
