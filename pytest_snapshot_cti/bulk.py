"""Streaming validation of capture files: one verdict per event, counts that always add up.

Why a module of its own: a day of production traffic is millions of lines, so the work is
done in chunks of lines, each tried down three paths until one vouches for every line:

1. typed decoding (:mod:`structs`): msgspec reads the lines straight into Structs generated from
   the profile schemas, and each Snapshot passes every rule's fast condition (:data:`rules.FINDS_NOTHING`);
2. the dict path: msgspec reads the lines into plain JSON values, the compiled profile schemas
   accept them and each Snapshot passes the same conditions (:mod:`fastpath`);
3. the engine: the strict reader and :meth:`Contract.validate`, one line at a time, exactly as one
   event at a time would be. That path writes every message, so messages never differ.

The outcomes it yields (:mod:`outcomes`) are written by the reporters (:mod:`reports`).

What keeps the dict path honest (each case falls back to the strict reader, line by line):
* a backslash (escapes: ``\\u0000``, lone surrogates, quotes inside strings), a syntax msgspec
  rejects (NaN, BOM, bad UTF-8, numbers that overflow a double), a blank line, a line long
  enough and with brackets enough to nest deeper than the reader allows (:data:`reader.MAX_DEPTH`);
* a duplicate key, which a decoder drops silently (:func:`structs.keys_intact` rules it out);
* integers beyond 64 bits stay Python ints, which the compiled validator reads as numbers; a
  contract whose ``enum`` or ``const`` lists numbers gets no compiled check (fastpath).
"""

from __future__ import annotations

import contextlib
import gc
import operator
import os
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Final

from .fastpath import BLOCK as BLOCK  # documents per compiled call (moved with the check)
from .fastpath import CleanCheck, clean_checker
from .outcomes import EventResult, InputDone, InputProblem, Outcome, StreamResult, Tally, Verdict
from .reader import BLANK_BYTES, DUPLICATE_KEY, MAX_DEPTH, ReadError, iter_file, line_text, loads_strict
from .structs import Keep, TypedCheck, keys_intact, typed_checker
from .violations import Violation

if TYPE_CHECKING:
    from .contract import Contract

__all__ = [
    "BLOCK",
    "CAPTURE_SUFFIXES",
    "CHUNK_BYTES",
    "STDIN",
    "STDIN_NAME",
    "BulkValidator",
    "EventResult",
    "InputDone",
    "InputProblem",
    "Outcome",
    "PathCounts",
    "StreamResult",
    "Tally",
    "Verdict",
    "display_name",
    "lines_at",
    "printable",
    "split_lines",
    "validate_lines",
]
#: The reporters moved to :mod:`reports`; these names still resolve here, loaded when first asked for.
_REPORTS: Final = frozenset({"JUnitReporter", "JsonReporter", "Reporter", "TextReporter", "make_reporter", "summary_line"})

_ms: Any
try:  # msgspec is a speed-up only: without it every line takes the strict reader
    import msgspec as _ms
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    _ms = None

#: Read this many bytes of lines at a time (memory stays flat whatever the file size).
CHUNK_BYTES: Final = 1 << 17
#: Capture files a directory walk picks up (``*.cti.json`` and ``*.cti.jsonl`` included).
CAPTURE_SUFFIXES: Final = (".json", ".jsonl")
STDIN: Final = "-"
STDIN_NAME: Final = "<stdin>"


@dataclass
class PathCounts:
    """How many events each path decided (for the differential tests: fast paths that decide nothing prove nothing)."""

    typed: int = 0
    dict: int = 0
    engine: int = 0


