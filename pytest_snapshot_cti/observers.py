"""Who wants to hear about every validated event (the pytest plugin's coverage and tallies).

A plain list keeps the engine free of any pytest knowledge: the plugin subscribes at
session start and unsubscribes at the end; with no subscriber the cost is one truth test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .violations import Violation

#: ``observer(event, violations)`` is called after every :meth:`Contract.validate`.
Observer = Callable[[Any, list[Violation]], None]
OBSERVERS: list[Observer] = []


def subscribe(observer: Observer) -> None:
    if observer not in OBSERVERS:
        OBSERVERS.append(observer)


def unsubscribe(observer: Observer) -> None:
    if observer in OBSERVERS:
        OBSERVERS.remove(observer)


def notify(event: Any, violations: list[Violation]) -> None:
    for observer in list(OBSERVERS):
        observer(event, violations)
