"""JSON text that JSON.parse would reject, or that Python's json would misread, is a located ``json.*`` violation."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest

from pytest_snapshot_cti import assert_valid_event, validate_event
from pytest_snapshot_cti.reader import ReadError, iter_file, loads_strict

CASES: list[tuple[str, Any, str, str]] = [
    (
        "duplicate key",
        '{"pyAgentState": "Ready", "pyAgentState": "Busy"}',
        "json.duplicate_key",
        "duplicate key 'pyAgentState' in one object (JSON.parse keeps the last, so a value is silently lost)",
    ),
    ("NaN", '{"pyAgentId": NaN}', "json.nan", "NaN is not valid JSON (JSON.parse rejects NaN and Infinity)"),
    ("Infinity", '{"pyAgentId": -Infinity}', "json.nan", "-Infinity is not valid JSON (JSON.parse rejects NaN and Infinity)"),
    ("invalid UTF-8", b'{"pyAgentId": "55\xff01"}', "json.encoding", "not valid UTF-8: byte 0xff at offset 17 (invalid start byte)"),
    (
        "BOM in text",
        '\ufeff{"pyEventType": "SnapshotEvent"}',
        "json.bom",
        "starts with a UTF-8 byte-order mark (U+FEFF); JSON text must not, and JSON.parse rejects it",
    ),
    (
        "BOM in bytes",
        b'\xef\xbb\xbf{"pyEventType": "SnapshotEvent"}',
        "json.bom",
        "starts with a UTF-8 byte-order mark (U+FEFF); JSON text must not, and JSON.parse rejects it",
    ),
    (
        "trailing data",
        '{"pyEventType": "SnapshotEvent"} {"x": 1}',
        "json.trailing_data",
        "unexpected data after the JSON value at offset 33: '{\"x\": 1}'",
    ),
    ("not an object", '["pyEventType", "SnapshotEvent"]', "json.not_object", "an event must be a JSON object, got array"),
    ("a bare string", '"SnapshotEvent"', "json.not_object", "an event must be a JSON object, got string"),
    ("syntax", '{"pyAgentId": "5501",}', "json.syntax", "not valid JSON: Illegal trailing comma before end of object at column 21"),
    ("truncated", '{"pyAgentId": "55', "json.syntax", "not valid JSON: Unterminated string starting at column 15 (truncated?)"),
    ("empty", "   ", "json.empty", "empty input: no JSON value"),
    (
        "NUL in a string",
        '{"pyAgentId": "55\x0001"}',
        "json.syntax",
        "not valid JSON: Invalid control character '\\x00' at column 18 (control characters such as NUL must be escaped)",
    ),
    (
        "a NUL where a value belongs",
        '{"pyAgentId": \x00}',
        "json.syntax",
        "not valid JSON: control character '\\x00' at column 15, where a value was expected (a NUL byte in the stream?)",
    ),
    ("overflowing float", '{"pyAgentId": 1e400}', "json.number", "number 1e400 overflows a double (JSON.parse would read Infinity)"),
    (
        "deep nesting",
        "[" * 100_000 + "]" * 100_000,
        "json.depth",
        "nested more than 256 levels deep (arrays or objects inside each other)",
    ),
    (
        "257 levels, within Python's own limit",
        "[" * 257 + "]" * 257,
        "json.depth",
        "nested more than 256 levels deep (arrays or objects inside each other)",
    ),
    (
        "256 levels inside an event",
        '{"x": ' + "[" * 256 + "]" * 256 + "}",
        "json.depth",
        "nested more than 256 levels deep (arrays or objects inside each other)",
    ),
    (
        "a form feed before the event",
        '\f{"pyAgentId": "5501"}',
        "json.syntax",
        "not valid JSON: control character '\\x0c' at column 1, where a value was expected (JSON allows only space, tab, CR and LF between values)",
    ),
    (
        "a no-break space before the event",
        '\u00a0{"pyAgentId": "5501"}',
        "json.syntax",
        "not valid JSON: U+00A0 '\\xa0' at column 1, where a value was expected (JSON allows only space, tab, CR and LF between values)",
    ),
    (
        "an ideographic space before a value",
        '{"pyAgentId":\u3000"5501"}',
        "json.syntax",
        "not valid JSON: U+3000 '\\u3000' at column 14, where a value was expected (JSON allows only space, tab, CR and LF between values)",
    ),
    (
        "a line separator after the event",
        '{"pyAgentId": "5501"}\u2028',
        "json.trailing_data",
        "unexpected data after the JSON value at offset 21: '\\u2028'",
    ),
]


@pytest.mark.parametrize(("text", "rule", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_json_text_is_a_violation_not_an_exception(text: Any, rule: str, message: str) -> None:
    (violation,) = validate_event(text)
    assert (violation.rule, violation.severity, violation.path) == (rule, "error", "$")
    assert violation.message == message


def test_nesting_up_to_the_limit_is_read() -> None:
    assert [v.rule for v in validate_event("[" * 256 + "]" * 256)] == ["json.not_object"]
    assert validate_event('{"pyEventType": "AgentStateEvent", "x": ' + "[" * 255 + "]" * 255 + "}") == []
    assert validate_event('{"pyEventType": "AgentStateEvent", "x": "' + "[" * 5000 + '"}') == []  # brackets in a string do not nest


def test_a_mapping_nested_too_deep_is_a_violation_not_a_recursion_error() -> None:
    """The text limit holds for mappings, whether or not the schema looks there; tuples count as
    the arrays JSON writes them as; other containers too deep for a message to quote never raise."""
    deep: list[Any] = []
    for _ in range(5000):
        deep = [deep]
    nested: tuple[Any, ...] = ()
    for _ in range(5000):
        nested = (nested,)
    for value in (deep, nested):
        for event in ({"pyEventType": "AgentStateEvent", "pyMedia": value}, {"pyEventType": "AgentStateEvent", "xVendor": value}):
            (violation,) = validate_event(event)
            assert (violation.rule, violation.message) == (
                "json.depth",
                "nested more than 256 levels deep (arrays or objects inside each other)",
            )
    fine: list[Any] = []
    for _ in range(254):
        fine = [fine]
    assert validate_event({"pyEventType": "AgentStateEvent", "xVendor": fine}) == []  # 255 lists in the event: 256 levels
    assert [v.rule for v in validate_event({"pyEventType": "AgentStateEvent", "xVendor": [fine]})] == ["json.depth"]
    proxy: Any = MappingProxyType({})
    for _ in range(5000):
        proxy = MappingProxyType({"x": proxy})
    (violation,) = validate_event({"pyEventType": "AgentStateEvent", "pyMedia": proxy})  # quoting it may exhaust the stack
    assert violation.rule in ("json.depth", "schema.type")


@pytest.mark.parametrize("profile", ["published", "strict"])
@pytest.mark.parametrize(
    ("event", "path", "message"),
    [
        ({"pyEventType": "AgentStateEvent", 1: "x"}, "$", "object key 1 is a int, not a string"),
        (
            {"pyEventType": "SnapshotEvent", "pyLines": [{"pyCallId": "c-1", None: "x"}]},
            "$.pyLines[0]",
            "object key None is a NoneType, not a string",
        ),
        ({"pyEventType": "SnapshotEvent", "pyLines": [{(1, 2): "x"}]}, "$.pyLines[0]", "object key (1, 2) is a tuple, not a string"),
    ],
    ids=["int", "None in a line", "tuple"],
)
def test_a_mapping_key_that_is_not_a_string_is_a_violation(profile: str, event: dict[Any, Any], path: str, message: str) -> None:
    (violation,) = validate_event(event, profile=profile)
    assert (violation.rule, violation.path, violation.message) == ("json.not_serializable", path, message)
    assert violation.hint == "JSON object keys are strings: use str(key)"


def test_huge_integers_are_read_or_reported_never_raised() -> None:
    (violation,) = validate_event('{"pyAgentId": ' + "9" * 5000 + "}")
    assert violation.rule == "json.number"
    assert violation.message == "number too large to read exactly: an integer of more than 4300 digits (send such ids as strings)"


def test_assertion_on_bad_text_names_the_reading_problem() -> None:
    with pytest.raises(AssertionError, match=r"\$: duplicate key 'pyAgentState' in one object .* \[json.duplicate_key\]"):
        assert_valid_event('{"pyAgentState": "Ready", "pyAgentState": "Busy"}')


def test_multiline_text_reports_line_and_column() -> None:
    with pytest.raises(ReadError) as info:
        loads_strict('{\n  "pyAgentId": "5501"\n  "pyThisDN": "8808"\n}')
    assert info.value.message == "not valid JSON: Expecting ',' delimiter at line 3 column 3"


def test_files_are_read_with_locations(tmp_path: Any) -> None:
    capture = tmp_path / "login.cti.jsonl"
    capture.write_bytes(b'{"pyEventType": "SnapshotEvent"}\r\n\r\n{"a": 1, "a": 2}\n[1]\n{"pyEventType": "Agent')
    items = list(iter_file(capture, display="login.cti.jsonl"))
    assert [(i.location, i.readable) for i in items] == [
        ("login.cti.jsonl:1", True),
        ("login.cti.jsonl:3", False),
        ("login.cti.jsonl:4", True),
        ("login.cti.jsonl:5", False),
    ]
    assert items[1].error is not None
    assert items[1].error.rule == "json.duplicate_key"
    assert items[3].error is not None
    assert items[3].error.format() == (
        "login.cti.jsonl:5 $: not valid JSON: Unterminated string starting at column 17 (truncated?) [json.syntax]"
    )


def test_json_array_files_locate_each_event_by_line(tmp_path: Any) -> None:
    capture = tmp_path / "calls.cti.json"
    capture.write_text('[\n  {"pyEventType": "SnapshotEvent"},\n\n  {\n    "pyEventType": "CallStateEvent"\n  }\n]\n', encoding="utf-8")
    assert [(i.location, i.document["pyEventType"]) for i in iter_file(capture, display="calls.cti.json")] == [
        ("calls.cti.json:2", "SnapshotEvent"),
        ("calls.cti.json:4", "CallStateEvent"),
    ]
