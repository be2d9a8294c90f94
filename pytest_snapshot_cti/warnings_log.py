"""Every contract warning a run made, by test, for the "contract warnings" section.

Warnings (everything S/C under ``published``) never fail a test, so without this list they
would show only as counts. Like pytest's own warnings summary, each line names the test, the
event and the message; identical findings of one test are folded into one line with a count
and their events listed once (``events #2, #3 (SnapshotEvent)``). Plain JSON-able data, so
pytest-xdist workers ship it to the controller, and lines are sorted by test id so a serial
and a ``-n 2`` run print the same section.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from .violations import Violation, fold_locations

#: Distinct (test, finding) pairs kept; a fuzz suite can make thousands. The rest are counted.
MAX_ENTRIES: Final = 2000
#: Locations kept per entry (the count keeps counting).
MAX_LOCATIONS: Final = 20
OUTSIDE_TESTS: Final = "(outside any test)"

Key = tuple[str, str, str, str, str]  # test id, rule, path, message, hint ("" for none)


def event_label(event: Any) -> str:
    """What a finding without a location is about: the ``pyEventType`` as written, else ``event``."""
    value = event.get("pyEventType") if isinstance(event, Mapping) else None
    return value if isinstance(value, str) and value else "event"


class WarningLog:
    """Warnings by test id, identical ones folded; merged across xdist workers."""

    def __init__(self) -> None:
        self._entries: dict[Key, tuple[list[str], int]] = {}
        self.dropped = 0

    def __bool__(self) -> bool:
        return bool(self._entries or self.dropped)

    def add(self, test_id: str | None, violations: Iterable[Violation], event: Any = None) -> None:
        for violation in violations:
            if violation.severity != "warning":
                continue
            where = violation.location or event_label(event)
            self._add((test_id or OUTSIDE_TESTS, violation.rule, violation.path, violation.message, violation.hint or ""), [where], 1)

    def _add(self, key: Key, locations: list[str], count: int) -> None:
        entry = self._entries.get(key)
        if entry is None:
            if len(self._entries) >= MAX_ENTRIES:
                self.dropped += count
                return
            entry = ([], 0)
        known, seen = entry
        for location in locations:
            if location not in known and len(known) < MAX_LOCATIONS:
                known.append(location)
        self._entries[key] = (known, seen + count)

    # -- xdist ---------------------------------------------------------------------------------
    def to_list(self) -> list[Any]:
        return [[*key, locations, count] for key, (locations, count) in self._entries.items()] + [["dropped", self.dropped]]

    def merge(self, data: Iterable[Any]) -> None:
        for item in data:
            if item[0] == "dropped" and len(item) == 2:
                self.dropped += int(item[1])
            else:
                *key, locations, count = item
                self._add((key[0], key[1], key[2], key[3], key[4]), list(locations), int(count))

    # -- rendering -----------------------------------------------------------------------------
    def lines(self, limit: int | None = None) -> list[str]:
        """One line per (test, finding): ``test id: events #1, #2 (SnapshotEvent) $.path: message (hint) [rule] (2 times)``."""
        ordered = sorted(self._entries.items(), key=lambda item: item[0][0])  # stable: first-seen order within a test
        out: list[str] = []
        for (test_id, rule, path, message, hint), (locations, count) in ordered:
            violation = Violation(rule, "warning", path, message, hint or None, fold_locations(locations))
            text = f"{test_id}: {violation.format()}"
            out.append(text + (f" ({count:,} times)" if count > 1 else ""))
        shown = out if limit is None else out[:limit]
        if len(shown) < len(out):
            shown.append(f"… and {len(out) - len(shown):,} more lines (-v shows them all)")
        if self.dropped:
            shown.append(f"… and {self.dropped:,} more warnings not listed (more than {MAX_ENTRIES:,} distinct ones)")
        return shown
