"""hypothesis-jsonschema's object strategy works on the Hypothesis installed, old or new.

hypothesis-jsonschema 0.23.1 drives the private ``many`` helper with ``more()``, which
Hypothesis 6.170.10 removed. The tox envs ``lowest`` (``more()`` exists: the adapter must be a
no-op) and ``newest`` (it does not: the adapter must make objects drawable) run this file.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from hypothesis import given, settings
from hypothesis.internal.conjecture import utils as conjecture_utils

from pytest_snapshot_cti import strategies as cti
from pytest_snapshot_cti.hypothesis_jsonschema_compat import ensure_compatible, needs_adapter

NEW_STYLE = needs_adapter(conjecture_utils.many)

# Two required keys, optional ones, and a dependency whose failure makes hypothesis-jsonschema call reject().
OBJECT_SCHEMA = {
    "type": "object",
    "properties": {"a": {"type": "integer"}, "b": {"type": "string"}, "c": {"type": "boolean"}, "d": {"enum": ["x"]}},
    "required": ["a", "b"],
    "dependencies": {"c": {"properties": {"a": {"minimum": 0}}}},
    "additionalProperties": False,
}


def test_the_adapter_is_applied_exactly_where_more_is_gone() -> None:
    from hypothesis_jsonschema import _from_schema

    applied = ensure_compatible()
    assert applied is NEW_STYLE
    assert ensure_compatible() is applied  # idempotent
    if NEW_STYLE:
        assert _from_schema.cu is not conjecture_utils
        assert _from_schema.cu.many is not conjecture_utils.many
        assert not hasattr(conjecture_utils.many, "more")  # Hypothesis's own many is left as it is
    else:
        assert _from_schema.cu is conjecture_utils  # a no-op where more() exists


def test_hypothesis_jsonschema_draws_objects_after_the_adapter() -> None:
    from hypothesis_jsonschema import from_schema

    ensure_compatible()
    seen: list[dict[str, Any]] = []

    @settings(max_examples=60, database=None)
    @given(from_schema(OBJECT_SCHEMA))
    def check(doc: dict[str, Any]) -> None:
        assert {"a", "b"} <= set(doc) <= {"a", "b", "c", "d"}
        if "c" in doc:
            assert doc["a"] >= 0
        seen.append(doc)

    check()
    assert any("c" in doc for doc in seen)


def test_from_contract_applies_it_lazily_and_importing_strategies_does_not() -> None:
    code = (
        "import sys\n"
        "from hypothesis_jsonschema import _from_schema\n"
        "from pytest_snapshot_cti import strategies as cti\n"
        "from pytest_snapshot_cti.hypothesis_jsonschema_compat import MARKER\n"
        "before = getattr(_from_schema, MARKER, False)\n"
        "cti.from_contract('agent')\n"
        "print(before, getattr(_from_schema, MARKER, False))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", str(NEW_STYLE)]


def test_from_contract_draws_an_object_of_every_kind() -> None:
    @settings(max_examples=5, database=None)
    @given(cti.from_contract("party", "strict"))
    def check(doc: dict[str, Any]) -> None:
        assert doc["pyEventType"] == "PartyInfoEvent"
        assert isinstance(doc["pyParties"], list)

    check()
