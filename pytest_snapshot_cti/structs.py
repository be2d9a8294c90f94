"""Parse and type-check in one pass: msgspec Structs generated from the profile schemas.

Why: reading a line into dicts and then validating the dicts builds every value twice (a Python
object, then the compiled validator's copy); msgspec decodes JSON bytes straight into Structs and
checks types and enums as it reads, faster than parsing alone. This is the first path a block of
lines tries in bulk validation (:mod:`bulk`); a block it cannot vouch for goes down the next one.

Only its *yes* is trusted, and a yes means :meth:`Contract.validate` reports nothing at all:

* the Structs are at least as strict as the profile schema: each is built only from keywords with
  an exact msgspec counterpart (``type`` string/array/object/boolean/null/integer/number or a list of
  scalar types, string ``enum``/``const`` (both, when both are there), ``properties``, ``required``,
  ``items``, ``minLength``/``maxLength``, ``minItems``/``maxItems``); anything else and there is no
  Struct for that kind;
* every key must be a known field (``forbid_unknown_fields``), so nothing is skipped unread;
* each line holds exactly one document (``decode_lines`` reads a stream of values, not lines)
  and no key was lost to a duplicate, which a decoder silently collapses: :func:`one_per_line`
  (the dict path has :func:`keys_intact`);
* a decoded Snapshot passes :data:`rules.FINDS_NOTHING`: each rule's own fast condition
  (S1's holds by the tag), asked exactly as the dict path asks it.

tests/test_structs.py and the bulk differential tests hold this to the engine's verdicts.
"""

from __future__ import annotations

import functools
import keyword
import re
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Final, Literal, NamedTuple, Union

from .rules import FACT_FIELDS, FINDS_NOTHING, LINE_FACT_FIELDS, SNAPSHOT_ONLY_FIELDS, typed_snapshot_facts
from .schemas import ANNOTATION_KEYWORDS, KINDS, apply_profile

if TYPE_CHECKING:
    from .schemas import Profiled

_ms: Any
try:  # optional at runtime: without it bulk validation takes the next path
    import msgspec as _ms
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    _ms = None

_TAG: Final = "pyEventType"
#: What the rules' facts read as attributes of a typed Snapshot (its pyEventType is the tag) and of its lines.
_RULE_FIELDS: Final = tuple(field for field in FACT_FIELDS if field != _TAG)


_local = threading.local()  # one re-encoding buffer per thread (checks are cached and may be shared)
_encode_into: Final[Any] = _ms.json.Encoder().encode_into if _ms is not None else None


def _encoded(documents: Any) -> bytearray:
    """``documents`` re-encoded into this thread's buffer (valid until the next call)."""
    buffer = getattr(_local, "buffer", None)
    if buffer is None:
        buffer = _local.buffer = bytearray(1 << 16)
    _encode_into(documents, buffer)  # the buffer ends where the encoding does
    return buffer


def keys_intact(text: bytes, documents: Any, start: int = 0, end: int | None = None) -> bool:
    """True when decoding ``text[start:end]`` into ``documents`` lost no key to a duplicate.

    Decoders keep the last of two equal keys silently. With no backslash in the text, every
    string is written back byte for byte, so the text has as many ``:`` as the re-encoded
    documents exactly when no key was lost (colons inside strings appear on both sides).
    The caller has checked for backslashes.
    """
    return text.count(b":", start, len(text) if end is None else end) == _encoded(documents).count(b":")


def one_per_line(blob: bytes, start: int, end: int, documents: list[Any], count: int | None = None, *, numbers: bool = False) -> bool:
    """True when ``blob[start:end]``, read by ``decode_lines`` into ``documents``, holds one
    document per line and no key was lost to a duplicate (``count``: its lines, if known).

    Comparing counts is not enough: ``decode_lines`` reads a stream of values, so ``{..}{..}``
    then a blank line gives as many documents as lines. The documents are objects and a raw
    newline cannot sit inside a string, so a newline between ``}`` and ``{`` separates two
    documents; when all ``len(documents) - 1`` newlines between lines do, each line holds at
    least one, and with as many documents as lines, exactly one.

    Compact lines are proved without counting lines or colons: each Struct re-encodes to at most
    its own text (whitespace and lost keys are dropped; strings hold no escapes and are written
    as read; pyEventType is always in the text, see :func:`_struct`), so an encoding ``[a,b,..]``
    one byte longer than the text leaves room for no whitespace but the newline ending each line,
    and for no lost key. That holds for strings, booleans and null, not for numbers (``1e2`` re-encodes as
    ``100.0``): when the Structs may hold ``numbers``, only the colons are counted.
    """
    between = len(documents) - 1
    aligned = blob.count(b"}\n{", start, end)
    ends_line = blob[end - 1 : end] == b"\n"
    encoded = _encoded(documents)
    if not numbers and aligned == between and ends_line and len(encoded) == end - start + 1:
        return True
    if count is None:
        count = blob.count(b"\n", start, end) + (not ends_line)
    if between + 1 != count or (aligned != between and aligned + blob.count(b"}\r\n{", start, end) != between):
        return False
    return blob.count(b":", start, end) == encoded.count(b":")


