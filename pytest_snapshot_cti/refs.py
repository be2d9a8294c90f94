"""``$ref`` in a contracts directory: resolved to regular files inside it, never fetched; cycles refused at load.

Why a module of its own: a contract is a team's own files, and a ``$ref`` is the one keyword that
reaches beyond the document. It resolves only to a regular file inside the directory (after links
are resolved), named relative to the referring document or under the contracts' own ``$id`` base;
any other absolute URI is a remote ref, which is never fetched (``schema.ref``, saying so). A cycle
of refs that consumes no input (a → b → a) would check a value against itself forever: the contract
is broken, and :func:`ref_cycle` says where, once, when it is loaded.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote, urlsplit

#: Draft-06 keywords whose value is one schema applied to the same instance, or a list of them.
SAME_INSTANCE_ONE: Final = ("not",)
SAME_INSTANCE_MANY: Final = ("allOf", "anyOf", "oneOf")
#: Keywords whose schemas apply to a part of the instance (they consume input).
PART_ONE: Final = ("additionalProperties", "additionalItems", "contains", "propertyNames")
PART_MAP: Final = ("properties", "patternProperties")


class RemoteRef(LookupError):
    """A ``$ref`` to an absolute URI outside the contracts' own ``$id`` base: never fetched."""

    def __init__(self, uri: str) -> None:
        super().__init__(uri)
        self.uri = uri


def id_base(schema: Any) -> str | None:
    """The base a root ``$id`` gives relative refs (``http://pega.com/OpenCTI/Events/``), if it has a path."""
    value = schema.get("$id") if isinstance(schema, Mapping) else None
    if not isinstance(value, str) or "/" not in value:
        return None
    document = value.split("#", 1)[0]
    return document[: document.rfind("/") + 1] if urlsplit(document).scheme else None


def is_remote(uri: str, bases: Iterable[str]) -> bool:
    """True for an absolute URI that no contracts base (nor ``file:``) covers."""
    scheme = urlsplit(uri).scheme
    return bool(scheme) and scheme != "file" and not any(uri.startswith(base) for base in bases)


def local_path(directory: Path, uri: str, bases: Iterable[str]) -> Path | None:
    """The regular file inside ``directory`` that ``uri`` names, or None (a remote URI raises :class:`RemoteRef`)."""
    document = uri.split("#", 1)[0]
    parts = urlsplit(document)
    if parts.scheme == "file":
        candidate = Path(unquote(parts.path))
    elif not parts.scheme:
        candidate = directory / unquote(parts.path)
    else:
        base = next((base for base in bases if document.startswith(base)), None)
        if base is None:
            raise RemoteRef(uri)
        candidate = directory / unquote(document[len(base) :])
    try:
        resolved = candidate.resolve()
        inside = resolved == directory or directory in resolved.parents
        if not inside or not stat.S_ISREG(os.stat(resolved).st_mode):
            return None
    except (OSError, RuntimeError):  # missing, a link loop
        return None
    return resolved


def registry(directory: Path, schemas: Iterable[Any]) -> Any:
    """A registry that resolves ``$ref`` only to regular files inside ``directory`` — never the network.

    ``schemas``: the contract's documents, whose root ``$id`` bases name files of the directory too.
    """
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT6

    from .reader import ReadError, loads_strict

    directory = directory.resolve()
    bases = [base for base in map(id_base, schemas) if base is not None]

    @functools.cache
    def read(path: Path) -> Resource[Any]:
        contents = loads_strict(path.read_bytes())
        base = id_base(contents)
        if base is not None and base not in bases:
            bases.append(base)
        return Resource.from_contents(strip_nested_ids(contents), default_specification=DRAFT6)

    def retrieve(uri: str) -> Resource[Any]:
        path = local_path(directory, uri, bases)  # RemoteRef for a remote URI: referencing reports it unretrievable
        if path is None:
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
        try:
            return read(path)
        except (OSError, ReadError):
            raise NoSuchResource(ref=uri) from None  # type: ignore[call-arg]

    return Registry(retrieve=retrieve)  # type: ignore[call-arg]


# -- cycles that consume no input -------------------------------------------------------------------

_Position = tuple[str, Any, Any]  # (label, schema, resolver)


def _children(label: str, schema: Mapping[str, Any], *, same_instance: bool) -> Iterator[tuple[str, Any]]:
    """Subschemas of ``schema`` (draft-06 keywords), labelled by JSON pointer; the same instance's only, or every one."""
    for key in SAME_INSTANCE_ONE:
        if key in schema:
            yield f"{label}/{key}", schema[key]
    for key in SAME_INSTANCE_MANY:
        if isinstance(schema.get(key), list):
            for index, sub in enumerate(schema[key]):
                yield f"{label}/{key}/{index}", sub
    dependencies = schema.get("dependencies")
    if isinstance(dependencies, Mapping):
        for name, sub in dependencies.items():
            if isinstance(sub, (Mapping, bool)):
                yield f"{label}/dependencies/{_escape(name)}", sub
    if same_instance:
        return
    for key in PART_ONE:
        if key in schema:
            yield f"{label}/{key}", schema[key]
    items = schema.get("items")
    if isinstance(items, list):
        for index, sub in enumerate(items):
            yield f"{label}/items/{index}", sub
    elif items is not None:
        yield f"{label}/items", items
    for key in (*PART_MAP, "definitions"):  # definitions last: a cycle is named from where the contract uses it
        mapping = schema.get(key)
        if isinstance(mapping, Mapping):
            for name, sub in mapping.items():
                yield f"{label}/{key}/{_escape(name)}", sub


