"""The error object a failure callback receives (F1–F4), checked on Python values and through the Node host."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti.error_objects import check_error_object, documented_codes, from_python, is_documented_code
from pytest_snapshot_cti.js import JsConnector, find_node
from pytest_snapshot_cti.js.errors import NodeNotFoundError
from pytest_snapshot_cti.rules import RULES


def rules_of(error: Any, *, given: bool = True) -> list[str]:
    return [v.rule for v in check_error_object(from_python(error, given=given))]


@pytest.mark.parametrize(
    ("error", "rules"),
    [
        ({"errCode": "OPENCTI_DEST_BUSY", "errMessage": "Busy."}, []),
        ({"errCode": "ACME_42", "errMessage": "Trunk down."}, ["F4"]),
        ({"errCode": 42, "errMessage": "Trunk down."}, ["F2"]),
        ({"errMessage": "Trunk down."}, ["F2"]),
        ({"errCode": "OPENCTI_DEST_BUSY"}, ["F3"]),
        ({"errCode": "OPENCTI_DEST_BUSY", "errMessage": None}, ["F3"]),
        ("Trunk down.", ["F1"]),
        (None, ["F1"]),
        ([], ["F1"]),
    ],
)
def test_python_error_objects(error: Any, rules: list[str]) -> None:
    assert rules_of(error) == rules


def test_no_argument_at_all_is_f1() -> None:
    (violation,) = check_error_object(from_python(None, given=False), location="failure of login()")
    assert str(violation) == (
        "failure of login() $: failure was called with no argument instead of an error object {errCode, errMessage} "
        "(call failure({errCode: 'OPENCTI_…', errMessage: '…'}): Pega Call maps errCode to a message and shows errMessage) [F1]"
    )


def test_the_documented_codes_ship_with_their_provenance() -> None:
    data = json.loads((Path(__file__).parents[1] / "pytest_snapshot_cti" / "error_codes.json").read_text(encoding="utf-8"))
    assert data["sources"][0]["url"].endswith("/87/configuring-error-messages")
    assert documented_codes()["OPENCTI_IN_SAME_STATE"] == "Agent is already in the requested state."
    assert len(documented_codes()) == 17
    assert is_documented_code("OPENCTI_INV_ACTION_SOMETHING")  # the row the stored pages cut off
    assert not is_documented_code("OPENCTI_DEST_BUSY ")


def test_every_f_rule_is_in_the_rule_table() -> None:
    assert [rule for rule in RULES if rule.startswith("F")] == ["F1", "F2", "F3", "F4", "F5"]
    assert {RULES[rule].scope for rule in ("F1", "F2", "F3", "F4", "F5")} == {"callback"}


# -- the bridge carries JSON faithfully ---------------------------------------------------------
ECHO = """
pega.cti.desktopApi.echo = function () { pega.cti.desktopApi.echo.last = this; };
pega.cti.desktopApi.echo.prototype.login = function (a, p, e, l, o, success, failure, forwardEvent) { this.forward = forwardEvent; success(); };
function echo(value) { pega.cti.desktopApi.echo.last.forward(value); return value; }
"""

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def echo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[JsConnector, list[str]]]:
    """One connector for every example: JSON.stringify's text of what it forwards is kept in a list."""
    try:
        find_node()
    except NodeNotFoundError as err:
        if os.environ.get("CTI_REQUIRE_NODE") == "1":
            pytest.fail(f"CTI_REQUIRE_NODE=1 but {err}", pytrace=False)
        pytest.skip(str(err))
    path = tmp_path_factory.mktemp("echo") / "echo.js"
    path.write_text(ECHO, encoding="utf-8")
    heard: list[str] = []
    with JsConnector(path, forward_event=heard.append) as connector:
        connector.call("login", "1", "", "", {}, {})
        yield connector, heard


def numbers_as_floats(value: Any) -> Any:
    """JSON numbers compared as JavaScript has them (doubles): JS writes 4.08e16 as 40810820914932710."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        return [numbers_as_floats(item) for item in value]
    return {key: numbers_as_floats(item) for key, item in value.items()}


@settings(max_examples=40)
@given(value=json_values)
def test_json_values_cross_the_bridge_unchanged(echo: tuple[JsConnector, list[str]], value: Any) -> None:
    connector, heard = echo
    before = len(connector.findings())
    assert numbers_as_floats(connector.emit("echo", {"v": value})) == numbers_as_floats({"v": value})
    assert numbers_as_floats(json.loads(heard[-1])) == numbers_as_floats({"v": value})
    assert len(connector.findings()) == before


@settings(max_examples=30)
@given(value=json_values, bad=st.sampled_from([math.nan, math.inf, -math.inf]))
def test_a_non_finite_number_is_reported_at_its_path(echo: tuple[JsConnector, list[str]], value: Any, bad: float) -> None:
    connector, heard = echo
    before = len(connector.findings())
    connector.emit("eval", f"echo({{wrapped: [{json.dumps(value)}, {'NaN' if math.isnan(bad) else ('Infinity' if bad > 0 else '-Infinity')}]}})")
    assert numbers_as_floats(json.loads(heard[-1])) == numbers_as_floats({"wrapped": [value, None]})
    (finding,) = connector.findings()[before:]
    assert (finding.rule, finding.path) == ("json.not_serializable", "$.wrapped[1]")