@dataclass
class _Kept:
    """Readable events of one input, for the lifecycle rules (which need the whole stream).

    Kept as they are judged, which is not file order within a chunk: the fast paths keep the
    clean lines before the engine keeps the others. :meth:`seal` puts each chunk's back in order
    (``lines`` locates them, with the input's name). Documents are dicts, or the typed Structs the
    first path decoded (:class:`structs.TypedEvent`, read by the stream rules as the dicts they stand for).
    """

    lines: list[int] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)
    sealed: int = 0
    #: Some line was kept after a later one since the last seal (else the seal has nothing to sort).
    unordered: bool = False

    def extend(self, lines: Iterable[int], documents: Iterable[Any]) -> None:
        """Keep ``documents`` at ``lines`` (ascending, as every piece the paths keep is)."""
        at = len(self.lines)
        self.lines.extend(lines)
        if at > self.sealed and at < len(self.lines) and self.lines[at] < self.lines[at - 1]:
            self.unordered = True
        self.documents.extend(documents)

    def seal(self) -> None:
        """The documents kept since the last seal are complete (one chunk's): put them in file order."""
        start = self.sealed
        if self.unordered:
            order = sorted(range(start, len(self.lines)), key=self.lines.__getitem__)  # stable: items of one line keep theirs
            self.lines[start:] = [self.lines[i] for i in order]
            self.documents[start:] = [self.documents[i] for i in order]
            self.unordered = False
        self.sealed = len(self.lines)


