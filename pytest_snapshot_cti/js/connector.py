"""JsConnector: a team's JavaScript OpenCTI implementation, driven from Python.

The files load into a fresh ``vm`` context of a Node host (stubs first, then the connector),
the implementation is constructed once (``new pega.cti.desktopApi.acme()``), and then:
``call`` invokes one of its methods the way Pega Call does (arguments, then ``success``,
``failure`` and, for ``login``, ``forwardEvent``), ``emit`` makes the vendor side act,
``advance`` moves the fake clock. Every forwarded event reaches ``forward_event`` in order,
as the JSON text ``JSON.stringify`` wrote; what JSON cannot carry is a ``json.not_serializable``
finding at its path. The methods are thin on purpose: a conformance ``Driver`` is one line each.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Union

from ..error_objects import answered_twice, check_error_object, from_host
from ..violations import Violation, json_path
from .bridge import JsHost
from .errors import JsError, JsLoadError, JsTimeoutError, OpenCTIFailure

if TYPE_CHECKING:
    from ..recorder import EventRecorder

PathLike = Union[str, "os.PathLike[str]"]

#: Seconds a request may take: the connector's own clock for ``success``/``failure``, and real time for its code.
DEFAULT_TIMEOUT: Final = 5.0


@dataclass(frozen=True)
class ConsoleMessage:
    """One ``console.*`` call of the connector: ``level`` (``log``, ``error``…), the text, and where it came from."""

    level: str
    text: str
    where: str | None = None
    stack: str = ""

    def __str__(self) -> str:
        return f"console.{self.level}: {self.text}" + (f" ({self.where})" if self.where else "")


class JsConnector:
    """One JavaScript connector in a Node host.

    ``files`` (one path or several, loaded in order after ``stubs``) are read relative to
    ``base_dir`` (default: the working directory). ``implementation`` is the dotted name of
    the constructor (``"pega.cti.desktopApi.acme"``); leave it out when the files register
    exactly one under ``pega.cti.desktopApi``. ``forward_event`` receives each forwarded
    event as JSON text; by default a new :class:`~pytest_snapshot_cti.EventRecorder`
    (``.recorder``) does, and checks it. ``timeout`` is the default of every request.
    Pass ``host=`` to share one Node process between connectors.
    """

    def __init__(
        self,
        files: PathLike | Sequence[PathLike],
        *,
        implementation: str | None = None,
        stubs: PathLike | Sequence[PathLike] = (),
        forward_event: Callable[[Any], object] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        base_dir: PathLike | None = None,
        host: JsHost | None = None,
        node: str | None = None,
        seed: int = 0,
    ) -> None:
        __tracebackhide__ = True
        if forward_event is None:
            from ..recorder import EventRecorder

            forward_event = EventRecorder()
        self.forward_event = forward_event
        self.timeout = _positive(timeout, "timeout")
        self.console: list[ConsoleMessage] = []
        self._findings: list[Violation] = []
        self._forwarded = 0
        self._base = Path(base_dir) if base_dir is not None else Path.cwd()
        loaded = [*self._resolve(stubs), *self._resolve(files)]
        if not any(True for _ in _as_list(files)):
            raise JsLoadError("no connector file given")
        self._owns_host = host is None
        self.host = host if host is not None else JsHost(node)
        self._context = self.host.new_context(self)
        self._closed = False
        from ..recorder import EventRecorder

        self._recorder = forward_event if isinstance(forward_event, EventRecorder) else None
        if self._recorder is not None:
            self._recorder.attach(self.findings)
        try:
            reply = self.host.request(
                "open",
                {"ctx": self._context, "files": loaded, "implementation": implementation, "seed": int(seed) & 0xFFFFFFFF},
                timeout=self.timeout,
                describe=lambda: f"loading {', '.join(shown for _, shown in loaded)}",
            )
        except BaseException:
            self.close()
            raise
        if not reply.get("ok"):
            self.close()
            raise self._load_error(reply)
        self.implementation: str = str(reply["implementation"])
        self.methods: tuple[str, ...] = tuple(reply.get("methods", ()))
        self._raise_uncaught(reply, f"new {self.implementation}()")

    # -- files --------------------------------------------------------------------------------
    def _resolve(self, paths: PathLike | Sequence[PathLike]) -> list[list[str]]:
        resolved = []
        for given in _as_list(paths):
            path = Path(given)
            full = path if path.is_absolute() else self._base / path
            try:
                shown = full.resolve().relative_to(self._base.resolve()).as_posix()
            except ValueError:
                shown = os.fspath(given)
            if not full.is_file():
                where = "" if path.is_absolute() else f" (relative paths are read from {self._base})"
                raise JsLoadError(f"{shown}: no such file{where}")
            resolved.append([str(full.resolve()), shown])
        return resolved

    @staticmethod
    def _load_error(reply: Mapping[str, Any]) -> Exception:
        if reply.get("kind") == "thrown":
            data = reply.get("error") or {}
            file = reply.get("file")
            return JsError.from_host(f"loading {file}" if file else "constructing the implementation", data)
        if reply.get("kind") == "timeout":
            return JsTimeoutError(f"{reply.get('message')} (an endless loop?)")
        return JsLoadError(str(reply.get("message")))

    # -- where forwarded events go -----------------------------------------------------------
    @property
    def recorder(self) -> EventRecorder | None:
        """``forward_event`` when it is an :class:`~pytest_snapshot_cti.EventRecorder` (login and logout are reported to it)."""
        return self._recorder

    def on_event(self, text: bytes, problems: list[Any] | None) -> None:
        """An event from the host: JSON text, and what JSON could not carry (``[path, message, hint]``)."""
        self._forwarded += 1
        if problems is None and self._recorder is not None:
            self._recorder(text)  # the common case, kept short: it runs once per event
            return
        found = [
            Violation("json.not_serializable", "error", json_path(p[0]), str(p[1]), p[2] if len(p) > 2 else None) for p in problems or ()
        ]
        recorder = self.recorder
        if recorder is not None:
            if found:
                recorder.record_json(text, found)
            else:
                recorder(text)
            return
        self._findings.extend(v.at(f"forwarded event #{self._forwarded}") for v in found)
        self.forward_event(text.decode("utf-8"))

    def on_message(self, message: Mapping[str, Any]) -> None:
        kind = message.get("t")
        if kind == "console":
            line = ConsoleMessage(
                str(message.get("level")), str(message.get("text")), message.get("where"), str(message.get("stack") or "")
            )
            self.console.append(line)
            stream = sys.stderr if line.level in ("error", "warn", "trace") else sys.stdout
            print(f"[{self.implementation_name}] {line}", file=stream)
        elif kind == "late":
            name = str(message.get("name"))
            answer = message.get("answer") or {}
            if answer.get("kind") == "failure":
                self._check_error(name, answer.get("error") or {})
            self._findings.append(answered_twice(name, message.get("first"), str(answer.get("kind")), location=f"{name}()"))

    @property
    def pid(self) -> int:
        """The process id of the Node host running this connector."""
        return self.host.pid

    @property
    def implementation_name(self) -> str:
        return getattr(self, "implementation", "connector")

    # -- findings -------------------------------------------------------------------------------
    def findings(self) -> list[Violation]:
        """What this connector did wrong beyond its events: error objects (F1–F5), ``console.error`` (``js.console_error``).

        A connector forwarding to an :class:`~pytest_snapshot_cti.EventRecorder` reports them
        through it, at the end of the test; clear :attr:`console` to accept the errors logged so far.
        """
        console = [
            Violation("js.console_error", "error", "console.error", line.text, _frames(line.stack), line.where or self.implementation_name)
            for line in self.console
            if line.level == "error"
        ]
        return [*self._findings, *console]

    def _check_error(self, name: str, description: Mapping[str, Any]) -> None:
        self._findings.extend(check_error_object(from_host(description), location=f"failure of {name}()"))

    # -- driving --------------------------------------------------------------------------------
    def call(self, name: str, *args: Any, timeout: float | None = None) -> Any:
        """Call the implementation's method ``name`` with ``args``, then ``success, failure`` (and ``forwardEvent`` for ``login``).

        Returns what ``success`` got (its first argument); raises :class:`OpenCTIFailure` on
        ``failure``, :class:`JsTimeoutError` when neither comes within ``timeout`` seconds of
        the connector's clock (which runs on while the call waits, so a vendor stub may answer
        after its latency), :class:`JsError` for an exception the connector did not catch.
        """
        __tracebackhide__ = True
        wait = self.timeout if timeout is None else _positive(timeout, "timeout")
        what = f"{name}()"
        reply = self._request(
            "call",
            {"name": name, "args": _arguments(what, args), "forward": name == "login", "wait": round(wait * 1000)},
            wait,
            what,
        )
        answer = reply.get("answer")
        if answer is not None and answer.get("kind") == "failure":
            self._check_error(name, answer.get("error") or {})
        self._raise_problems(reply, what, wait)
        if answer is None:
            raise JsTimeoutError(
                f"{what} called neither success nor failure within {wait:g} s (the connector's clock ran on {reply.get('waited', 0):g} s)"
            )
        if answer.get("kind") == "failure":
            description = answer.get("error") or {}
            error = from_host(description)
            payload = json.loads(description["json"]) if description.get("json") else None
            fields = payload if isinstance(payload, dict) else {}
            malformed = None if error.code is not None and error.message is not None else (error.text or "no argument")
            raise OpenCTIFailure(name, fields.get("errCode"), fields.get("errMessage"), payload, malformed=malformed)
        self._tell_recorder(name, args)
        return answer.get("value")

    def emit(self, path: str, *args: Any, timeout: float | None = None) -> Any:
        """Call the function at the dotted ``path`` of the connector's global scope (the vendor side acting); returns its result.

        A returned promise is awaited when it settles within the call (promise jobs run before it returns).
        """
        __tracebackhide__ = True
        wait = self.timeout if timeout is None else _positive(timeout, "timeout")
        what = f"{path}()"
        reply = self._request("emit", {"path": path, "args": _arguments(what, args)}, wait, what)
        self._raise_problems(reply, what, wait)
        return reply.get("value")

    def advance(self, seconds: float, *, timeout: float | None = None) -> None:
        """Move the fake clock ``seconds`` on, running each timer that falls due, in order (no sleeping)."""
        __tracebackhide__ = True
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not seconds >= 0 or seconds == float("inf"):
            raise ValueError(f"advance(seconds): seconds must be a finite number >= 0, got {seconds!r}")
        wait = self.timeout if timeout is None else _positive(timeout, "timeout")
        what = f"advance({seconds:g})"
        reply = self._request("advance", {"ms": seconds * 1000}, wait, what)
        self._raise_problems(reply, what, wait)

    def get(self, path: str) -> Any:
        """The value at the dotted ``path`` of the connector's global scope, as JSON carries it (for assertions on stubs)."""
        __tracebackhide__ = True
        return self._request("get", {"path": path}, self.timeout, f"get({path!r})").get("value")

    def _request(self, op: str, payload: dict[str, Any], wait: float, what: str) -> dict[str, Any]:
        __tracebackhide__ = True
        if self._closed:
            raise RuntimeError(f"{what}: this JsConnector is closed")
        reply = self.host.request(op, {**payload, "ctx": self._context}, timeout=wait, describe=lambda: what)
        if not reply.get("ok"):
            if reply.get("kind") == "usage":
                raise AttributeError(f"{what}: {reply.get('message')}")
            raise RuntimeError(f"{what}: the Node host failed: {reply.get('message')}")
        return reply

    def _raise_problems(self, reply: Mapping[str, Any], what: str, wait: float) -> None:
        __tracebackhide__ = True
        if reply.get("timedOut"):
            raise JsTimeoutError(
                f"{what} did not return within {wait:g} s: the connector's code was still running and was stopped (an endless loop?)"
            )
        if reply.get("runaway"):
            raise JsTimeoutError(
                f"{what}: timers kept re-arming at the same instant, so the clock could not move (a timer that schedules itself with delay 0?)"
            )
        thrown = reply.get("threw")
        uncaught = [JsError.from_host(f"uncaught during {what}", data) for data in reply.get("uncaught") or ()]
        if thrown:
            raise JsError.from_host(f"{what} threw", thrown, more=uncaught)
        if uncaught:
            raise JsError(
                uncaught[0].context, uncaught[0].name, uncaught[0].js_message, uncaught[0].stack, uncaught[0].where, more=uncaught[1:]
            )

    def _raise_uncaught(self, reply: Mapping[str, Any], what: str) -> None:
        __tracebackhide__ = True
        self._raise_problems({"uncaught": reply.get("uncaught")}, what, self.timeout)

    def _tell_recorder(self, name: str, args: Sequence[Any]) -> None:
        """A successful login or logout is what the recorder's lifecycle rules (L1, L2, L4, L5) need to know."""
        recorder = self.recorder
        if recorder is None:
            return
        if name == "login":
            agent = args[0] if args else None
            extension = args[2] if len(args) > 2 else None
            recorder.expect_login(
                agent_id=None if agent in (None, "") else str(agent), extension=None if extension in (None, "") else str(extension)
            )
        elif name == "logout":
            recorder.expect_logout()

    # -- lifetime -------------------------------------------------------------------------------
    def close(self) -> None:
        """Drop the connector's context (and stop the Node host when this connector started it)."""
        if getattr(self, "_closed", True):
            return
        self._closed = True
        self.host.drop_context(self._context)
        if self._owns_host:
            self.host.close()
        elif self.host.alive:
            with contextlib.suppress(Exception):  # the host is being torn down anyway
                self.host.request("dispose", {"ctx": self._context}, timeout=self.timeout, describe=lambda: "closing the connector")

    def __enter__(self) -> JsConnector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<JsConnector {self.implementation_name} ({len(self.methods) if hasattr(self, 'methods') else 0} methods)>"


def _as_list(paths: PathLike | Sequence[PathLike]) -> list[PathLike]:
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    return list(paths)


def _positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def _arguments(what: str, args: Iterable[Any]) -> str:
    try:
        return json.dumps(list(args), allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as err:
        raise TypeError(f"{what}: the arguments must be JSON values to reach JavaScript: {err}") from None


def _frames(stack: str) -> str | None:
    """The call chain of a console call, innermost first, when there is more than its own line."""
    frames = [line.strip() for line in stack.splitlines() if line.strip()]
    return " ← ".join(frames) if len(frames) > 1 else None
