"""Room to check a deep event: a verdict that depends on the event's depth, never on the caller's stack.

Why: the reader refuses nesting past :data:`reader.MAX_DEPTH` whatever the stack, but a contract
with a recursive ``$ref`` costs jsonschema several Python frames per level of the event, so a
256-level event may exhaust the stack of a caller that is already deep (a pytest fixture, the CLI)
and not of another. :func:`with_room` runs such a check again in a thread of its own, with a large
stack and a recursion limit sized for the deepest event the reader admits: the same room every time.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Final, TypeVar

T = TypeVar("T")

#: Frames the check may use: generous for MAX_DEPTH levels of a recursive schema (~10 frames a level).
FRAMES: Final = 40_000
#: The thread's stack, for those frames (Python <= 3.11 recurses in C too when generators nest).
STACK_BYTES: Final = 512 * 1024 * 1024
_lock = threading.Lock()  # one deep check at a time: the recursion limit is shared by every thread


def with_room(check: Callable[[], T]) -> T:
    """``check()`` in a fresh thread with :data:`STACK_BYTES` of stack and :data:`FRAMES` frames; its result or its exception."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(check())
        except BaseException as err:  # handed back to the caller's thread as it is
            failure.append(err)

    with _lock:
        previous_stack = threading.stack_size()
        previous_limit = sys.getrecursionlimit()
        try:
            threading.stack_size(STACK_BYTES)
            worker = threading.Thread(target=run, name="pytest-snapshot-cti deep check", daemon=True)
        finally:
            threading.stack_size(previous_stack)
        sys.setrecursionlimit(max(previous_limit, FRAMES))
        try:
            worker.start()
            worker.join()
        finally:
            sys.setrecursionlimit(previous_limit)
    if failure:
        raise failure[0]
    return outcome[0]
