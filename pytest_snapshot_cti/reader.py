"""Strict JSON reading: every way a payload can be unreadable becomes a ``json.*`` violation.

Pega Call parses events with JavaScript's ``JSON.parse``; Python's ``json`` is laxer
(it accepts ``NaN``, keeps the last of duplicate keys, turns ``1e400`` into infinity).
This module closes those gaps and attaches a location (file:line, array index) to
every event it reads, so nothing is dropped silently and every message says where.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, Final

from .violations import Violation, json_path

BOM: Final = "\ufeff"
#: The only whitespace JSON allows between tokens (RFC 8259); ``str.strip()`` would also take
#: U+00A0, U+2028, form feeds…, which JSON.parse rejects.
JSON_WHITESPACE: Final = " \t\r\n"
BLANK_BYTES: Final = JSON_WHITESPACE.encode()
#: Deeper nesting is refused (``json.depth``) at a fixed depth, not wherever Python's recursion
#: limit happens to stop the parser, so a verdict does not depend on the caller's stack (the CLI,
#: a pytest run, a notebook), and the engine always has room to check and quote the value.
MAX_DEPTH: Final = 256
DEPTH_MESSAGE: Final = f"nested more than {MAX_DEPTH} levels deep (arrays or objects inside each other)"


class _Missing:
    """Marks "no document could be read" (``None`` is a valid JSON value)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()


class ReadError(ValueError):
    """A payload that is not strict JSON. ``rule`` is a ``json.*`` id."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message

    def violation(self, location: str | None = None) -> Violation:
        return Violation(self.rule, "error", "$", self.message, None, location)


def _reject_constant(name: str) -> Any:
    raise ReadError("json.nan", f"{name} is not valid JSON (JSON.parse rejects NaN and Infinity)")


def _strict_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ReadError("json.number", f"number {text[:40]} overflows a double (JSON.parse would read Infinity)")
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ReadError(
                    "json.duplicate_key",
                    f"duplicate key {key!r} in one object (JSON.parse keeps the last, so a value is silently lost)",
                )
            seen.add(key)
    return result


_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=_no_duplicates,
    parse_constant=_reject_constant,
    parse_float=_strict_float,
    strict=True,
)
#: The reader with rule json.duplicate_key disabled: two equal keys read as JSON.parse reads them (the last wins).
_LAST_KEY_WINS: Final = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_strict_float, strict=True)
DUPLICATE_KEY: Final = "json.duplicate_key"


def line_text(raw: bytes) -> bytes:
    """A JSONL line without its line end (``\\n`` or ``\\r\\n``): what the engine is handed for that line.

    Only one line end goes: in ``{...}\\r\\r\\n`` the first ``\\r`` belongs to the line (JSON whitespace,
    or where a malformed line stops), so every path locates a problem at the same column.
    """
    if raw.endswith(b"\n"):
        return raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
    return raw


def _trailing_comma(err: json.JSONDecodeError, text: str) -> tuple[str, int] | None:
    """``(message, comma position)`` when the error is a trailing comma (``{"a": 1,}``).

    Python 3.13 says so itself; older versions say "Expecting property name" one character
    later. Normalising keeps every message and column the same on every supported Python.
    """
    if err.msg.startswith("Illegal trailing comma"):
        return err.msg, err.pos
    if err.pos >= len(text) or text[err.pos] not in "}]":
        return None
    before = text[: err.pos].rstrip()
    if not before.endswith(","):
        return None
    container = "object" if text[err.pos] == "}" else "array"
    return f"Illegal trailing comma before end of {container}", len(before) - 1


def _describe(err: json.JSONDecodeError, text: str, *, multiline: bool) -> str:
    what, pos = err.msg, err.pos
    trailing = _trailing_comma(err, text)
    if trailing is not None:
        what, pos = trailing
    line = text.count("\n", 0, pos) + 1
    column = pos - text.rfind("\n", 0, pos)
    where = f"line {line} column {column}" if multiline and "\n" in text else f"column {column}"
    what = what[: -len(" at")] if what.endswith(" at") else what
    truncated = pos >= len(text.rstrip()) or what.startswith("Unterminated string")
    if "control character" in what:
        char = text[pos] if pos < len(text) else ""
        return f"not valid JSON: {what} {char!r} at {where} (control characters such as NUL must be escaped)"
    if what == "Expecting value" and pos < len(text) and (text[pos] < " " or text[pos].isspace()) and text[pos] not in JSON_WHITESPACE:
        char = text[pos]
        if char == "\x00":
            return f"not valid JSON: control character {char!r} at {where}, where a value was expected (a NUL byte in the stream?)"
        name = "control character" if char < " " else f"U+{ord(char):04X}"
        return f"not valid JSON: {name} {char!r} at {where}, where a value was expected (JSON allows only space, tab, CR and LF between values)"
    return f"not valid JSON: {what} at {where}" + (" (truncated?)" if truncated else "")


def decode_utf8(data: bytes) -> str:
    """Decode strictly; a bad byte is a ``json.encoding`` error naming its offset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ReadError(
            "json.encoding",
            f"not valid UTF-8: byte 0x{data[err.start]:02x} at offset {err.start} ({err.reason})",
        ) from None


