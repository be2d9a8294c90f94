"""What validating inputs produces, outcome by outcome, and the counts that always add up.

Why a module of its own: the streaming validator (:mod:`bulk`) makes these and the reporters
(:mod:`reports`) write them; with the outcomes here, each of the two uses them without the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .violations import Violation

Verdict = Literal["valid", "invalid", "unreadable"]


@dataclass(frozen=True)
class EventResult:
    """An event that is not silently valid: its verdict and every violation, located.

    A clean event yields none (it is only counted); a valid one yields one when it has warnings.
    """

    #: ``file:line`` (``<stdin>:12``)
    location: str
    verdict: Verdict
    violations: tuple[Violation, ...]


@dataclass(frozen=True)
class InputDone:
    """One input finished: its own counts (``events == valid + invalid + unreadable``).

    The last outcome of each input, after its events' and its streams' (:class:`StreamResult`).
    """

    #: the input as every output prints it (:func:`bulk.display_name`)
    name: str
    events: int
    valid: int
    invalid: int
    unreadable: int


@dataclass(frozen=True)
class StreamResult:
    """Lifecycle (L1–L5) violations of one stream of one input."""

    #: the input, with the stream's key when the input holds several (``f.jsonl (stream 8808)``)
    location: str
    violations: tuple[Violation, ...]


@dataclass(frozen=True)
class InputProblem:
    """A file or directory that could not be read (exit code 2), or a note about an input."""

    location: str
    message: str
    #: an error makes the exit code 2; a note (an empty input) leaves it alone
    is_error: bool = True


Outcome = EventResult | InputProblem | StreamResult | InputDone


@dataclass
class Tally:
    """``events == valid + invalid + unreadable``; blank lines are not events."""

    events: int = 0
    valid: int = 0
    invalid: int = 0
    unreadable: int = 0
    warnings: int = 0
    lifecycle_errors: int = 0
    lifecycle_warnings: int = 0
    files: int = 0
    io_errors: int = 0
    bytes_read: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)