def _escape(name: Any) -> str:
    return str(name).replace("~", "~0").replace("/", "~1")


def _enter(schema: Any, resolver: Any) -> Any:
    """The resolver inside ``schema`` (a subschema's own ``$id`` moves the base, as jsonschema does)."""
    from referencing.jsonschema import DRAFT6

    if isinstance(schema, Mapping) and "$id" in schema and "$ref" not in schema:
        return resolver.in_subresource(DRAFT6.create_resource(schema))
    return resolver


def _ref_target(label: str, schema: Mapping[str, Any], resolver: Any) -> _Position | None:
    from referencing.exceptions import Unresolvable

    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return None
    try:
        resolved = resolver.lookup(ref)
    except (Unresolvable, RemoteRef):  # reported when an event meets it (schema.ref)
        return None
    return ref, resolved.contents, _enter(resolved.contents, resolved.resolver)


def _positions(label: str, schema: Any, resolver: Any) -> list[_Position]:
    """Every schema position reachable from ``schema``, following refs into other documents, in document order."""
    found: list[_Position] = []
    seen: set[int] = set()
    pending: list[_Position] = [(label, schema, _enter(schema, resolver))]
    while pending:
        position = pending.pop()
        label, node, node_resolver = position
        if not isinstance(node, Mapping) or id(node) in seen:
            continue
        seen.add(id(node))
        found.append(position)
        following: list[_Position] = [
            (child_label, child, _enter(child, node_resolver)) for child_label, child in _children(label, node, same_instance=False)
        ]
        target = _ref_target(label, node, node_resolver)
        if target is not None:
            following.append(target)
        pending.extend(reversed(following))
    return found


def _same_instance(position: _Position) -> list[_Position]:
    """Where checking a value against this position leads without descending into it."""
    label, node, resolver = position
    if not isinstance(node, Mapping):
        return []
    if "$ref" in node:  # draft-06: a $ref's siblings are ignored
        target = _ref_target(label, node, resolver)
        return [] if target is None else [target]
    return [(child_label, child, _enter(child, resolver)) for child_label, child in _children(label, node, same_instance=True)]


def ref_cycle(schema: Mapping[str, Any], registry: Any) -> list[str] | None:
    """The labels of a ``$ref`` cycle that consumes no input, from where the contract first reaches it; None when there is none."""
    from referencing.jsonschema import DRAFT6

    root = registry.resolver_with_root(DRAFT6.create_resource(schema))
    done: set[int] = set()
    for start in _positions("#", schema, root):
        if id(start[1]) in done:
            continue
        path: list[str] = [start[0]]
        on_path: set[int] = {id(start[1])}
        stack = [(start, iter(_same_instance(start)))]
        while stack:
            position, successors = stack[-1]
            successor = next(successors, None)
            if successor is None:
                stack.pop()
                path.pop()
                on_path.discard(id(position[1]))
                done.add(id(position[1]))
                continue
            node = successor[1]
            if id(node) in on_path:
                return [*path, successor[0]]
            if id(node) in done or not isinstance(node, Mapping):
                continue
            path.append(successor[0])
            on_path.add(id(node))
            stack.append((successor, iter(_same_instance(successor))))
    return None


def has_ref(schema: Any) -> bool:
    if isinstance(schema, dict):
        return "$ref" in schema or any(has_ref(value) for value in schema.values())
    if isinstance(schema, list):
        return any(has_ref(item) for item in schema)
    return False


#: Draft-06 keywords whose value is a schema, a list of schemas, or a map of names to schemas.
_SCHEMA_ONE: Final = frozenset({"not", "additionalProperties", "additionalItems", "contains", "propertyNames", "items"})
_SCHEMA_LIST: Final = frozenset({"allOf", "anyOf", "oneOf", "items"})
_SCHEMA_MAP: Final = frozenset({"properties", "patternProperties", "definitions", "dependencies"})


def strip_nested_ids(schema: Any, *, root: bool = True) -> Any:
    """Drop the ``$id`` keyword below the root so a referenced file cannot shadow the referrer's ids.

    Pega gives every property a relative ``$id`` (``/properties/pyAgentId``) that resolves
    to the same URI in every schema; two such files in one registry collide. Only ``$id`` in a
    schema position is a keyword: a property named ``$id``, or a ``const``/``enum`` value holding
    one, is data and stays.
    """
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$id" and not root:
            continue
        if key in _SCHEMA_LIST and isinstance(value, list):
            out[key] = [strip_nested_ids(item, root=False) for item in value]
        elif key in _SCHEMA_ONE:
            out[key] = strip_nested_ids(value, root=False)
        elif key in _SCHEMA_MAP and isinstance(value, dict):
            out[key] = {name: strip_nested_ids(sub, root=False) for name, sub in value.items()}  # dependencies' lists stay lists
        else:
            out[key] = value
    return out
