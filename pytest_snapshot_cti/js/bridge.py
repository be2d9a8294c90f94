"""JsHost: one Node process running ``host.js``, and the line protocol to it.

Requests go to the host's stdin, one JSON object a line; everything the host writes comes
back on its stdout in order: events (``E<ctx> <json>``, passed on untouched), console
output, late callbacks, then the reply. A reader thread only splits the pipe into lines,
so a connector that never returns is noticed: the host cuts it off after the timeout
(V8 interrupts the loop) and, should the host itself hang, Python kills it a little later.
The process never outlives its owner: :meth:`close`, garbage collection, interpreter exit,
and, when Python dies first, the host's own stdin closing all end it.
"""

from __future__ import annotations

import collections
import contextlib
import json
import queue
import subprocess
import threading
import weakref
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final, Protocol

from .errors import JsHostError, JsTimeoutError
from .node import find_node

#: Extra seconds Python waits past a request's timeout before it stops a host that did not answer.
GRACE_SECONDS: Final = 5.0


def host_script() -> Path:
    """The path of the Node host shipped in the package."""
    return Path(str(resources.files("pytest_snapshot_cti") / "js" / "host.js"))


class ContextSink(Protocol):
    """Where a context's output goes (a :class:`~pytest_snapshot_cti.js.JsConnector`)."""

    def on_event(self, text: bytes, problems: list[Any] | None) -> None: ...

    def on_message(self, message: Mapping[str, Any]) -> None: ...


class JsHost:
    """A Node process that hosts JavaScript connectors, one ``vm`` context each.

    Share one across connectors (``JsConnector(..., host=host)``) to pay Node's start-up
    once; use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, node: str | None = None) -> None:
        self.node = find_node(node)
        self._process = subprocess.Popen(
            [self.node, str(host_script())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.pid = self._process.pid
        self._lines: queue.SimpleQueue[list[bytes] | None] = queue.SimpleQueue()
        self._backlog: collections.deque[bytes] = collections.deque()
        self._stderr: collections.deque[bytes] = collections.deque(maxlen=50)
        self._sinks: dict[int, ContextSink] = {}
        self._next_id = 0
        self._next_context = 0
        self._dead: str | None = None
        self._lock = threading.Lock()
        threading.Thread(target=_read_lines, args=(self._process.stdout, self._lines.put), daemon=True, name="cti-js-stdout").start()
        threading.Thread(target=_keep_tail, args=(self._process.stderr, self._stderr), daemon=True, name="cti-js-stderr").start()
        self._finalizer = weakref.finalize(self, _stop, self._process)

    # -- lifetime -----------------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        return self._dead is None and self._process.poll() is None

    def close(self) -> None:
        """Stop the Node process (idempotent)."""
        if self._dead is None:
            self._dead = "the Node host was closed"
        self._finalizer()

    def __enter__(self) -> JsHost:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self.alive else "stopped"
        return f"<JsHost pid={self.pid} {state}>"

    # -- contexts -----------------------------------------------------------------------------
    def new_context(self, sink: ContextSink) -> int:
        self._next_context += 1
        self._sinks[self._next_context] = sink
        return self._next_context

    def drop_context(self, context: int) -> None:
        self._sinks.pop(context, None)

    # -- requests -----------------------------------------------------------------------------
    def request(self, op: str, payload: Mapping[str, Any], *, timeout: float, describe: Callable[[], str]) -> dict[str, Any]:
        """Send one operation and return its reply, routing everything before it to its context.

        ``describe`` names the operation for a timeout message (``login()``).
        """
        with self._lock:
            if self._dead is not None:
                raise JsHostError(f"{self._dead}; start a new connector")
            self._next_id += 1
            number = self._next_id
            line = json.dumps({**payload, "op": op, "id": number, "timeout": max(1, round(timeout * 1000))}, separators=(",", ":"))
            try:
                assert self._process.stdin is not None
                self._process.stdin.write(line.encode("utf-8") + b"\n")
                self._process.stdin.flush()
            except OSError:
                raise self._gone() from None
            return self._await_reply(number, timeout + GRACE_SECONDS, describe)

    def _await_reply(self, number: int, wait: float, describe: Callable[[], str]) -> dict[str, Any]:
        import time

        deadline = time.monotonic() + wait
        sinks = self._sinks
        lines: list[bytes] = list(self._backlog)
        self._backlog.clear()
        while True:
            for at, line in enumerate(lines):
                if line[:1] == b"E":  # an event: the hot path
                    space = line.index(b" ", 1)
                    sink = sinks.get(int(line[1:space]))
                    if sink is not None:
                        sink.on_event(line[space + 1 :], None)
                    continue
                message = json.loads(line)
                kind = message.get("t")
                if kind == "reply":
                    if message.get("id") == number:
                        self._backlog.extend(lines[at + 1 :])
                        return dict(message)
                    continue  # a reply to a request abandoned earlier
                sink = sinks.get(message.get("ctx", 0))
                if sink is None:
                    continue
                if kind == "event":
                    sink.on_event(str(message.get("json", "null")).encode("utf-8"), list(message.get("problems") or []))
                else:
                    sink.on_message(message)
            left = deadline - time.monotonic()
            try:
                chunk = self._lines.get(timeout=left) if left > 0 else self._lines.get_nowait()
            except queue.Empty:
                self._dead = f"the Node host was stopped: {describe()} did not return in time"
                self._finalizer()
                raise JsTimeoutError(
                    f"{describe()} did not return within {wait - GRACE_SECONDS:g} s (the Node host did not answer and was stopped)"
                ) from None
            if chunk is None:
                raise self._gone()
            lines = chunk

    def _gone(self) -> JsHostError:
        code = self._process.poll()
        if code is None:
            try:
                code = self._process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                code = None
        self._dead = self._dead or f"the Node host exited (code {code})"
        self._finalizer()
        tail = b"".join(self._stderr).decode("utf-8", "replace").strip()
        return JsHostError(self._dead + (f":\n{tail}" if tail else ""))


def _read_lines(stream: Any, put: Callable[[list[bytes] | None], None]) -> None:
    """Split the host's stdout into lines, a batch per read; ``None`` at the end."""
    rest = b""
    try:
        while True:
            chunk = stream.read1(1 << 16)
            if not chunk:
                break
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            if lines:
                put(lines)
    except (OSError, ValueError):
        pass
    finally:
        _close(stream)
    put(None)


def _keep_tail(stream: Any, tail: collections.deque[bytes]) -> None:
    try:
        for line in stream:
            tail.append(line)
    except (OSError, ValueError):
        pass
    finally:
        _close(stream)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the host and reap it; safe to call twice."""
    if process.poll() is None:
        with contextlib.suppress(OSError):
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
    _close(process.stdin)


def _close(stream: Any) -> None:
    try:
        if stream is not None:
            stream.close()
    except (OSError, ValueError):
        pass
