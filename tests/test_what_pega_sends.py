"""The contract matches what Pega itself sends (errata E25–E29), through validate_event, the recorder and the CLI.

E25 ``Offering`` is a CallEvent name; E26 an event without pyEventType is checked as the kind its
fields show; E27 strict names Pega's own extension fields; E28/E29 the enum beats the property table.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import EventFactory, EventRecorder, load_contract, validate_event
from pytest_snapshot_cti.bulk import BulkValidator, EventResult
from pytest_snapshot_cti.cli import generate, main
from pytest_snapshot_cti.kind_detection import TELLTALE_FIELDS, detect
from pytest_snapshot_cti.scenarios import LINE_STATE_OF_CALL_EVENT, Script
from pytest_snapshot_cti.strategies import events

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

CALL_NAMES = ["Abandoned", "Alerting", "Connected", "Disconnected", "Established", "Held", "Initiated", "Offering", "Retrieved"]
ENUM = "['Abandoned', 'Alerting', 'Connected', 'Disconnected', 'Established', 'Held', 'Initiated', 'Offering', 'Retrieved']"
OFFERING = {
    "pyEventType": "CallStateEvent",
    "pyEventName": "Offering",
    "pyCallId": "4953",
    "pyCallType": "INBOUND",
    "pyANI": "16175551212",
    "pyOtherDN": "16175551212",
    "pyMedia": "Phone",
}
#: The call event Pega's embedded Talkdesk connector builds: no pyEventType, two fields no schema lists.
PEGA_EMBEDDED = {
    "pyCallId": "4953",
    "pyInteractionID": "4953",
    "pyMedia": "Phone",
    "pyEventName": "Offering",
    "pyEventString": "Offering",
    "pyCallType": "INBOUND",
    "pyOtherDN": "16175551212",
    "pyANI": "16175551212",
}
SNAPSHOT = {
    "pyEventType": "SnapshotEvent",
    "pyEventName": "Snapshot",
    "pyAgentId": "5501",
    "pyAgentState": "Ready",
    "pyThisDN": "8808",
    "pyLinkState": "CONNECTED",
    "pyDeviceState": "OPENED",
    "pyMedia": "Phone",
    "pyReasonCode": "",
    "pyLines": [],
}
DETECTED_CALL = "event has no pyEventType; checked as a CallStateEvent (recognised by pyANI, pyCallType, pyOtherDN)"
ADD_TYPE = 'add "pyEventType": "CallStateEvent"; the published contracts dispatch on it (erratum E26)'
RINGING_HINT = (
    "did you mean 'Offering' or 'Alerting'? Pega Call maps 'Ringing' to 'Offering', its event for a new inbound call "
    "(erratum E25); 'Alerting' is the schema's own word"
)


def found(event: Any, **kwargs: Any) -> list[tuple[str, str, str, str, str | None]]:
    return [(v.rule, v.severity, v.path, v.message, v.hint) for v in validate_event(event, **kwargs)]


def jsonl(path: Path, *events: Any) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path


def literal(text: str) -> str:
    """``text`` as an fnmatch pattern that matches only itself."""
    return re.sub(r"([\[\]*?])", r"[\1]", text)


# -- E25: Offering --------------------------------------------------------------------------------
@pytest.mark.parametrize("profile", ["published", "strict"])
def test_offering_is_a_call_event_name_under_both_profiles(profile: str) -> None:
    assert validate_event(OFFERING, profile=profile) == []
    assert load_contract(profile).schema("call")["properties"]["pyEventName"]["enum"] == CALL_NAMES


@pytest.mark.parametrize("word", ["Ringing", "Delivered"])
def test_words_pega_maps_to_offering_name_offering_and_alerting(word: str) -> None:
    assert found({**OFFERING, "pyEventName": word}) == [
        ("schema.enum", "error", "$.pyEventName", f"'{word}' is not one of {ENUM}", RINGING_HINT.replace("Ringing", word)),
    ]


def test_offering_in_a_snapshot_line_points_to_alerting() -> None:
    snapshot = {**SNAPSHOT, "pyLines": [{"pyCallId": "4953", "pyLineState": "Offering"}]}
    ((rule, _, path, _, hint),) = found(snapshot)
    assert (rule, path, hint) == (
        "schema.enum",
        "$.pyLines[0].pyLineState",
        "did you mean 'Alerting'? 'Offering' names a call event; a Snapshot line being offered a call is 'Alerting'",
    )
    ringing = {**snapshot, "pyLines": [{"pyCallId": "4953", "pyLineState": "Ringing"}]}
    assert found(ringing)[0][4] == "did you mean 'Alerting'? 'Ringing' is vendor vocabulary; map it to the OpenCTI value"


def test_offering_in_other_casing_is_s4() -> None:
    ((rule, _, _, _, hint),) = found({**OFFERING, "pyEventName": "OFFERING"})
    assert (rule, hint) == ("S4", "did you mean 'Offering'? enum values are case-sensitive")


def test_factory_makes_offering_only_when_asked_and_inbound() -> None:
    factory = EventFactory(11, profile="strict")
    event = factory.call_event("Offering")
    assert (event["pyEventName"], event["pyCallType"], event["pyANI"]) == ("Offering", "INBOUND", event["pyOtherDN"])
    assert load_contract("strict").validate(event) == []
    assert factory.call_event("Offering", call_type="INTERNAL")["pyCallType"] == "INTERNAL"
    drawn = {EventFactory(seed).call_event()["pyEventName"] for seed in range(300)}
    assert "Offering" not in drawn  # the random pool predates E25: seeded output does not drift
    coverage = EventFactory(5).event_coverage()
    assert coverage[-1]["pyEventName"] == "Offering"


def test_seeded_generate_output_is_unchanged_by_offering() -> None:
    """`generate --seed` is byte-identical per seed; the call pool never yields Offering."""
    out = io.StringIO()
    generate(out, count=500, seed=3, kind="call")
    names = {json.loads(line)["pyEventName"] for line in out.getvalue().splitlines()}
    assert names == set(CALL_NAMES) - {"Offering"}


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["published", "strict"]), st.data())
def test_strategies_draw_offering_and_it_validates(profile: str, data: st.DataObject) -> None:
    event = data.draw(events("call", profile))
    assert load_contract(profile).validate(event, observe=False) == []


def test_strategies_reach_offering() -> None:
    event = find(events("call", "strict", realistic=True), lambda e: e.get("pyEventName") == "Offering")
    assert load_contract("strict").validate(event, observe=False) == []


def test_an_offered_call_becomes_an_alerting_line_in_scenarios() -> None:
    assert LINE_STATE_OF_CALL_EVENT["Offering"] == "Alerting"
    factory = EventFactory(21, profile="strict")
    script = Script(factory, factory.agent_id, factory.extension)
    script.logged_in()
    script.call_offered("77", factory.external_number(), event_name="Offering")
    script.snapshot()
    script.answer("77")
    script.snapshot()
    assert [e.get("pyLines") for e in script.events if e["pyEventType"] == "SnapshotEvent"][-2:] == [
        [{"pyCallId": "77", "pyLineState": "Alerting"}],
        [{"pyCallId": "77", "pyLineState": "Connected"}],
    ]
    contract = load_contract("strict")
    assert [v for e in script.events for v in contract.validate(e, observe=False)] == []
    assert contract.check_stream(script.events, login={"agent_id": factory.agent_id, "extension": factory.extension}) == []


# -- E26: events without pyEventType ------------------------------------------------------------
def test_pegas_own_call_event_is_checked_as_a_call_event() -> None:
    assert found(PEGA_EMBEDDED) == [("kind.unknown", "warning", "$.pyEventType", DETECTED_CALL, ADD_TYPE)]


def test_the_issue_example_is_no_longer_valid_unchecked() -> None:
    assert found({"pyCallId": 4953, "pyEventName": "Offering", "pyCallType": "INBOUND"}) == [
        (
            "kind.unknown",
            "warning",
            "$.pyEventType",
            "event has no pyEventType; checked as a CallStateEvent (recognised by pyCallType)",
            ADD_TYPE,
        ),
        ("S3", "error", "$.pyCallId", "4953 is not of type 'string'", 'send identifiers as JSON strings: "4953"'),
    ]


@pytest.mark.parametrize(
    ("event", "checked_as", "rule", "path"),
    [
        ({"pyEventName": "Ringing", "pyOtherDN": "8809"}, "CallStateEvent (recognised by pyOtherDN)", "schema.enum", "$.pyEventName"),
        ({"pyCallId": "1", "pyParties": [{"pyDN": 16175551212}]}, "PartyInfoEvent (recognised by pyParties)", "S3", "$.pyParties[0].pyDN"),
        ({"pyEventName": "Busy", "pyWorkMode": "ACW"}, "AgentStateEvent (recognised by pyWorkMode)", "schema.enum", "$.pyEventName"),
    ],
    ids=["call", "party", "agent"],
)
def test_each_sibling_kind_is_recognised_by_its_own_fields(event: dict[str, Any], checked_as: str, rule: str, path: str) -> None:
    unknown, problem = validate_event(event)
    assert (unknown.rule, unknown.message) == ("kind.unknown", f"event has no pyEventType; checked as a {checked_as}")
    assert (problem.rule, problem.severity, problem.path) == (rule, "error", path)


def test_fields_of_two_kinds_or_none_leave_the_event_unchecked() -> None:
    ((rule, severity, _, message, hint),) = found({"pyCallId": 1, "pyParties": [], "pyCallType": "X"})
    assert (rule, severity, message) == (
        "kind.unknown",
        "warning",
        "event has no pyEventType and carries fields of more than one kind (CallStateEvent: pyCallType; PartyInfoEvent: pyParties), "
        "so no contract applies",
    )
    assert hint == "send one of 'SnapshotEvent', 'AgentStateEvent', 'CallStateEvent', 'PartyInfoEvent', 'CallInfoEvent'"
    assert [v.message for v in validate_event({"pyCallId": 1, "pyEventName": "Offering"})] == [
        "event has no pyEventType, so no contract applies"
    ]


def test_snapshot_only_fields_still_make_a_snapshot() -> None:
    event = {k: v for k, v in SNAPSHOT.items() if k != "pyEventType"} | {"pyAgentState": "READY", "pyANI": "1"}
    assert [(v.rule, v.path) for v in validate_event(event)] == [("S4", "$.pyAgentState")]  # pyLines decides, as before (E5)


def test_strict_reports_the_missing_type_and_checks_the_rest() -> None:
    strict = load_contract("strict", allow_extra=["pyInteractionID", "pyEventString"])
    assert [(v.rule, v.severity, v.path) for v in strict.validate(PEGA_EMBEDDED)] == [
        ("kind.unknown", "error", "$.pyEventType"),
        ("S5", "error", "$.pyEventType"),
    ]


def test_disabling_kind_unknown_keeps_the_check() -> None:
    assert [v.rule for v in validate_event({**PEGA_EMBEDDED, "pyCallId": 4953}, disable=["kind.unknown"])] == ["S3"]
    assert validate_event({**PEGA_EMBEDDED, "pyCallId": 4953}, kind="call")[0].rule == "S3"  # a forced kind: no kind.unknown


def test_detection_reads_only_the_telltale_fields() -> None:
    for kind, fields in TELLTALE_FIELDS.items():
        for name in fields:
            assert detect({name: None}).kind == kind
    assert detect({"pyCallId": "1", "pyEventName": "Offering", "pyMedia": "Phone", "pyThisDN": "8808"}).kind is None


def test_recorder_counts_an_untyped_call_event_as_a_call_event() -> None:
    recorder = EventRecorder()
    recorder.expect_login(agent_id="5501", extension="8808")
    recorder(PEGA_EMBEDDED)
    recorder(SNAPSHOT)
    assert recorder.last("CallStateEvent") == PEGA_EMBEDDED
    assert [(v.rule, v.location) for v in recorder.validate()] == [
        ("kind.unknown", "event #1 (CallStateEvent)"),
        ("L1", "event #1 (CallStateEvent)"),  # Pega Call would get a call before any Snapshot
    ]


CONNECTOR = """
EVENT = {"pyCallId": CALL_ID, "pyInteractionID": "4953", "pyMedia": "Phone", "pyEventName": "Offering",
         "pyEventString": "Offering", "pyCallType": "INBOUND", "pyOtherDN": "16175551212", "pyANI": "16175551212"}