class BulkValidator:
    """Validates inputs one event at a time (in effect) and keeps the tally.

    ``fast=False`` turns the compiled path off (every line through the strict reader and
    :meth:`Contract.validate`); the differential tests compare both.
    """

    def __init__(
        self,
        contract: Contract,
        *,
        kind: str = "auto",
        fail_on_warnings: bool = False,
        lifecycle: bool = False,
        fast: bool = True,
        progress: Callable[[Tally], None] | None = None,
    ) -> None:
        contract.schema("snapshot")  # fail early (ContractUsageError) on a bad kind/contract
        if kind != "auto":
            contract.schema(kind)
        self.contract = contract
        self.kind = kind
        self.fail_on_warnings = fail_on_warnings
        self.lifecycle = lifecycle
        self.tally = Tally()
        self.paths = PathCounts()
        self._clean: CleanCheck | None = clean_checker(contract, kind) if fast and _ms is not None else None
        # With --lifecycle the typed path keeps its Structs too: the stream rules read them as the dicts they stand for.
        self._typed: TypedCheck | None = typed_checker(contract, kind) if fast else None
        #: Struct classes whose events may be Snapshots for the stream rules: kept as dicts (messages quote their values)
        self._snapshot_structs = self._typed.snapshot_classes() if self._typed is not None else frozenset()
        self._kept: _Kept | None = None
        self._last_key_wins = DUPLICATE_KEY in contract.disabled
        self._progress = progress
        self._at_start = (0, 0, 0, 0)

    # -- inputs ---------------------------------------------------------------------------------
    def run(self, inputs: Sequence[str], *, stdin: IO[bytes] | None = None) -> Iterator[Outcome]:
        """Every outcome of every input, in order; ``-`` reads JSONL from ``stdin``."""
        for spec in inputs:
            if spec == STDIN:
                source = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
                if source is None:  # `snapshot-cti validate - <&-`: Python sets sys.stdin to None
                    self.tally.io_errors += 1
                    yield InputProblem(STDIN_NAME, "standard input is closed: there is nothing to read")
                    continue
                yield from self.validate_stream(source, STDIN_NAME)
            elif os.path.isdir(spec):
                yield from self._directory(spec)
            else:
                yield from self.validate_path(spec)

    def _directory(self, root: str) -> Iterator[Outcome]:
        """Capture files under ``root`` in sorted path order; unreadable directories are problems."""
        problems: list[OSError] = []
        found: list[str] = []
        for directory, subdirs, files in os.walk(root, onerror=problems.append):
            subdirs.sort()
            found.extend(os.path.join(directory, name) for name in files if name.endswith(CAPTURE_SUFFIXES))
        for problem in problems:
            self.tally.io_errors += 1
            yield InputProblem(display_name(problem.filename or root), f"cannot read directory: {problem.strerror or problem}")
        if not found and not problems:
            self.tally.io_errors += 1
            yield InputProblem(display_name(root), "no capture files (*.json, *.jsonl, *.cti.json, *.cti.jsonl) in this directory")
        for path in sorted(found):
            yield from self.validate_path(path)

    def validate_path(self, path: str) -> Iterator[Outcome]:
        """One file: JSONL by extension (``.jsonl``, ``.ndjson``), else one JSON document or array."""
        from .reader import is_jsonl

        name = display_name(path)
        try:
            if is_jsonl(path):
                with open(path, "rb") as stream:
                    yield from self.validate_stream(stream, name)
                return
            self.tally.files += 1
            self._start_input()
            items = iter_file(path, display=name, disabled=self.contract.disabled)
            for item in items:
                self.paths.engine += 1
                if item.error is not None:
                    yield from self._judge_unreadable(item.location, item.error)
                else:
                    yield from self._judge(item.location, item.document, item.line)
            if self.tally.events == self._at_start[0] and _blank_file(path):  # `[]` holds no events, but says so itself
                yield from self._note_if_empty(name)
            yield from self._finish_input(name)
        except OSError as err:
            self.tally.io_errors += 1
            yield InputProblem(name, f"cannot read file: {err.strerror or err}")

    def validate_stream(self, stream: IO[bytes], name: str) -> Iterator[Outcome]:
        """JSONL from a binary stream, read in chunks of whole lines (never the whole stream)."""
        self.tally.files += 1
        self._start_input()
        number = 0
        with _collector_paused(self.lifecycle):
            try:
                for blob in _chunks(stream):
                    number += yield from self._chunk(blob, name, number)
                    if self._progress is not None:
                        self._progress(self.tally)
            except OSError as err:
                self.tally.io_errors += 1
                yield InputProblem(f"{name}:{number + 1}", f"read error, the rest of this input was not validated: {err.strerror or err}")
            else:
                yield from self._note_if_empty(name)
            yield from self._finish_input(name)

    def _note_if_empty(self, name: str) -> Iterator[Outcome]:
        """An input without events (empty, or blank lines only) is a note, ``.json`` and ``.jsonl`` alike: exit code unaffected."""
        if self.tally.events == self._at_start[0]:
            yield InputProblem(name, "empty input: no events", is_error=False)

    # -- the fast path ----------------------------------------------------------------------------
    def _chunk(self, blob: bytes, name: str, before: int) -> Generator[Outcome, None, int]:
        """Every outcome of a chunk of whole lines; returns how many lines it held."""
        self.tally.bytes_read += len(blob)
        if self._typed is None and self._clean is None:
            lines = split_lines(blob)
            for offset, raw in enumerate(lines):
                yield from self._line(raw, name, before + offset + 1)
            return len(lines)
        # The fast part allocates only acyclic objects (decoded documents), all freed by reference
        # counting when it returns: the cyclic collector would only walk them, so it pauses meanwhile.
        collecting = gc.isenabled()
        gc.disable()
        try:
            count, engine = self._fast(blob, before)
        finally:
            if collecting:
                gc.enable()
        for offset, raw in engine.items():
            yield from self._line(raw, name, before + offset + 1, plain=False)
        if self._kept is not None:
            self._kept.seal()
        return count

    def _fast(self, blob: bytes, before: int) -> tuple[int, dict[int, bytes]]:
        """(lines in the chunk, the lines for the engine by offset, in order).

        Typed decoding first (:mod:`structs`), straight from the chunk's bytes; the lines it cannot
        vouch for are parsed into dicts and checked by the compiled validator. Only those lines
        are cut out of the chunk.
        """
        if self._typed is not None:
            typed = self._typed.sort(blob, None if self._kept is None else self._keeper(blob, before))
            self._count_clean(typed.clean)
            self.paths.typed += typed.clean
            if not typed.undecided and not typed.engine:
                return typed.lines, {}
        if self._typed is None or len(typed.undecided) == typed.lines:  # the typed path decided none of it (a vendor's keys)
            lines = split_lines(blob)
            return len(lines), {offset: lines[offset] for offset in self._dicts(lines, blob, before)}
        rest = typed.undecided
        wanted = lines_at(blob, sorted(typed.engine + rest))
        engine = typed.engine + [rest[offset] for offset in self._dicts([wanted[i] for i in rest], None, before, rest)]
        return typed.lines, {offset: wanted[offset] for offset in sorted(engine)}

    def _count_clean(self, clean: int) -> None:
        self.tally.events += clean
        self.tally.valid += clean

    def _dicts(self, lines: list[bytes], blob: bytes | None, before: int, at: Sequence[int] | None = None) -> list[int]:
        """The dict path: decoded documents, compiled check; offsets (in ``lines``) of the lines it cannot pass.

        ``before`` and ``at`` (each of ``lines``' offset in the chunk, when they are not the whole chunk)
        locate the lines kept for the lifecycle rules.
        """
        if self._clean is None:
            return list(range(len(lines)))
        docs = self._parse_plain(lines, blob)
        if docs is not None:
            return self._batch(range(len(lines)), docs, before, at)
        # some line the decoder cannot vouch for: batch the others, send those to the engine
        plain, docs, engine = self._sort_lines(lines)
        engine.extend(self._batch(plain, docs, before, at))
        engine.sort()
        return engine

    def _batch(self, offsets: Sequence[int], docs: list[Any], before: int, at: Sequence[int] | None = None) -> list[int]:
        """Count the clean documents as valid; return the offsets of the others (for the engine)."""
        assert self._clean is not None
        bad = self._clean.failing(docs)
        self._count_clean(len(docs) - len(bad))
        self.paths.dict += len(docs) - len(bad)
        if self._kept is not None:
            skip = set(bad)
            where = offsets if at is None else [at[offset] for offset in offsets]
            self._kept.extend(
                (before + where[index] + 1 for index in range(len(docs)) if index not in skip),
                (doc for index, doc in enumerate(docs) if index not in skip),
            )
        return [offsets[index] for index in bad]

    def _keeper(self, blob: bytes, before: int) -> Keep:
        """What keeps the typed path's clean documents for the stream rules (``before``: lines of earlier chunks).

        The Structs themselves are kept (the rules read them as the dicts they stand for), except a
        Snapshot answering a logout with lines left: rule L5 quotes its pyLines, so the dict is kept,
        decoded again from its line (which has no escapes), its keys in the line's order.
        """
        assert self._kept is not None
        assert _ms is not None
        kept, snapshots, decode = self._kept, self._snapshot_structs, _ms.json.decode

        def keep(first: int, documents: list[Any], not_clean: list[int], start: int) -> None:
            number = before + first + 1
            quoted = (
                [i for i, d in enumerate(documents) if type(d) in snapshots and _quoted_by_l5(d)]
                if snapshots and not snapshots.isdisjoint(map(type, documents))
                else []
            )
            if not not_clean and not quoted:
                kept.extend(range(number, number + len(documents)), documents)
                return
            skip = set(not_clean)
            if quoted:
                documents = list(documents)
                lines = lines_at(blob[start:], quoted)
                for offset in quoted:
                    documents[offset] = decode(lines[offset])
            kept.extend(
                (number + offset for offset in range(len(documents)) if offset not in skip),
                (document for offset, document in enumerate(documents) if offset not in skip),
            )

        return keep

    def _parse_plain(self, lines: list[bytes], blob: bytes | None = None) -> list[Any] | None:
        """The chunk's documents when every line is plain JSON with no duplicate key, else None.

        ``blob`` is ``b"".join(lines)`` when the caller has it already.
        """
        assert _ms is not None
        if blob is None:
            blob = b"".join(lines)
        if b"\\" in blob or (max(map(len, lines), default=0) > _SURELY_SHALLOW and not all(map(_shallow, lines))):
            return None
        try:
            docs = list(map(_ms.json.decode, lines))
        except Exception:  # malformed, out of range, too deep, bad UTF-8: the strict reader says which
            return None
        return docs if keys_intact(blob, docs) else None

    def _sort_lines(self, lines: list[bytes]) -> tuple[list[int], list[Any], list[int]]:
        """Line by line: (offsets of plain lines, their documents, offsets for the strict reader)."""
        assert _ms is not None
        loads = _ms.json.decode
        plain: list[int] = []
        docs: list[Any] = []
        strict: list[int] = []
        for offset, raw in enumerate(lines):
            if b"\\" not in raw and _shallow(raw):
                try:
                    doc = loads(raw)
                except Exception:  # the strict reader says what is wrong
                    pass
                else:
                    if keys_intact(raw, doc):
                        plain.append(offset)
                        docs.append(doc)
                        continue
            strict.append(offset)
        return plain, docs, strict

    def _line(self, raw: bytes, name: str, number: int, *, plain: bool = True) -> Iterator[Outcome]:
        if not raw.strip(BLANK_BYTES):
            return  # blank lines (and a bare CRLF) are not events, as in reader.iter_jsonl
        location = f"{name}:{number}"
        if plain and self._clean is not None:
            docs = self._parse_plain([raw])
            if docs is not None and not self._clean.failing(docs):
                self.tally.events += 1
                self.tally.valid += 1
                self.paths.dict += 1
                if self._kept is not None:
                    self._keep(number, docs[0])
                return
        yield from self._strict(raw, location, number)

    # -- the engine path (every message comes from here) --------------------------------------------
    def _strict(self, raw: bytes, location: str, number: int) -> Iterator[Outcome]:
        """Exactly what reader.iter_jsonl + Contract.validate say about one line."""
        self.paths.engine += 1
        try:
            document = loads_strict(line_text(raw), multiline=False, last_key_wins=self._last_key_wins)
        except ReadError as err:
            yield from self._judge_unreadable(location, err.violation(location))
            return
        yield from self._judge(location, document, number)

    def _judge_unreadable(self, location: str, error: Violation) -> Iterator[Outcome]:
        """A line no value could be read from; with its json.* rule disabled, a finding not made (valid, as for the engine)."""
        self.tally.events += 1
        found = tuple(v.at(location) for v in self.contract._keep([error]))
        if not found:
            self.tally.valid += 1
            return
        self.tally.unreadable += 1
        yield EventResult(location, "unreadable", found)

    def _judge(self, location: str, document: Any, line: int) -> Iterator[Outcome]:
        found = [v.at(location) for v in self.contract.validate_value(document, kind=self.kind)]
        self.tally.events += 1
        errors = sum(1 for v in found if v.is_error)
        warnings = len(found) - errors
        self.tally.warnings += warnings
        if errors or (warnings and self.fail_on_warnings):
            self.tally.invalid += 1
            verdict: Verdict = "invalid"
        else:
            self.tally.valid += 1
            verdict = "valid"
        if self._kept is not None and isinstance(document, dict):
            self._keep(line, document)
        if found:
            yield EventResult(location, verdict, tuple(found))

    # -- lifecycle (needs each input's events in order) ---------------------------------------------
    def _start_input(self) -> None:
        self._kept = _Kept() if self.lifecycle else None
        t = self.tally
        self._at_start = (t.events, t.valid, t.invalid, t.unreadable)

    def _keep(self, line: int, document: Any) -> None:
        assert self._kept is not None
        self._kept.extend((line,), (document,))

    def _finish_input(self, name: str) -> Iterator[Outcome]:
        kept, self._kept = self._kept, None
        if kept is not None and kept.documents:
            yield from self._lifecycle(name, kept)
        t, s = self.tally, self._at_start
        yield InputDone(name, t.events - s[0], t.valid - s[1], t.invalid - s[2], t.unreadable - s[3])

    def _lifecycle(self, name: str, kept: _Kept) -> Iterator[Outcome]:
        from .lifecycle import split_streams, stream_findings

        lines, documents = kept.lines, kept.documents
        collecting = gc.isenabled()
        gc.disable()  # a million findings, none in a cycle: the collector would only walk them
        try:
            streams = []
            for key, indexes in split_streams(documents).items():
                whole = len(indexes) == len(documents)  # one stream: its indexes are 0, 1, 2, …
                events = documents if whole else [documents[i] for i in indexes]
                findings = stream_findings(
                    events,
                    severity=self.contract.severity,
                    locate=_locator(name, lines, None if whole else indexes),
                    end=f"{name}: end of stream",
                )
                streams.append((key, self.contract._keep(findings)))
        finally:
            if collecting:
                gc.enable()
        for key, found in streams:
            if found:
                errors = list(map(_SEVERITY, found)).count("error")
                self.tally.lifecycle_errors += errors
                self.tally.lifecycle_warnings += len(found) - errors
                label = f"{name} (stream {printable(key)})" if key else name
                yield StreamResult(label, tuple(found))


