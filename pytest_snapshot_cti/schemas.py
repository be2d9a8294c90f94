"""Loading contract schemas (bundled or a user's directory) and applying a profile to them.

Pure data work on dicts: no validator is built here, so printing a schema
(``snapshot-cti schema``) costs nothing but reading a file.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final, Protocol

from .refs import has_ref
from .refs import strip_nested_ids as strip_nested_ids  # its home was here: still importable from here
from .violations import ContractUsageError

#: Keywords that describe rather than constrain (a validator that ignores them judges the same).
ANNOTATION_KEYWORDS: Final = frozenset({"$schema", "$id", "title", "description", "default", "examples", "$comment", "definitions"})
#: kind -> (file name, pyEventType)
KINDS: Final[Mapping[str, tuple[str, str]]] = {
    "snapshot": ("Snapshot.json", "SnapshotEvent"),
    "agent": ("AgentEvent.json", "AgentStateEvent"),
    "call": ("CallEvent.json", "CallStateEvent"),
    "party": ("PartyInfoEvent.json", "PartyInfoEvent"),
}
EVENT_TYPES: Final[Mapping[str, str]] = {event_type: kind for kind, (_, event_type) in KINDS.items()}

#: The strict profile's required fields per kind, and per array-item object (rule S5).
REQUIRED: Final[Mapping[str, tuple[str, ...]]] = {
    "snapshot": ("pyEventType", "pyEventName", "pyAgentId", "pyAgentState", "pyThisDN", "pyLinkState", "pyDeviceState", "pyLines"),
    "agent": ("pyEventType", "pyEventName"),
    "call": ("pyEventType", "pyEventName", "pyCallId"),
    "party": ("pyEventType", "pyEventName", "pyCallId", "pyParties"),
}
REQUIRED_ITEMS: Final[Mapping[str, tuple[str, ...]]] = {
    "pyLines": ("pyCallId", "pyLineState"),
    "pyParties": ("pyDN",),
}


def bundled_dir() -> Path:
    return Path(str(resources.files("pytest_snapshot_cti") / "contracts"))


@dataclass(frozen=True, eq=False)
class SchemaSet:
    """The four published schemas as read from disk, with their provenance hash.

    Compared and hashed by identity: sets are cached per directory, and compiled
    validators are cached per set.
    """

    directory: Path
    schemas: Mapping[str, Mapping[str, Any]]
    sha256: str
    #: kinds the user's directory replaced (empty for the bundled set)
    overridden: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        return "bundled" if not self.overridden else f"{self.directory}"


class Profiled(Protocol):
    """What a compiled check is built from: a contract's schema set, profile and allowed extras.

    A :class:`~pytest_snapshot_cti.contract.Contract` is one; the fast paths name only this, so the
    engine may use them without their importing it back.
    """

    schema_set: SchemaSet
    profile: str
    allow_extra: tuple[str, ...]


def _read_schema(path: Path) -> Any:
    from .reader import ReadError, loads_strict

    try:
        return loads_strict(path.read_bytes())
    except ReadError as err:
        raise ContractUsageError(f"contract file {path} is not strict JSON: {err.message}") from None
    except OSError as err:
        raise ContractUsageError(f"cannot read contract file {path}: {err.strerror or err}") from None


def load_schema_set(contracts_dir: str | Path | None = None) -> SchemaSet:
    """Bundled schemas, each replaced by a same-named file in ``contracts_dir`` if present."""
    bundled = bundled_dir()
    directory = bundled
    overridden: set[str] = set()
    if contracts_dir is not None:
        directory = Path(contracts_dir).expanduser().resolve()
        if not directory.is_dir():
            raise ContractUsageError(f"contracts directory not found: {contracts_dir}")
    schemas: dict[str, Mapping[str, Any]] = {}
    digest = hashlib.sha256()
    for kind, (filename, _) in KINDS.items():
        path = directory / filename
        if directory != bundled and _present(path):
            overridden.add(kind)
        else:
            path = bundled / filename
        schema = _read_schema(path)
        if not isinstance(schema, dict):
            raise ContractUsageError(f"contract file {path} must hold a JSON object, not {type(schema).__name__}")
        schemas[kind] = schema
        digest.update(path.read_bytes())
    if contracts_dir is not None and not overridden:
        names = ", ".join(filename for filename, _ in KINDS.values())
        raise ContractUsageError(f"contracts directory {contracts_dir} holds none of {names}")
    if overridden:
        _refuse_ref_cycles(directory, schemas, overridden)
    return SchemaSet(directory, schemas, digest.hexdigest(), frozenset(overridden))


def _present(path: Path) -> bool:
    """True when a contracts directory holds ``path`` as a regular file (after links); anything else by that name is an error.

    A FIFO, a directory or a dangling link named ``Snapshot.json`` is not silently passed over for the bundled schema.
    """
    if not os.path.lexists(path):
        return False
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        raise ContractUsageError(f"cannot read contract file {path}: {err.strerror or err}") from None
    if not stat.S_ISREG(mode):
        what = "a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "not a regular file"
        raise ContractUsageError(f"contract file {path} is {what}: a contract is a regular JSON file")
    return True


def _refuse_ref_cycles(directory: Path, schemas: Mapping[str, Mapping[str, Any]], kinds: Iterable[str]) -> None:
    """A ``$ref`` cycle that consumes no input is a broken contract: said once, here, not at every event."""
    if not any(has_ref(schemas[kind]) for kind in kinds):
        return
    from .refs import ref_cycle, registry

    refs = registry(directory, schemas.values())
    for kind in kinds:
        cycle = ref_cycle(schemas[kind], refs)
        if cycle is not None:
            raise ContractUsageError(
                f"contract file {directory / KINDS[kind][0]}: $ref cycle that consumes no input: {' -> '.join(cycle)} "
                "(a value checked against it would be checked against it again, forever)"
            )


def _close(obj: dict[str, Any], allow_extra: Iterable[str]) -> None:
    if obj.get("type") != "object":
        return
    properties = obj.setdefault("properties", {})
    for name in allow_extra:
        properties.setdefault(name, {})
    obj["additionalProperties"] = False


def apply_profile(schema: Mapping[str, Any], kind: str, profile: str, allow_extra: Iterable[str] = ()) -> dict[str, Any]:
    """A deep copy of ``schema`` under ``profile``.

    ``published`` is the schema unchanged. ``strict`` adds the S5 ``required`` sets and
    closes every object (``additionalProperties: false``) except for ``allow_extra`` names.
    """
    result = copy.deepcopy(dict(schema))
    if profile != "strict":
        return result
    allow = tuple(allow_extra)
    _require(result, REQUIRED.get(kind, ()))
    _close(result, allow)
    for name, prop in result.get("properties", {}).items():
        items = prop.get("items") if isinstance(prop, dict) else None
        if isinstance(items, dict) and items.get("type") == "object":
            _require(items, REQUIRED_ITEMS.get(name, ()))
            _close(items, allow)
    return result


def _require(obj: dict[str, Any], names: Iterable[str]) -> None:
    """Add ``names`` to ``obj``'s ``required`` (the contract's own come first and stay)."""
    names = tuple(names)
    if not names:
        return
    own = obj.get("required")
    own = list(own) if isinstance(own, list) else []
    obj["required"] = own + [name for name in names if name not in own]


def dump(schema: Mapping[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False)