SNAPSHOT = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "5501", "pyThisDN": "8808",
            "pyAgentState": "Ready", "pyLinkState": "CONNECTED", "pyDeviceState": "OPENED", "pyLines": []}

def test_offered_call(cti_recorder):
    cti_recorder(SNAPSHOT)
    cti_recorder(EVENT)
    assert cti_recorder.last("CallStateEvent")["pyEventName"] == "Offering"
"""


@pytest.mark.parametrize("args", [["-p", "no:randomly"], ["-p", "no:randomly", "--assert=plain"], ["-p", "no:randomly", "-n", "2"]])
def test_recorder_checks_an_untyped_call_event_in_teardown(pytester: pytest.Pytester, args: list[str]) -> None:
    pytester.makepyfile(test_good=CONNECTOR.replace("CALL_ID", '"4953"'), test_bad=CONNECTOR.replace("CALL_ID", "4953"))
    result = pytester.runpytest(*args)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_offered_call*",
            "cti_recorder (2 events forwarded) violates the Pega OpenCTI contract (profile: published) — 1 error, 1 warning:",
            literal(
                "  event #2 (CallStateEvent) $.pyCallId: 4953 is not of type 'string' (send identifiers as JSON strings: \"4953\") [S3]"
            ),
            literal(f"  warning: event #2 (CallStateEvent) $.pyEventType: {DETECTED_CALL} ({ADD_TYPE}) [kind.unknown]"),
        ]
    )
    result.stdout.fnmatch_lines(["*CallStateEvent.pyEventName  1/9 — never: Abandoned, Alerting, Connected, Disconnected, *"])
    assert "Offering" not in result.stdout.str().split("CallStateEvent.pyEventName")[-1].splitlines()[0]
    assert "Traceback" not in result.stdout.str()


def test_capture_file_checks_untyped_call_events(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cti.jsonl", talkdesk=json.dumps(SNAPSHOT) + "\n" + json.dumps({**PEGA_EMBEDDED, "pyCallId": 4953}) + "\n")
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "talkdesk.cti.jsonl violates the Pega OpenCTI contract (profile: published) — 1 error, 1 warning:",
            literal("  talkdesk.cti.jsonl:2 $.pyCallId: 4953 is not of type 'string' (send identifiers as JSON strings: \"4953\") [S3]"),
            literal(f"  warning: talkdesk.cti.jsonl:2 $.pyEventType: {DETECTED_CALL} ({ADD_TYPE}) [kind.unknown]"),
            "2 events: 1 valid, 1 invalid, 0 unreadable",
        ]
    )


def test_cli_checks_untyped_call_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "talkdesk.jsonl", PEGA_EMBEDDED, {**PEGA_EMBEDDED, "pyCallId": 4953})
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{path}:1 warning: $.pyEventType: {DETECTED_CALL} ({ADD_TYPE}) [kind.unknown]" in out
    assert f"{path}:2 $.pyCallId: 4953 is not of type 'string' (send identifiers as JSON strings: \"4953\") [S3]" in out
    assert main(["validate", str(jsonl(tmp_path / "ok.jsonl", PEGA_EMBEDDED))]) == 0  # a warning alone passes
    capsys.readouterr()


def _untyped_lines(profile: str) -> bytes:
    """Factory events of every sibling kind and their labelled mutants, with pyEventType removed."""
    out = io.StringIO()
    for n, kind in enumerate(("agent", "call", "party")):
        generate(out, count=400, seed=50 + n, kind=kind, invalid=0.5, profile=profile)
    lines = []
    for line in out.getvalue().splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        if isinstance(event, dict):
            event.pop("pyEventType", None)
            line = json.dumps(event)
        lines.append(line)
    lines += [json.dumps(PEGA_EMBEDDED), json.dumps({"pyCallId": 1, "pyParties": [], "pyANI": "1"}), json.dumps({"pyCallId": "1"})]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("profile", ["published", "strict"])
def test_cli_fast_paths_and_the_engine_agree_on_untyped_events(tmp_path: Path, profile: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = _untyped_lines(profile)
    path = tmp_path / "untyped.jsonl"
    path.write_bytes(data)
    main(["validate", "--format", "json", "--profile", profile, str(path)])
    report = json.loads(capsys.readouterr().out)
    got: dict[str, list[dict[str, Any]]] = {}
    for finding in report["findings"]:
        got.setdefault(finding["location"], []).append({k: v for k, v in finding.items() if k != "verdict"})
    contract = load_contract(profile)
    expected: dict[str, list[dict[str, Any]]] = {}
    for number, line in enumerate(data.splitlines(), start=1):
        violations = contract.validate(line.decode("utf-8"))
        if violations:
            expected[f"{path}:{number}"] = [v.at(f"{path}:{number}").to_dict() for v in violations]
    assert got == expected
    checked_as = [f for found in got.values() for f in found if f["rule"] == "kind.unknown" and "checked as a" in f["message"]]
    assert len(checked_as) > 1000  # detection did the work, not a pass-through
    engine_only = {
        o.location: [v.to_dict() for v in o.violations]
        for o in BulkValidator(contract, fast=False).validate_stream(io.BytesIO(data), str(path))
        if isinstance(o, EventResult) and o.violations
    }
    assert engine_only == expected


# -- E27: Pega's extension fields under strict -------------------------------------------------
def test_strict_names_pegas_own_extension_fields_and_how_to_allow_them() -> None:
    typed = {**PEGA_EMBEDDED, "pyEventType": "CallStateEvent"}
    assert found(typed, profile="strict") == [
        (
            "schema.additionalProperties",
            "error",
            f"$.{name}",
            f"'{name}' is not a property of the CallStateEvent contract (the strict profile closes objects); "
            "Pega's own connector code sends it, but no published schema lists it (erratum E27)",
            f"allow it with allow_extra=['{name}'] in load_contract or the cti marker, --cti-allow-extra {name} or the "
            f"cti_allow_extra ini key under pytest, --allow-extra {name} with snapshot-cti",
        )
        for name in ("pyInteractionID", "pyEventString")
    ]
    assert validate_event(typed) == []  # published objects are open
    assert load_contract("strict", allow_extra=["pyInteractionID", "pyEventString"]).validate(typed) == []


def test_other_extra_fields_keep_the_documented_extension_hint() -> None:
    ((_, _, _, message, hint),) = found({**OFFERING, "xQueue": "sales"}, profile="strict")
    assert message == "'xQueue' is not a property of the CallStateEvent contract (the strict profile closes objects)"
    assert hint is not None
    assert hint.startswith("if it is a documented extension, allow it with allow_extra=['xQueue']")


STRICT_CONNECTOR = """
import pytest