def loads_strict(data: str | bytes | bytearray, *, multiline: bool = True, max_depth: int = MAX_DEPTH, last_key_wins: bool = False) -> Any:
    """Parse one JSON text the way ``JSON.parse`` would accept it, or raise :class:`ReadError`.

    ``max_depth``: the nesting allowed (a JSON file's array of events adds one level).
    ``last_key_wins``: rule json.duplicate_key is disabled, so equal keys read as JSON.parse reads them.
    """
    text = decode_utf8(bytes(data)) if isinstance(data, (bytes, bytearray)) else data
    if text.startswith(BOM):
        raise ReadError(
            "json.bom",
            "starts with a UTF-8 byte-order mark (U+FEFF); JSON text must not, and JSON.parse rejects it",
        )
    if not text.strip(JSON_WHITESPACE):
        raise ReadError("json.empty", "empty input: no JSON value")
    try:
        value, end = (_LAST_KEY_WINS if last_key_wins else _DECODER).raw_decode(text, len(text) - len(text.lstrip(JSON_WHITESPACE)))
    except ReadError:
        raise
    except json.JSONDecodeError as err:
        raise ReadError("json.syntax", _describe(err, text, multiline=multiline)) from None
    except RecursionError:
        raise ReadError("json.depth", DEPTH_MESSAGE) from None
    except ValueError as err:  # int digit limit (CPython >= 3.10.7)
        raise ReadError("json.number", too_long_message(_max_digits())) from err
    rest = text[end:]
    if rest.strip(JSON_WHITESPACE):
        offset = end + len(rest) - len(rest.lstrip(JSON_WHITESPACE))
        raise ReadError("json.trailing_data", f"unexpected data after the JSON value at offset {offset}: {text[offset : offset + 20]!r}")
    if text.count("[") + text.count("{") > max_depth and unwritable(value, max_depth) is not None:
        raise ReadError("json.depth", DEPTH_MESSAGE)  # parsed keys are strings: only depth can be the reason
    return value


#: What JSON writes as objects and arrays (json.dumps writes a tuple as an array).
_CONTAINERS: Final = (dict, list, tuple)


def _max_digits() -> int:
    """Python's limit on the digits of an integer it reads or writes (0: none; CPython >= 3.10.7)."""
    return sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300


def too_long_message(digits: int) -> str:
    return f"number too large to read exactly: an integer of more than {digits} digits (send such ids as strings)"


def _too_long(number: int) -> bool:
    """True for an integer Python refuses to write as text (it has more digits than the limit)."""
    limit = _max_digits()
    if not limit or number.bit_length() <= 3 * limit:  # 10**limit needs more than 3.3 * limit bits
        return False
    try:
        str(number)
    except ValueError:
        return True
    return False


def unwritable(value: Any, max_depth: int = MAX_DEPTH) -> Violation | None:
    """Why ``value`` has no JSON text this reader would accept, or None: nesting past ``max_depth``,
    an object key that is not a string (JSON keys are strings), or an integer too long for Python to
    read or write exactly (``json.number``, as the same number in JSON text). Walks without recursing."""
    if isinstance(value, int) and _too_long(value):
        return Violation("json.number", "error", "$", too_long_message(_max_digits()))
    pending: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())] if isinstance(value, _CONTAINERS) else []
    while pending:
        node, path = pending.pop()
        if len(path) >= max_depth:
            return Violation("json.depth", "error", "$", DEPTH_MESSAGE)
        if isinstance(node, dict):
            for key, child in node.items():
                if not isinstance(key, str):
                    return non_string_key(path, key)
                if isinstance(child, _CONTAINERS):
                    pending.append((child, (*path, key)))
                elif isinstance(child, int) and child.bit_length() > _SHORT_BITS and _too_long(child):
                    return _too_long_at((*path, key))
        else:
            for index, child in enumerate(node):
                if isinstance(child, _CONTAINERS):
                    pending.append((child, (*path, index)))
                elif isinstance(child, int) and child.bit_length() > _SHORT_BITS and _too_long(child):
                    return _too_long_at((*path, index))
    return None