@contextlib.contextmanager
def _collector_paused(pause: bool) -> Iterator[None]:
    """The cyclic collector off while an input's events are kept (``--lifecycle``), back as it was after.

    Kept documents are parsed JSON, acyclic, freed by reference counting: with a million of them kept,
    every full collection would walk them all again, for nothing.
    """
    collecting = pause and gc.isenabled()
    if collecting:
        gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


_SEVERITY: Final = operator.attrgetter("severity")


def _blank_file(path: str) -> bool:
    """True when the file holds nothing but JSON whitespace (read in pieces: it may be large)."""
    with open(path, "rb") as stream:
        return all(not piece.strip(BLANK_BYTES) for piece in iter(lambda: stream.read(CHUNK_BYTES), b""))


def _quoted_by_l5(snapshot: Any) -> bool:
    """A typed Snapshot whose pyLines rule L5 may quote: it says pyAgentState 'Logout' and has lines."""
    return getattr(snapshot, "pyAgentState", None) == "Logout" and bool(snapshot.get("pyLines"))


def _locator(name: str, lines: list[int], indexes: list[int] | None) -> Callable[[int], str]:
    """``name:line`` of a stream's event, written only when a finding is about it."""
    if indexes is None:
        return lambda index: f"{name}:{lines[index]}"
    return lambda index: f"{name}:{lines[indexes[index]]}"