EVENT = {"pyEventType": "CallStateEvent", "pyCallId": "4953", "pyInteractionID": "4953", "pyMedia": "Phone",
         "pyEventName": "Offering", "pyEventString": "Offering", "pyCallType": "INBOUND", "pyOtherDN": "1", "pyANI": "1"}

MARK
def test_offered_call(cti_recorder):
    cti_recorder(EVENT)
"""


@pytest.mark.parametrize(
    ("mark", "args", "outcome"),
    [
        ("", [], {"errors": 1, "passed": 1}),
        ("", ["--cti-allow-extra", "pyInteractionID,pyEventString"], {"passed": 1}),
        ("@pytest.mark.cti(allow_extra=['pyInteractionID', 'pyEventString'])", [], {"passed": 1}),
    ],
    ids=["closed", "option", "marker"],
)
def test_strict_recorder_names_extension_fields_until_allowed(
    pytester: pytest.Pytester, mark: str, args: list[str], outcome: dict[str, int]
) -> None:
    pytester.makepyfile(test_strict=STRICT_CONNECTOR.replace("MARK", mark))
    result = pytester.runpytest("-p", "no:randomly", "--cti-profile", "strict", *args)
    result.assert_outcomes(**outcome)
    if outcome.get("errors"):
        result.stdout.fnmatch_lines(
            ["  event #1 (CallStateEvent) $.pyInteractionID: *Pega's own connector code sends it*--cti-allow-extra*"]
        )


def test_cli_allow_extra_accepts_pegas_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "typed.jsonl", {**PEGA_EMBEDDED, "pyEventType": "CallStateEvent"})
    assert main(["validate", "--profile", "strict", str(path)]) == 1
    assert "Pega's own connector code sends it, but no published schema lists it (erratum E27)" in capsys.readouterr().out
    assert main(["validate", "--profile", "strict", "--allow-extra", "pyInteractionID,pyEventString", str(path)]) == 0
    capsys.readouterr()


# -- E28, E29: the enum beats the property table -----------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "member", "erratum"),
    [
        ("pyDeviceState", "Opened", "OPENED", "E28"),
        ("pyDeviceState", "Closed", "CLOSED", "E28"),
        ("pyLinkState", "Connected", "CONNECTED", "E29"),
    ],
)
def test_property_table_spellings_are_s4_and_the_hint_says_the_enum_wins(field: str, value: str, member: str, erratum: str) -> None:
    event = {**SNAPSHOT, field: value}
    if value == "Closed":
        event["pyAgentState"] = "NotReady"
    ((rule, severity, path, _, hint),) = found(event)
    assert (rule, severity, path) == ("S4", "error", f"$.{field}")
    assert hint == (
        f"did you mean '{member}'? the Snapshot property table's {field} writes '{value}', "
        f"but the schema's enum says '{member}' and the enum wins (erratum {erratum})"
    )


def test_other_case_slips_keep_the_plain_case_hint() -> None:
    ((_, _, _, _, hint),) = found({**SNAPSHOT, "pyDeviceState": "opened"})
    assert hint == "did you mean 'OPENED'? enum values are case-sensitive"
    assert validate_event({**SNAPSHOT, "pyAgentState": "Busy", "pyLines": [{"pyCallId": "1", "pyLineState": "Connected"}]}) == []


def test_cli_shows_the_erratum_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = jsonl(tmp_path / "s.jsonl", {**SNAPSHOT, "pyDeviceState": "Opened"})
    assert main(["validate", str(path)]) == 1
    assert (
        f"{path}:1 $.pyDeviceState: 'Opened' is not one of ['OPENED', 'CLOSED'] (did you mean 'OPENED'? the Snapshot property "
        "table's pyDeviceState writes 'Opened', but the schema's enum says 'OPENED' and the enum wins (erratum E28)) [S4]"
    ) in capsys.readouterr().out
