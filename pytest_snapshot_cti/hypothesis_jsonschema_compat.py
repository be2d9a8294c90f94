"""Keeps hypothesis-jsonschema's object strategy working on every Hypothesis we support.

hypothesis-jsonschema 0.23.1 (its latest release) draws objects through a private Hypothesis
helper the old way::

    elements = cu.many(data, min_size=..., max_size=..., average_size=...)
    while elements.more():
        ...
        elements.reject()

Since Hypothesis 6.170.10 ``many`` is a context manager and an iterator and ``more()`` is gone,
so every object schema fails with ``AttributeError: 'many' object has no attribute 'more'``.

:func:`ensure_compatible` gives hypothesis-jsonschema's module (only that module: Hypothesis
itself keeps its own ``many``) a ``many`` that offers ``more()`` on top of the new protocol. It
is applied lazily, by :func:`~pytest_snapshot_cti.strategies.from_contract` on first use, and it
is a no-op where ``many`` still has ``more()``. The choices drawn are Hypothesis's own, in the
same order, so shrinking and the example database behave as they do with a native loop.

Why a shim rather than our own object generator: hypothesis-jsonschema is a well-kept
canonicaliser of arbitrary (user-supplied) draft-04..07 schemas; rewriting it would be far
more code than this one adapter around the single private call that broke.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any, Final

#: Set on the module we patched, so a second call (or a second import) does nothing.
MARKER: Final = "_pytest_snapshot_cti_many_adapter"


class _MoreAdapter:
    """The pre-6.170.10 ``many`` interface (``more()``, ``reject()``) over the iterator protocol.

    The ``with`` block is entered on construction and left when the loop ends (``more()``
    returns ``False``); an exception in a draw leaves it open, exactly as the old ``more()``
    loop left its span open.
    """

    def __init__(self, many: type[Any], *args: Any, **kwargs: Any) -> None:
        self._many = many(*args, **kwargs)
        self._many.__enter__()
        self._elements: Iterator[None] = iter(self._many)

    def more(self) -> bool:
        if next(self._elements, StopIteration) is StopIteration:
            self._many.__exit__(None, None, None)
            return False
        return True

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)

    def __getattr__(self, name: str) -> Any:  # count, rejections… as the wrapped object has them
        return getattr(self._many, name)


def needs_adapter(many: Any) -> bool:
    """True for Hypothesis >= 6.170.10: ``many`` is iterated, it has no ``more()``."""
    return not hasattr(many, "more") and hasattr(many, "__iter__")


def ensure_compatible() -> bool:
    """Adapt ``hypothesis_jsonschema`` to this Hypothesis if it needs it; True when it did (now or before)."""
    from hypothesis.internal.conjecture import utils as conjecture_utils
    from hypothesis_jsonschema import _from_schema

    if getattr(_from_schema, MARKER, False):
        return True
    real_many = conjecture_utils.many
    if not needs_adapter(real_many):
        return False

    def many(*args: Any, **kwargs: Any) -> _MoreAdapter:
        return _MoreAdapter(real_many, *args, **kwargs)

    # A namespace that is the real module except for ``many``: Hypothesis's own callers are untouched.
    facade = types.ModuleType(conjecture_utils.__name__, conjecture_utils.__doc__)
    facade.__dict__.update(conjecture_utils.__dict__)
    facade.many = many  # type: ignore[attr-defined]
    _from_schema.cu = facade  # type: ignore[attr-defined]
    setattr(_from_schema, MARKER, True)
    return True