def display_name(path: str) -> str:
    """``path`` as every output can print it: a name's undecodable bytes as ``\\xff``, control characters escaped.

    File names are bytes; Python hands over the ones that are not UTF-8 with lone surrogates,
    which a UTF-8 terminal, a JSON report or JUnit XML cannot hold.
    """
    if path.isprintable():
        return path
    with contextlib.suppress(UnicodeEncodeError):  # a surrogate no file name decodes to: escaped below
        path = os.fsencode(path).decode("utf-8", "backslashreplace")
    return printable(path)


def printable(text: str) -> str:
    """``text`` with what is not printable escaped (``\\n``, ``\\x1b``, ``\\ud800``): values from events,
    such as a stream's ``pyThisDN``, end up in labels that a terminal, JSON and XML must hold."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream in pieces of about CHUNK_BYTES that end at a line end (or at the end of input)."""
    pending: list[bytes] = []  # a line longer than a chunk, read so far
    while True:
        data = stream.read(CHUNK_BYTES)
        if not data:
            break
        cut = data.rfind(b"\n") + 1
        if not cut:
            pending.append(data)
            continue
        yield b"".join((*pending, data[:cut])) if pending else data[:cut]
        pending = [data[cut:]] if cut < len(data) else []
    if pending:
        yield b"".join(pending)