def _readable_bases() -> tuple[Any, Any]:
    """The bases of every generated Struct (built only when msgspec is there)."""

    class Readable(_ms.Struct):  # type: ignore[misc]
        """What every generated Struct is: read-only ``get`` as on the dict the same JSON decodes to.

        So the stream rules (:mod:`lifecycle`) read typed events and their lines without converting
        them: ``get`` answers as ``dict.get`` would (a field the line left out is absent, not ``UNSET``).
        """

        cti_typed: ClassVar[bool] = True

        def get(self, name: str, default: Any = None) -> Any:
            value = getattr(self, name, _ms.UNSET)
            return default if value is _ms.UNSET else value

    class TypedEvent(Readable):
        """A generated event Struct; ``stream_type`` is the type the stream rules give it (its tag,
        Snapshot-only fields aside), ``snapshot_fields`` the Snapshot-only fields it may carry."""

        stream_type: ClassVar[str] = ""
        snapshot_fields: ClassVar[tuple[str, ...]] = ()

    return Readable, TypedEvent


Readable, TypedEvent = _readable_bases() if _ms is not None else (object, object)


class _Unsupported(Exception):
    """A schema with no exact msgspec counterpart: that kind gets no Struct."""


def available() -> bool:
    return _ms is not None


def _strings(schema: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The allowed values of an ``enum``/``const`` of strings, None when there is no such keyword.

    Both keywords apply when both are there: a value must equal the ``const`` *and* be listed in
    the ``enum`` (keeping only one of them would vouch for what the other refuses).
    """
    lists = [[schema["const"]]] if "const" in schema else []
    if "enum" in schema:
        lists.append(schema["enum"])
    if not lists:
        return None
    for values in lists:
        if not isinstance(values, list) or not values or not all(type(v) is str for v in values):
            raise _Unsupported("enum/const of non-strings")
    allowed = [value for value in lists[0] if all(value in other for other in lists[1:])]
    if not allowed:
        raise _Unsupported("enum and const admit no value together")
    return tuple(dict.fromkeys(allowed))


#: JSON Schema scalar types and the msgspec types decoding exactly those values (``integer``: whole numbers
#: written without a fraction; ``1.0``, an integer to draft-06, does not decode, so the line goes to the next path).
_SCALARS: Final[Mapping[str, Any]] = {"boolean": bool, "null": type(None), "integer": int, "number": Union[int, float]}  # noqa: UP007
#: Length keywords msgspec states with ``Meta`` (characters of a string, items of an array).
_LENGTHS: Final[Mapping[str, tuple[str, str]]] = {"string": ("minLength", "maxLength"), "array": ("minItems", "maxItems")}


def _sized(annotation: Any, schema: Mapping[str, Any], kind: str) -> Any:
    """``annotation`` with the schema's length bounds, as msgspec checks them while decoding."""
    low, high = _LENGTHS[kind]
    bounds = {}
    for bound, option in ((low, "min_length"), (high, "max_length")):
        if bound in schema:
            value = schema[bound]
            if type(value) is not int or value < 0:
                raise _Unsupported(f"{bound} {value!r}")
            bounds[option] = value
    return Annotated[annotation, _ms.Meta(**bounds)] if bounds else annotation


def _field_type(schema: Any, name: str) -> Any:
    """The msgspec type accepting exactly what ``schema`` accepts, or a subset of it."""
    if not isinstance(schema, Mapping):
        raise _Unsupported("boolean schema")
    keywords = set(schema) - ANNOTATION_KEYWORDS
    values = _strings(schema)
    kind = schema.get("type")
    if values is not None:
        if not keywords <= {"enum", "const", "type"} or kind not in (None, "string"):
            raise _Unsupported("enum with other keywords")
        return Literal[values]
    if isinstance(kind, list):  # one of several scalar types
        if keywords != {"type"} or not kind or not all(isinstance(k, str) and (k in _SCALARS or k == "string") for k in kind):
            raise _Unsupported(f"type {kind!r} at {name}")
        return Union[tuple(str if k == "string" else _SCALARS[k] for k in dict.fromkeys(kind))]  # noqa: UP007 - a runtime type
    if isinstance(kind, str) and kind in _SCALARS and keywords == {"type"}:
        return _SCALARS[kind]
    if kind == "string" and keywords <= {"type", *_LENGTHS["string"]}:
        return _sized(str, schema, "string")
    if kind == "array" and keywords <= {"type", "items", *_LENGTHS["array"]} and isinstance(schema.get("items"), Mapping):
        return _sized(list[_field_type(schema["items"], name)], schema, "array")  # type: ignore[misc]
    if kind == "object" and keywords <= {"type", "properties", "required", "additionalProperties"}:
        return _struct(schema, name)
    if kind is None and keywords and keywords <= {"properties", "required", "additionalProperties"}:
        return _struct(schema, name)  # object keywords only: any non-object is valid too, and a Struct admits objects only (a subset)
    raise _Unsupported(f"{sorted(keywords)} at {name}")


def _may_hold_numbers(schema: Any) -> bool:
    """Whether a Struct built from ``schema`` may hold a number (re-encoded, ``1e2`` is longer than written)."""
    if isinstance(schema, Mapping):
        kind = schema.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        return any(k in ("integer", "number") for k in kinds) or any(_may_hold_numbers(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_may_hold_numbers(v) for v in schema)
    return False


def _struct(schema: Mapping[str, Any], name: str, tag: str | None = None, *, tagged: bool = True) -> Any:
    """A Struct for an object schema; ``tag`` makes it one member of a union tagged by pyEventType.

    ``tagged=False`` (a Struct decoded alone) makes pyEventType a required field equal to ``tag``
    instead: msgspec requires a tag only to tell union members apart, so a lone tagged Struct
    would decode an event without pyEventType, and writing the tag back would hide a lost key.

    Unknown keys are always refused, whatever ``additionalProperties`` says: stricter is safe.
    """
    if set(schema) - ANNOTATION_KEYWORDS - {"type", "properties", "required", "additionalProperties"}:
        raise _Unsupported(f"object keywords at {name}")
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    if not isinstance(properties, Mapping) or not isinstance(required, list):
        raise _Unsupported("malformed object schema")
    if any(field not in properties and field != _TAG for field in required):
        raise _Unsupported("a required field the schema does not describe")
    if tag is not None and _TAG not in properties:  # then the schema may call pyEventType an extra key
        raise _Unsupported("pyEventType is not described")
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
    if tag is not None and tagged:
        options.update(tag_field=_TAG, tag=tag)
    elif tag is not None:
        fields.append((_TAG, Literal[(tag,)]))
    elif _TAG in required:
        raise _Unsupported("pyEventType required below the top level")
    if tag is not None:  # an event: the stream rules read it (see TypedEvent)
        names = tuple(field[0] for field in fields)
        namespace = {"stream_type": tag, "snapshot_fields": tuple(f for f in names if f in SNAPSHOT_ONLY_FIELDS)}
        return _ms.defstruct(name.replace(".", "_"), fields, bases=(TypedEvent,), namespace=namespace, **options)
    return _ms.defstruct(name.replace(".", "_"), fields, bases=(Readable,), **options)


def _accepts_tag(schema: Any, tag: str) -> None:
    if not isinstance(schema, Mapping):
        raise _Unsupported("boolean schema for pyEventType")
    values = _strings(schema)
    if set(schema) - ANNOTATION_KEYWORDS - {"type", "enum", "const"}:
        raise _Unsupported("pyEventType with other keywords")
    if schema.get("type", "string") != "string" or (values is not None and tag not in values):
        raise _Unsupported(f"pyEventType does not accept {tag!r}")


def _is_text(schema: Any) -> bool:
    return isinstance(schema, Mapping) and (schema.get("type") == "string" or "enum" in schema or "const" in schema)


def _rules_readable(schema: Mapping[str, Any]) -> bool:
    """The Snapshot schema types every field :func:`rules.snapshot_facts` reads as text, and lines as objects
    (so a typed Snapshot holds a string or UNSET in each, as the facts expect)."""
    properties = schema.get("properties", {})
    if not all(field in properties for field in _RULE_FIELDS):
        return False
    lines = properties["pyLines"]
    items = lines.get("items") if isinstance(lines, Mapping) else None
    if not (isinstance(items, Mapping) and items.get("type") == "object"):
        return False
    line_fields = items.get("properties", {})
    return all(_is_text(properties[f]) for f in _RULE_FIELDS if f != "pyLines") and all(
        _is_text(line_fields.get(f)) for f in LINE_FACT_FIELDS
    )


#: Where the decoder stopped, when its message says: ``at `$[3]...``` (line 3) or ``(byte 196)``.
_AT_LINE: Final = re.compile(r" - at `\$\[(\d+)\]")
_AT_BYTE: Final = re.compile(r"\(byte (\d+)\)")
#: Past this many lines refused in one chunk, the rest of it goes to the next path unexamined.
_GIVE_UP: Final = 8


#: ``keep(first line, documents, offsets not clean, start byte)``: see :meth:`TypedCheck.sort`.
Keep = Callable[[int, list[Any], list[int], int], None]


class Sorted(NamedTuple):
    """A chunk's lines by what the typed path could say of them (offsets count lines from 0)."""

    lines: int
    clean: int
    engine: list[int]
    undecided: list[int]


class TypedCheck:
    """Decodes JSONL lines into Structs and says which lines are clean."""

    def __init__(self, members: list[Any], snapshot: Any | None, block_bytes: int = 1 << 15, *, numbers: bool = False) -> None:
        union = members[0] if len(members) == 1 else Union[tuple(members)]  # noqa: UP007 - a runtime type
        self._decode_lines = _ms.json.Decoder(union).decode_lines
        self._numbers = numbers
        self._members = tuple(members)
        self._snapshot = snapshot
        self._block_bytes = block_bytes

    def snapshot_classes(self) -> frozenset[type]:
        """The Structs whose events the stream rules may count as Snapshots (the tag, or a Snapshot-only field)."""
        return frozenset(cls for cls in self._members if cls.stream_type == "SnapshotEvent" or cls.snapshot_fields)

    def engine_lines(self, block: bytes, count: int) -> list[int] | None:
        """Offsets of the block's lines that are not clean (for the engine), or None: "cannot say".

        ``block`` is ``count`` lines, each ending in a newline.
        """
        judged, _ = self._judge(block, 0, len(block), count)
        return None if judged is None else judged[1]

    def sort(self, blob: bytes, keep: Keep | None = None) -> Sorted:
        """Every line of ``blob`` (whole lines): clean, for the engine, or undecided.

        Blocks of about ``block_bytes`` are decoded at once, straight from ``blob``; a block
        that fails is searched line by line (:meth:`_search`). ``keep`` is handed every decoded
        piece as it is judged, for the stream rules: ``keep(first line, documents, offsets not clean, start)``
        (``start``: where the piece begins in ``blob``).
        """
        clean = 0
        engine: list[int] = []
        undecided: list[int] = []
        size = len(blob)
        start = line = 0
        while start < size:
            end = blob.find(b"\n", start + self._block_bytes)
            end = size if end < 0 else end + 1
            judged, at = self._judge(blob, start, end)
            if judged is not None:
                count, found, documents = judged
                clean += count - len(found)
                engine.extend(line + offset for offset in found)
                if keep is not None:
                    keep(line, documents, found, start)
            else:
                count = blob.count(b"\n", start, end) + (end == size and blob[-1:] != b"\n")
                if len(undecided) >= _GIVE_UP:  # a chunk the typed path does not fit: stop trying
                    undecided.extend(range(line, line + count))
                else:
                    clean += self._search(blob, start, end, line, at, engine, undecided, keep)
            start, line = end, line + count
        return Sorted(line, clean, engine, undecided)

    def _search(
        self, blob: bytes, start: int, end: int, first: int, at: int | None, engine: list[int], undecided: list[int], keep: Keep | None
    ) -> int:
        """Sort the lines of a block that did not decode as a whole; returns how many are clean.

        The block is split where the decoder stopped (or in half) and the line it stopped at is
        left undecided. Where it stopped only saves work: every piece is decoded again before
        anything is said of it.
        """
        starts = [start]
        while starts[-1] < end:
            cut = blob.find(b"\n", starts[-1], end)
            starts.append(end if cut < 0 else cut + 1)
        clean = 0
        pending: list[tuple[int, int]] = []

        def split(lo: int, hi: int, at: int | None) -> None:
            """Queue the pieces of a range that did not decode."""
            if hi - lo == 1:
                undecided.append(first + lo)
            elif len(undecided) >= _GIVE_UP:  # a chunk the typed path does not fit: stop trying
                undecided.extend(range(first + lo, first + hi))
                undecided.extend(first + i for low, high in pending for i in range(low, high))
                pending.clear()
            elif at is None or not 0 <= at < hi - lo:
                middle = lo + (hi - lo) // 2
                pending.extend(((middle, hi), (lo, middle)))
            else:
                undecided.append(first + lo + at)
                pending.extend(piece for piece in ((lo + at + 1, hi), (lo, lo + at)) if piece[0] < piece[1])

        split(0, len(starts) - 1, at)
        while pending:
            lo, hi = pending.pop()
            judged, at = self._judge(blob, starts[lo], starts[hi], hi - lo)
            if judged is None:
                split(lo, hi, at)
            else:
                found, documents = judged[1], judged[2]
                clean += hi - lo - len(found)
                engine.extend(first + lo + offset for offset in found)
                if keep is not None:
                    keep(first + lo, documents, found, starts[lo])
        engine.sort()
        undecided.sort()
        return clean

    def _judge(
        self, blob: bytes, start: int, end: int, count: int | None = None
    ) -> tuple[tuple[int, list[int], list[Any]] | None, int | None]:
        """((lines, offsets not clean, documents), None) for ``blob[start:end]``; or (None, the line the decoder stopped at).

        ``count``: the block's lines, when the caller knows them.
        """
        if blob.find(b"\\", start, end) >= 0:
            return None, None
        view = memoryview(blob)[start:end]
        try:
            documents = self._decode_lines(view)
        except Exception as err:  # malformed, mistyped, unknown key, too deep, bad UTF-8: the next path decides
            return None, _stopped_at(err, view)
        if not documents or not one_per_line(blob, start, end, documents, count, numbers=self._numbers):
            return None, None  # a blank line, two objects on a line, one over two lines, a key lost to a duplicate
        snapshot, facts, clean = self._snapshot, typed_snapshot_facts, FINDS_NOTHING
        return (
            len(documents),
            [index for index, document in enumerate(documents) if type(document) is snapshot and not clean[facts(document)]],
            documents,
        ), None


def _stopped_at(error: Exception, view: memoryview) -> int | None:
    """The line a decoding error names, if its message names one (a hint: only speed depends on it)."""
    message = str(error)
    found = _AT_LINE.search(message)
    if found:
        return int(found.group(1))
    found = _AT_BYTE.search(message)
    if found:
        return bytes(view[: int(found.group(1))]).count(b"\n")
    return None


@functools.lru_cache(maxsize=64)
def _typed(schema_set: Any, profile: str, allow_extra: tuple[str, ...], kind: str) -> TypedCheck | None:
    if _ms is None:
        return None
    built: list[tuple[str, Mapping[str, Any], str]] = []
    for name, (_, event_type) in KINDS.items():
        if kind not in ("auto", name):
            continue
        schema = apply_profile(schema_set.schemas[name], name, profile, allow_extra)
        if schema.get("type") != "object":
            continue
        try:
            struct = _struct(schema, f"{name}_event", tag=event_type)
        except (_Unsupported, TypeError):  # TypeError: a type msgspec refuses (a union of two JSON kinds alike)
            continue
        if name == "snapshot":
            if not _rules_readable(schema):
                continue
        elif kind == "auto" and SNAPSHOT_ONLY_FIELDS & set(struct.__struct_fields__):
            continue  # auto-detection would call such an event a Snapshot
        built.append((name, schema, event_type))
    if not built:
        return None
    tagged = len(built) > 1
    members = {name: _struct(schema, f"{name}_event", tag=event_type, tagged=tagged) for name, schema, event_type in built}
    numbers = any(_may_hold_numbers(schema) for _, schema, _ in built)
    try:
        return TypedCheck(list(members.values()), members.get("snapshot"), numbers=numbers)
    except TypeError:  # a union msgspec cannot decode (two types of one JSON kind): the next path decides
        return None


def typed_checker(contract: Profiled, kind: str = "auto") -> TypedCheck | None:
    """The one-pass check for ``contract`` and ``kind``, or None when no kind can have one."""
    return _typed(contract.schema_set, contract.profile, contract.allow_extra, kind)
