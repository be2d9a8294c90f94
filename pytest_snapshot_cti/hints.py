"""Hints: the one sentence that turns a schema message into the fix.

Pure functions over plain values, so the CLI, the assertions and the tests share them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any, Final

#: Values connectors send that mean an enum member under another name (vendor vocabulary).
SYNONYMS: Final[dict[str, str]] = {
    "Available": "Ready",
    "Unavailable": "NotReady",
    "NotAvailable": "NotReady",
    "Not_Ready": "NotReady",
    "Not Ready": "NotReady",
    "Offline": "Logout",
    "LoggedOut": "Logout",
    "Talking": "Busy",
    "Held": "Holding",
    "Hold": "Holding",
    "OnHold": "Holding",
    "Established": "Connected",
    "Active": "Connected",
    "Ringing": "Alerting",
    "Initiated": "Initiate",
    "Dialing": "Initiate",
    "Idle": "None",
    "OPEN": "OPENED",
    "CLOSE": "CLOSED",
    "UP": "CONNECTED",
    "DOWN": "DISCONNECTED",
}

#: Words for an offered inbound call -> the members that mean it. Pega's server side maps Ringing and
#: Delivered to Offering (erratum E25); a Snapshot line offered a call says Alerting (no Offering there).
#: Kept apart from SYNONYMS, which the mutation catalogue draws from: its seeded output must not drift.
OFFERED_CALL_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "Ringing": ("Offering", "Alerting"),
    "Delivered": ("Offering", "Alerting"),
    "Offering": ("Alerting",),
}

#: How Pega's property tables spell an enum member the schema writes otherwise (errata E28, E29): the enum wins.
PROSE_SPELLINGS: Final[dict[str, tuple[str, str, str]]] = {
    "Opened": ("OPENED", "E28", "the Snapshot property table's pyDeviceState"),
    "Closed": ("CLOSED", "E28", "the Snapshot property table's pyDeviceState"),
    "Connected": ("CONNECTED", "E29", "the Snapshot property table's pyLinkState"),
}

#: Fields Pega's own connector code sends that no published schema lists (erratum E27).
PEGA_EXTENSION_FIELDS: Final[tuple[str, ...]] = ("pyInteractionID", "pyEventString")


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, stopping early once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def enum_near_miss(value: Any, allowed: Sequence[Any]) -> tuple[str, str] | None:
    """``(member, kind)`` when ``value`` is a member but for case or whitespace (rule S4)."""
    if not isinstance(value, str):
        return None
    members = [m for m in allowed if isinstance(m, str)]
    stripped = value.strip()
    if stripped != value and stripped in members:
        return stripped, "whitespace"
    folded = stripped.casefold()
    for member in members:
        if member.casefold() == folded:
            return member, "case" if stripped == value else "case and whitespace"
    return None


def enum_hint(value: Any, allowed: Sequence[Any]) -> str | None:
    near = enum_near_miss(value, allowed)
    if near is not None:
        member, kind = near
        if kind == "whitespace":
            return f"did you mean {member!r}? remove the surrounding whitespace"
        prose = PROSE_SPELLINGS.get(value)
        if prose is not None and prose[0] == member:
            return f"did you mean {member!r}? {prose[2]} writes {value!r}, but the schema's enum says {member!r} and the enum wins (erratum {prose[1]})"
        return f"did you mean {member!r}? enum values are case-sensitive"
    if not isinstance(value, str):
        kind = json_type(value)
        return f"send one of the listed strings, not {'an' if kind[0] in 'aeiou' else 'a'} {kind}"
    offered = _offered_call_hint(value.strip(), allowed)
    if offered is not None:
        return offered
    synonym = SYNONYMS.get(value.strip())
    if synonym in allowed:
        return f"did you mean {synonym!r}? {value!r} is vendor vocabulary; map it to the OpenCTI value"
    close = difflib.get_close_matches(value, [m for m in allowed if isinstance(m, str)], n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return None


def _offered_call_hint(value: str, allowed: Sequence[Any]) -> str | None:
    meant = [member for member in OFFERED_CALL_WORDS.get(value, ()) if member in allowed]
    if not meant or value in allowed:
        return None
    if len(meant) > 1:
        return (
            f"did you mean {meant[0]!r} or {meant[1]!r}? Pega Call maps {value!r} to {meant[0]!r}, its event for a new inbound call "
            f"(erratum E25); {meant[1]!r} is the schema's own word"
        )
    if value == "Offering":
        return f"did you mean {meant[0]!r}? 'Offering' names a call event; a Snapshot line being offered a call is {meant[0]!r}"
    return f"did you mean {meant[0]!r}? {value!r} is vendor vocabulary; map it to the OpenCTI value"


def pega_extension_note(name: str) -> str:
    """``; Pega's own connector code sends it…`` for pyInteractionID/pyEventString (erratum E27), else ``""``."""
    if name in PEGA_EXTENSION_FIELDS:
        return "; Pega's own connector code sends it, but no published schema lists it (erratum E27)"
    return ""


def allow_extra_hint(name: str) -> str:
    """How to accept an extra property under the strict profile, in each place a team configures it."""
    how = (
        f"allow it with allow_extra=[{name!r}] in load_contract or the cti marker, --cti-allow-extra {name} or the "
        f"cti_allow_extra ini key under pytest, --allow-extra {name} with snapshot-cti"
    )
    return how if name in PEGA_EXTENSION_FIELDS else f"if it is a documented extension, {how}"


def type_hint(value: Any, expected: str) -> str | None:
    if expected != "string":
        return None
    if isinstance(value, bool):
        return f'send it as a JSON string: "{str(value).lower()}"'
    if isinstance(value, (int, float)):
        return f'send identifiers as JSON strings: "{value}"'
    if value is None:
        return 'omit the property or send "" (null is not a string)'
    return None


def property_hint(name: str, known: Iterable[str]) -> str | None:
    """``did you mean 'pyAgentId'?`` for an unknown property within edit distance 2."""
    best: tuple[int, str] | None = None
    for candidate in known:
        distance = edit_distance(name, candidate, limit=2)
        if name.casefold() == candidate.casefold():
            distance = min(distance, 1)
        if distance <= 2 and (best is None or distance < best[0]):
            best = (distance, candidate)
    return f"did you mean {best[1]!r}?" if best else None


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
