"""The contract matches what Pega itself sends (erratum E25), through validate_event, the recorder and the CLI.

E25 ``Offering`` is a CallEvent name, made by the factories on request and mapped to line state Alerting.
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

from pytest_snapshot_cti import EventFactory, load_contract, validate_event
from pytest_snapshot_cti.cli import generate
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
    script.call("Offering", "77", "INBOUND", factory.external_number())
    script.snapshot("Busy")
    script.call("Established", "77", "INBOUND", factory.external_number())
    script.snapshot("Busy")
    assert [e.get("pyLines") for e in script.events if e["pyEventType"] == "SnapshotEvent"][-2:] == [
        [{"pyCallId": "77", "pyLineState": "Alerting"}],
        [{"pyCallId": "77", "pyLineState": "Connected"}],
    ]
    contract = load_contract("strict")
    assert [v for e in script.events for v in contract.validate(e, observe=False)] == []
    assert contract.check_stream(script.events, login={"agent_id": factory.agent_id, "extension": factory.extension}) == []
