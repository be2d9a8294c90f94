"""The published profile says "error" exactly when Pega's schema, read by jsonschema, rejects the document."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft6Validator

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.schemas import bundled_dir

SCHEMA = json.loads((bundled_dir() / "Snapshot.json").read_text(encoding="utf-8"))
REFERENCE = Draft6Validator(SCHEMA)
CONTRACT = load_contract("published")
PROPS = SCHEMA["properties"]
LINE_PROPS = PROPS["pyLines"]["items"]["properties"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=6)
)
json_values = st.one_of(scalars, st.lists(scalars, max_size=2), st.dictionaries(st.text(max_size=3), scalars, max_size=2))


def near_misses(member: str) -> st.SearchStrategy[str]:
    return st.sampled_from([member.upper(), member.lower(), f" {member}", f"{member} ", member[:-1]])


def value_for(prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "enum" in prop:
        members = prop["enum"]
        return st.one_of(st.sampled_from(members), st.sampled_from(members).flatmap(near_misses), json_values)
    return st.one_of(st.text(max_size=8), json_values)


def objects(props: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the declared fields (valid, near-miss or junk values) plus up to two extra keys."""
    fields = {name: value_for(prop) for name, prop in props.items() if name != "pyLines"}
    extra = st.dictionaries(st.sampled_from(["x", "pyagentid", "pyQueue"]), scalars, max_size=2)
    return st.builds(lambda more, base: {**more, **base}, extra, st.fixed_dictionaries({}, optional=fields))


def with_lines(base: dict[str, Any], lines: Any) -> dict[str, Any]:
    return base if lines is None else {**base, "pyLines": lines}


line_items = st.one_of(objects(LINE_PROPS), scalars)
snapshots = st.builds(with_lines, objects(PROPS), st.one_of(st.none(), st.lists(line_items, max_size=3), json_values))
# A top-level str would be read as JSON text by Contract.validate, so documents are never bare strings.
documents = st.one_of(snapshots, json_values.filter(lambda value: not isinstance(value, str)))


@settings(max_examples=500)
@given(st.lists(documents, min_size=20, max_size=20))
def test_published_errors_agree_with_draft6_on_10000_documents(batch: list[Any]) -> None:
    """500 examples × 20 documents: valid ones, near-misses, junk values, extra keys."""
    for document in batch:
        ours = any(v.severity == "error" for v in CONTRACT.validate(document, kind="snapshot"))
        reference = not REFERENCE.is_valid(document)
        assert ours == reference, (document, CONTRACT.validate(document, kind="snapshot"))
