"""What the conformance kit explored in a run: shifts, steps and transitions per conformance class.

Why: a green conformance run is only as good as what it drove the connector through. The
terminal summary says which transitions ran and how often, and which the driver does not
support, so a team sees at once that ``link_down`` was never tried. Plain data, so pytest-xdist
workers can hand it to the controller.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .violations import plural


@dataclass
class _Explored:
    shifts: int = 0
    steps: int = 0
    transitions: Counter[str] = field(default_factory=Counter)
    unsupported: dict[str, str] = field(default_factory=dict)


class ExplorationLog:
    """Per conformance class (by its node id): what the kit drove its connector through."""

    def __init__(self) -> None:
        self._classes: dict[str, _Explored] = {}

    def __bool__(self) -> bool:
        return bool(self._classes)

    def add(self, name: str, *, shifts: int, transitions: Iterable[str], unsupported: Mapping[str, str]) -> None:
        explored = self._classes.setdefault(name, _Explored())
        done = list(transitions)
        explored.shifts += shifts
        explored.steps += len(done)
        explored.transitions.update(done)
        explored.unsupported.update(unsupported)

    def to_dict(self) -> dict[str, Any]:
        return {
            name: {"shifts": e.shifts, "steps": e.steps, "transitions": dict(e.transitions), "unsupported": dict(e.unsupported)}
            for name, e in self._classes.items()
        }

    def merge(self, data: Mapping[str, Any]) -> None:
        for name, e in data.items():
            explored = self._classes.setdefault(name, _Explored())
            explored.shifts += e["shifts"]
            explored.steps += e["steps"]
            explored.transitions.update(e["transitions"])
            explored.unsupported.update(e["unsupported"])

    def lines(self) -> list[str]:
        out: list[str] = []
        for name in sorted(self._classes):
            e = self._classes[name]
            out.append(f"{name}: {plural(e.shifts, 'shift')}, {plural(e.steps, 'step')}")
            ranked = sorted(e.transitions.items(), key=lambda item: (-item[1], item[0]))
            out.append("  transitions: " + (", ".join(f"{t} {n:,}" for t, n in ranked) or "none"))
            if e.unsupported:
                out.append("  not supported: " + ", ".join(sorted(e.unsupported)))
        return out

    def one_line(self) -> str:
        shifts = sum(e.shifts for e in self._classes.values())
        steps = sum(e.steps for e in self._classes.values())
        return f"{plural(len(self._classes), 'connector')} explored: {plural(shifts, 'shift')}, {plural(steps, 'step')}"