def split_lines(blob: bytes) -> list[bytes]:
    """``blob``'s lines as a file iterator gives them: split after each newline only."""
    lines = [line + b"\n" for line in blob.split(b"\n")]
    last = lines.pop()
    if last != b"\n":
        lines.append(last[:-1])
    return lines


def lines_at(blob: bytes, offsets: Iterable[int]) -> dict[int, bytes]:
    """The lines of ``blob`` at ``offsets`` (ascending, counted from 0), as :func:`split_lines` cuts them."""
    found: dict[int, bytes] = {}
    line = start = 0
    for offset in offsets:
        while line < offset:
            start = blob.find(b"\n", start) + 1
            line += 1
        found[offset] = blob[start : blob.find(b"\n", start) + 1 or len(blob)]
    return found


#: A line this short cannot nest more than MAX_DEPTH levels (each level takes two bytes).
_SURELY_SHALLOW: Final = 2 * MAX_DEPTH + 1


def _shallow(raw: bytes) -> bool:
    """True when ``raw`` surely nests no deeper than the strict reader allows (else it decides)."""
    return len(raw) <= _SURELY_SHALLOW or raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH


def validate_lines(contract: Contract, lines: Iterable[bytes], *, kind: str = "auto", fast: bool = True) -> list[EventResult]:
    """Convenience for tests and notebooks: the non-silent results for JSONL ``lines``."""
    import io

    validator = BulkValidator(contract, kind=kind, fast=fast)
    stream = io.BytesIO(b"".join(line if line.endswith(b"\n") else line + b"\n" for line in lines))
    return [o for o in validator.validate_stream(stream, "<lines>") if isinstance(o, EventResult)]


def __getattr__(name: str) -> Any:
    if name in _REPORTS:
        from . import reports

        return getattr(reports, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