def _too_long_at(path: Sequence[str | int]) -> Violation:
    return Violation("json.number", "error", json_path(path), too_long_message(_max_digits()))


#: Integers this short always print (a cheap test before the exact one).
_SHORT_BITS: Final = 3 * 640


def non_string_key(path: Sequence[str | int], key: Any) -> Violation:
    return Violation(
        "json.not_serializable",
        "error",
        json_path(path),
        f"object key {key!r} is a {type(key).__name__}, not a string",
        "JSON object keys are strings: use str(key)",
    )


def parse_event(data: str | bytes | bytearray, *, disabled: Collection[str] = ()) -> tuple[Any, Violation | None]:
    """``(document, None)`` or ``(MISSING, violation)``; never raises for bad input.

    ``disabled``: the contract's disabled rules; with json.duplicate_key among them, the last of two equal keys wins.
    """
    try:
        return loads_strict(data, last_key_wins=DUPLICATE_KEY in disabled), None
    except ReadError as err:
        return MISSING, err.violation()


@dataclass(frozen=True)
class ReadItem:
    """One event read from a file, or the reason it could not be read.

    ``document`` is :data:`MISSING` when unreadable; ``error`` then says why.
    ``line`` is 1-based; ``location`` is ``path:line`` (or ``path[index]``).
    """

    location: str
    line: int
    document: Any
    error: Violation | None = None

    @property
    def readable(self) -> bool:
        return self.error is None


def is_jsonl(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).endswith((".jsonl", ".ndjson"))


def iter_jsonl(stream: IO[bytes], name: str, *, last_key_wins: bool = False) -> Iterator[ReadItem]:
    """One item per non-blank line; CRLF tolerated; each bad line is an item with an error."""
    for number, raw in enumerate(stream, start=1):
        line = line_text(raw)
        if not line.strip(BLANK_BYTES):
            continue
        location = f"{name}:{number}"
        try:
            yield ReadItem(location, number, loads_strict(line, multiline=False, last_key_wins=last_key_wins))
        except ReadError as err:
            yield ReadItem(location, number, MISSING, err.violation(location))


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def iter_json_document(text: str, name: str, *, last_key_wins: bool = False) -> Iterator[ReadItem]:
    """A JSON file holding one event object, or an array of events (each located by line).

    A file holding only whitespace holds no event (as an empty ``.jsonl`` file): nothing is yielded.
    """
    if not text.strip(JSON_WHITESPACE):
        return
    start = len(text) - len(text.lstrip(JSON_WHITESPACE))
    if text.startswith(BOM) or text[start] != "[":
        try:
            yield ReadItem(f"{name}:1", 1, loads_strict(text, last_key_wins=last_key_wins))
        except ReadError as err:
            yield ReadItem(f"{name}:1", 1, MISSING, err.violation(f"{name}:1"))
        return
    try:
        # the whole array must be strict JSON before its items are trusted
        loads_strict(text, max_depth=MAX_DEPTH + 1, last_key_wins=last_key_wins)
    except ReadError as err:
        location = f"{name}:1"
        yield ReadItem(location, 1, MISSING, err.violation(location))
        return
    pos = start + 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return
        line = _line_of(text, pos)
        value, pos = (_LAST_KEY_WINS if last_key_wins else _DECODER).raw_decode(text, pos)
        yield ReadItem(f"{name}:{line}", line, value)


def iter_file(path: str | os.PathLike[str], *, display: str | None = None, disabled: Collection[str] = ()) -> Iterator[ReadItem]:
    """Events of a capture file: JSONL by extension (``.jsonl``), otherwise one JSON document.

    I/O errors propagate as ``OSError``: the caller decides whether that is a usage error.
    ``disabled``: the contract's disabled rules (json.duplicate_key among them: the last of equal keys wins).
    """
    name = display if display is not None else os.fspath(path)
    last_key_wins = DUPLICATE_KEY in disabled
    if is_jsonl(path):
        with open(path, "rb") as stream:
            yield from iter_jsonl(stream, name, last_key_wins=last_key_wins)
        return
    with open(path, "rb") as stream:
        data = stream.read()
    try:
        text = decode_utf8(data)
    except ReadError as err:
        yield ReadItem(f"{name}:1", 1, MISSING, err.violation(f"{name}:1"))
        return
    yield from iter_json_document(text, name, last_key_wins=last_key_wins)
