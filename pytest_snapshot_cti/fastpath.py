"""Compiled yes/no validators: a fast *yes* for the common case, the full engine for everything else.

jsonschema's Python validator costs tens of microseconds per Snapshot; jsonschema-rs says
"valid?" in well under one. Only its *yes* is ever trusted: a *no*, an exception or any doubt
sends the event to :meth:`Contract.validate` (jsonschema + rules), which writes the messages.
A yes implies the engine's yes because the compiled schema is the profile schema itself,
restricted to keywords both libraries read alike (:data:`TRUSTED_KEYWORDS`). Anything else —
``$ref``, ``pattern``, ``format``… in a user's contract — simply disables the fast path. The
semantic rules are not restated here: :class:`CleanCheck` asks them (:mod:`rules`).
The differential tests (tests/test_bulk_differential.py) hold the two paths to the same verdicts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

from .kind_detection import checked_as
from .rules import FINDS_NOTHING, s1_as_finds_nothing, snapshot_facts
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


def _compilable(schema_set: SchemaSet, kind: str, profile: str, allow_extra: tuple[str, ...]) -> Any | None:
    """``kind``'s profile schema without annotations, or None when a compiled validator cannot stand in for it."""
    schema = apply_profile(schema_set.schemas[kind], kind, profile, allow_extra)
    bare = _bare(schema)
    # the compiled validator has no arbitrary-precision numbers: harmless unless a contract compares them
    return bare if _trusted(schema) and not _has_numbers(bare) else None


def _compiled(schema: Any) -> Callable[[Any], bool] | None:
    """jsonschema-rs's ``is_valid`` for ``schema``, or None for a schema it refuses (the engine handles it)."""
    try:
        return _rs.Draft6Validator(schema).is_valid  # type: ignore[no-any-return]
    except Exception:
        return None


@functools.lru_cache(maxsize=64)
def schema_checker(schema_set: SchemaSet, kind: str, profile: str, allow_extra: tuple[str, ...]) -> Callable[[Any], bool] | None:
    """A compiled ``is_valid`` for the profile schema of ``kind``, or None when it cannot be trusted."""
    if _rs is None:
        return None
    bare = _compilable(schema_set, kind, profile, allow_extra)
    return None if bare is None else _compiled(bare)


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


class CleanCheck:
    """Which freshly parsed documents :meth:`Contract.validate` reports nothing for, judged as the engine judges:

    the kind each is checked as (:func:`kind_detection.checked_as`, or the kind forced; a kind with no
    compiled schema is left to the engine), that kind's profile schema compiled (a block of documents per call), and for a Snapshot each rule's own fast
    condition (:data:`rules.FINDS_NOTHING`, as on the typed path); for a forced sibling kind, S1's.
    """

    def __init__(self, validators: Mapping[str, Callable[[list[Any]], bool]], kind: str) -> None:
        self._valid = validators
        self._kind = kind

    def failing(self, documents: list[Any]) -> list[int]:
        """Indexes (ascending) of the documents that are not clean."""
        kind, clean, facts, valid = self._kind, FINDS_NOTHING, snapshot_facts, self._valid
        sibling = None if kind in ("auto", "snapshot") else KINDS[kind][1]  # a forced sibling kind: S1 reads its type
        groups: dict[str, tuple[list[int], list[Any]]] = {}
        bad: list[int] = []
        for index, document in enumerate(documents):
            if type(document) is not dict:  # json.not_object
                bad.append(index)
                continue
            if kind != "auto":
                resolved: str | None = kind
            elif document.get("pyEventType") == "SnapshotEvent":  # checked_as's everyday case, inline
                resolved = "snapshot"
            else:
                resolved = checked_as(document)
            if resolved is None or resolved not in valid:  # kind.unknown, kind.undocumented, or a kind it cannot compile
                bad.append(index)
                continue
            # a sibling kind's S1: under auto its own pyEventType named the kind; a forced kind's reads it
            quiet = clean[facts(document)] if resolved == "snapshot" else sibling is None or s1_as_finds_nothing(document, sibling)
            if not quiet:  # a rule finds something: the schema need not be asked
                bad.append(index)
                continue
            group = groups.get(resolved)
            if group is None:
                group = groups[resolved] = ([], [])
            group[0].append(index)
            group[1].append(document)
        for resolved, (indexes, of_kind) in groups.items():
            bad.extend(self._schema_failing(resolved, of_kind, indexes))
        bad.sort()
        return bad

    def _schema_failing(self, kind: str, documents: list[Any], indexes: list[int]) -> Iterator[int]:
        """The ``indexes`` of ``documents`` that ``kind``'s compiled schema refuses: a block at a time, one by one in a block that fails."""
        valid = self._valid[kind]
        for start in range(0, len(documents), BLOCK):
            block = documents[start : start + BLOCK]
            if not self._is_valid(valid, block):
                yield from (indexes[start + offset] for offset, document in enumerate(block) if not self._is_valid(valid, [document]))

    @staticmethod
    def _is_valid(valid: Callable[[list[Any]], bool], documents: list[Any]) -> bool:
        try:
            return valid(documents)
        except Exception:  # a value the compiled library cannot represent: the engine decides
            return False


#: Documents checked per compiled call; a block with a failure is searched once more.
BLOCK: Final = 32


@functools.lru_cache(maxsize=64)
def _batch_checker(schema_set: SchemaSet, profile: str, allow_extra: tuple[str, ...], kind: str) -> CleanCheck | None:
    """The dict path for the kinds a compiled validator can stand in for (the others go to the engine), or None."""
    if _rs is None:
        return None
    validators: dict[str, Callable[[list[Any]], bool]] = {}
    for name in KINDS:
        bare = _compilable(schema_set, name, profile, allow_extra) if kind in ("auto", name) else None
        valid = None if bare is None else _compiled({"type": "array", "items": bare})
        if valid is not None:
            validators[name] = valid
    return CleanCheck(validators, kind) if validators else None


def clean_checker(contract: Profiled, kind: str = "auto") -> CleanCheck | None:
    """A check that is True when :meth:`Contract.validate` reports nothing for every document.

    Documents must be freshly parsed JSON (dicts, lists, str, int, float, bool, None).
    Returns None when no compiled validator can stand in for this contract.
    """
    return _batch_checker(contract.schema_set, contract.profile, contract.allow_extra, kind)
