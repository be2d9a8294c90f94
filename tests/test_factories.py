"""EventFactory: presets valid under strict, enum coverage from the schema, determinism, overrides."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pytest_snapshot_cti
from pytest_snapshot_cti import ContractViolationError, load_contract
from pytest_snapshot_cti.factories import PRESETS, EventFactory, InvalidOverrideError, stable_seed
from pytest_snapshot_cti.schemas import KINDS

STRICT = load_contract("strict")
SEEDS = range(1000)
REQUIRED_PRESETS = {
    "logged_out",
    "login",
    "ready",
    "not_ready",
    "after_call_work",
    "ringing",
    "dialing",
    "on_call",
    "on_hold",
    "consult",
    "conference",
    "link_down",
    "device_closed",
    "unknown",
}


def enum_fields(schema: dict, prefix: str = "") -> dict[str, set[str]]:
    """Every enum in a schema, by dotted path (``pyLines[].pyLineState`` for array items)."""
    found: dict[str, set[str]] = {}
    for name, prop in schema.get("properties", {}).items():
        if "enum" in prop:
            found[prefix + name] = set(prop["enum"])
        items = prop.get("items")
        if isinstance(items, dict):
            found.update(enum_fields(items, f"{prefix}{name}[]."))
    return found


def values_at(event: dict, path: str) -> set[str]:
    if "[]." in path:
        array, field = path.split("[].", 1)
        return {item[field] for item in event.get(array, []) if field in item}
    return {event[path]} if path in event else set()


def test_every_required_preset_exists() -> None:
    assert set(PRESETS) >= REQUIRED_PRESETS


@pytest.mark.parametrize("chunk", range(4))
def test_every_preset_is_strictly_valid_for_a_thousand_seeds(chunk: int) -> None:
    checked = 0
    for seed in SEEDS[chunk::4]:
        factory = EventFactory(seed)
        for preset in PRESETS:
            snap = factory.snapshot(preset)
            assert STRICT.validate(snap) == [], (seed, preset, snap)
            checked += 1
    assert checked == len(SEEDS) // 4 * len(PRESETS)


@given(seed=st.integers(0, 2**64), preset=st.sampled_from(PRESETS), locale=st.sampled_from([None, "en_US", "de_DE", "ja_JP", "pt_BR"]))
def test_any_seed_and_locale_gives_valid_snapshots(seed: int, preset: str, locale: str | None) -> None:
    factory = EventFactory(seed, locale=locale)
    assert STRICT.validate(factory.snapshot(preset)) == []
    assert all(STRICT.validate(s) == [] for s in factory.snapshots(3))


def test_presets_describe_their_state() -> None:
    factory = EventFactory(7)
    on_hold = factory.snapshot("on_hold")
    assert (on_hold["pyAgentState"], [line["pyLineState"] for line in on_hold["pyLines"]]) == ("Busy", ["Holding"])
    consult = factory.snapshot("consult")
    assert [line["pyLineState"] for line in consult["pyLines"]] == ["Holding", "Initiate"]
    link_down = factory.snapshot("link_down")
    assert (link_down["pyLinkState"], link_down["pyAgentState"], link_down["pyLines"]) == ("DISCONNECTED", "Unknown", [])
    closed = factory.snapshot("device_closed")
    assert (closed["pyDeviceState"], closed["pyLines"]) == ("CLOSED", [])
    acw = factory.snapshot("after_call_work")
    assert acw["pyAgentState"] == "NotReady"
    assert acw["pyReasonCode"] in {"AfterCallWork", "ACW", "WrapUp"}
    assert "pyWorkMode" not in acw  # a Snapshot has no work mode
    not_ready = factory.snapshot("not_ready")
    assert isinstance(not_ready["pyReasonCode"], str)
    assert not_ready["pyReasonCode"] not in ("", "0")
    assert factory.snapshot("logged_out")["pyDeviceState"] == "CLOSED"


def test_snapshot_coverage_covers_every_snapshot_enum_value_of_the_bundled_schema() -> None:
    factory = EventFactory(3)
    snaps = factory.snapshot_coverage()
    assert all(STRICT.validate(s) == [] for s in snaps)
    fields = enum_fields(STRICT.schema("snapshot"))
    assert {"pyAgentState", "pyDeviceState", "pyLinkState", "pyEventType", "pyLines[].pyLineState"} <= set(fields)
    # The one computed exception: a Snapshot carrying a sibling pyEventType breaks S1, so
    # those values are covered by event_coverage() (the documented ones) instead.
    sibling_types = {event_type for kind, (_, event_type) in KINDS.items() if kind != "snapshot"}
    expected = dict(fields)
    expected["pyEventType"] = fields["pyEventType"] - sibling_types - {"CallInfoEvent"}
    assert expected["pyEventType"] == {"SnapshotEvent"}
    for path, values in expected.items():
        seen = set().union(*(values_at(s, path) for s in snaps))
        assert seen == values, path


def test_event_coverage_covers_every_enum_of_every_documented_schema() -> None:
    events = EventFactory(5).event_coverage()
    assert all(STRICT.validate(e) == [] for e in events)
    seen_types = {e["pyEventType"] for e in events}
    snapshot_types = enum_fields(STRICT.schema("snapshot"))["pyEventType"]
    # CallInfoEvent has no published schema (erratum E24): nothing valid can be made of it.
    assert seen_types == snapshot_types - {"CallInfoEvent"}
    for kind, (_, event_type) in KINDS.items():
        of_kind = [e for e in events if e["pyEventType"] == event_type]
        for path, values in enum_fields(STRICT.schema(kind)).items():
            if kind == "snapshot" and path == "pyEventType":
                continue
            assert set().union(*(values_at(e, path) for e in of_kind)) == values, (kind, path)


def test_same_seed_same_events_and_different_seeds_differ() -> None:
    def everything(seed: int) -> str:
        f = EventFactory(seed)
        made = [f.snapshot(p) for p in PRESETS] + f.snapshots(20) + [f.agent_event(), f.call_event(), f.party_info()]
        made += f.scenario("inbound_call")
        return json.dumps(made)

    assert everything(11) == everything(11)
    outputs = {everything(seed) for seed in range(20)}
    assert len(outputs) == 20


def test_seed_none_draws_one_and_shows_it() -> None:
    factory = EventFactory()
    assert isinstance(factory.seed, int)
    again = EventFactory(factory.seed)
    assert again.snapshots(5) == factory.snapshots(5)
    assert str(factory.seed) in repr(factory)


def test_fakers_shared_random_and_the_global_random_are_untouched() -> None:
    from faker import Faker
    from faker.generator import random as faker_shared_random

    Faker()  # make sure the shared generator exists
    before_faker, before_global = faker_shared_random.getstate(), random.getstate()
    for locale in ("en_US", "fr_FR"):
        factory = EventFactory(123, locale=locale)
        factory.snapshots(50)
        factory.scenario("consult_transfer")
        factory.event_coverage()
    EventFactory()
    assert faker_shared_random.getstate() == before_faker
    assert random.getstate() == before_global


def test_one_factory_keeps_one_agent_and_extension() -> None:
    factory = EventFactory(9)
    snaps = factory.snapshots(200)
    assert {s["pyAgentId"] for s in snaps} == {factory.agent_id}
    assert {s["pyThisDN"] for s in snaps} == {factory.extension}
    assert re.fullmatch(r"\d{4,6}", factory.agent_id)
    assert re.fullmatch(r"\d{4,5}", factory.extension)
    party = factory.party_info()
    assert party["pyThisDN"] == factory.extension
    pinned = EventFactory(9, agent_id="5501", extension="8808")
    assert (pinned.snapshot("ready")["pyAgentId"], pinned.snapshot("ready")["pyThisDN"]) == ("5501", "8808")


def test_values_look_like_a_contact_centre() -> None:
    styles = {EventFactory(seed).call_id_style for seed in range(40)}
    assert styles == {"numeric", "uuid", "hex"}
    patterns = {"numeric": r"\d+", "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", "hex": r"[0-9A-F]{16}"}
    for seed in range(40):
        factory = EventFactory(seed)
        ids = [factory.new_call_id() for _ in range(50)]
        assert len(set(ids)) == 50
        assert all(re.fullmatch(patterns[factory.call_id_style], i) for i in ids)
        call = factory.call_event("Alerting", call_type="INBOUND")
        assert re.fullmatch(r"\d{10,13}", call["pyANI"])
        assert call["pyMedia"] == "Phone"


@pytest.mark.parametrize(("locale", "country_code"), [("en_US", "1"), ("de_DE", "49"), (["fr_FR", "en_US"], "33"), ("ja_JP", "81")])
def test_locale_shapes_phone_numbers(locale: str | list[str], country_code: str) -> None:
    factory = EventFactory(1, locale=locale)
    assert factory.locale == (locale if isinstance(locale, str) else locale[0])
    numbers = {factory.external_number() for _ in range(20)}
    assert all(n.startswith(country_code) for n in numbers)


def test_unknown_locale_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"^unknown Faker locale xx_YY"):
        EventFactory(1, locale="xx_YY")


def test_overrides_apply_and_stay_valid() -> None:
    factory = EventFactory(2, profile="strict")
    snap = factory.snapshot("on_hold", pyThisDN="8808", pyReasonCode="")
    assert snap["pyThisDN"] == "8808"
    lines = [{"pyCallId": "4953", "pyLineState": "Connected"}]
    batch = factory.snapshots(3, preset="on_call", pyLines=lines)
    assert [s["pyLines"] for s in batch] == [lines] * 3
    batch[0]["pyLines"][0]["pyCallId"] = "changed"
    assert batch[1]["pyLines"][0]["pyCallId"] == "4953"  # overrides are copied, never shared
    assert lines[0]["pyCallId"] == "4953"


def test_an_override_that_breaks_the_contract_names_the_rule() -> None:
    factory = EventFactory(2)
    with pytest.raises(InvalidOverrideError) as info:
        factory.snapshot("ready", pyAgentState="Busy")
    err = info.value
    assert isinstance(err, ContractViolationError)
    assert isinstance(err, ValueError)
    assert [v.rule for v in err.violations] == ["C5"]
    message = str(err)
    assert message.startswith("override breaks rule C5: EventFactory.snapshot('ready') with pyAgentState='Busy' violates")
    assert "no line is Alerting, Connected, Holding, Retrieved or Initiate" in message
    assert message.endswith("(pass validate=False to build an invalid event on purpose)")


@pytest.mark.parametrize(
    ("preset", "overrides", "rules"),
    [
        ("ready", {"pyAgentId": 5501}, ["S3"]),
        ("on_call", {"pyLinkState": "DISCONNECTED"}, ["C1", "C1"]),
        ("ready", {"pyAgentState": "READY"}, ["S4"]),
        ("ready", {"pyEventType": "CallStateEvent"}, ["S1"]),
        ("ready", {"pyReasonCode": "Lunch"}, ["C4"]),
        ("consult", {"pyLines": [{"pyCallId": "1", "pyLineState": "Holding"}, {"pyCallId": "1", "pyLineState": "Initiate"}]}, ["C6"]),
    ],
)
def test_override_errors_name_each_rule(preset: str, overrides: dict, rules: list[str]) -> None:
    with pytest.raises(InvalidOverrideError) as info:
        EventFactory(4, profile="strict").snapshot(preset, **overrides)
    assert [v.rule for v in info.value.violations] == rules
    assert f"[{rules[0]}]" in str(info.value)


def test_validate_false_builds_negative_cases_on_purpose() -> None:
    factory = EventFactory(4)
    snap = factory.snapshot("ready", validate=False, pyAgentState="Busy")
    assert snap["pyAgentState"] == "Busy"
    assert [v.rule for v in STRICT.validate(snap)] == ["C5"]
    assert factory.agent_event("Busy", validate=False)["pyEventName"] == "Busy"


def test_profile_decides_what_an_override_may_add() -> None:
    assert EventFactory(1).snapshot("ready", xVendorField="x")["xVendorField"] == "x"  # published: open objects
    with pytest.raises(InvalidOverrideError, match=r"schema\.additionalProperties|S5") as info:
        EventFactory(1, profile="strict").snapshot("ready", xVendorField="x")
    assert info.value.violations


def test_sibling_events_are_valid_and_accept_overrides() -> None:
    factory = EventFactory(6, profile="strict")
    agent = factory.agent_event("NotReady", acw=True)
    assert (agent["pyEventName"], agent["pyWorkMode"]) == ("NotReady", "ACW")
    assert factory.agent_event("NotReady", pyReasonCode="12")["pyReasonCode"] == "12"
    call = factory.call_event("Established", call_id="4953", call_type="OUTBOUND")
    assert (call["pyCallId"], call["pyCallType"], call["pyANI"]) == ("4953", "OUTBOUND", factory.extension)
    party = factory.party_info("4953", parties=["16175551212", "8809"])
    assert party["pyParties"] == [{"pyDN": factory.extension}, {"pyDN": "16175551212"}, {"pyDN": "8809"}]
    for event in (agent, call, party, factory.agent_event(), factory.call_event(), factory.party_info()):
        assert STRICT.validate(event) == []
    with pytest.raises(InvalidOverrideError, match=r"\[schema\.enum\]"):
        factory.agent_event("Busy")  # AgentEvent's enum has no Busy (erratum E10)
    with pytest.raises(InvalidOverrideError, match=r"S3"):
        factory.call_event("Alerting", pyCallId=4953)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda f: f.snapshot("onhold"), "unknown preset 'onhold' (did you mean 'on_hold'?): choose one of logged_out, login, "),
        (lambda f: f.snapshots(-1), "n must be a non-negative int, got -1"),
        (lambda f: f.snapshots("3"), "n must be a non-negative int, got '3'"),
    ],
)
def test_bad_arguments_are_clear_errors(call, message: str) -> None:
    with pytest.raises(ValueError) as info:
        call(EventFactory(1))
    assert str(info.value).startswith(message)


def test_bad_seed_and_profile() -> None:
    with pytest.raises(TypeError, match=r"^seed must be an int or None, got str '1'$"):
        EventFactory("1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"unknown profile 'strictest'"):
        EventFactory(1, profile="strictest")


def test_stable_seed_is_stable_across_processes() -> None:
    assert stable_seed("tests/test_x.py::test_a") == stable_seed("tests/test_x.py::test_a")
    assert 0 <= stable_seed("") < 2**32
    code = "from pytest_snapshot_cti.factories import stable_seed; print(stable_seed('tests/test_x.py::test_a'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "1"})
    assert int(out.stdout) == stable_seed("tests/test_x.py::test_a")


def test_package_and_fixture_module_import_without_faker() -> None:
    code = (
        "import sys, pytest_snapshot_cti, pytest_snapshot_cti.factory_fixtures, pytest_snapshot_cti.plugin; "
        "print(sorted(m for m in ('faker', 'jsonschema', 'pytest_snapshot_cti.factories') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert pytest_snapshot_cti.EventFactory is EventFactory
    assert "EventFactory" in pytest_snapshot_cti.__all__


def test_a_configured_contract_decides_what_breaks() -> None:
    relaxed = EventFactory(1, contract=load_contract("strict", disable=["C5"]))
    assert relaxed.profile == "strict"
    assert relaxed.snapshot("ready", pyAgentState="Busy")["pyAgentState"] == "Busy"
    with pytest.raises(InvalidOverrideError, match=r"\[C4\]"):
        relaxed.snapshot("ready", pyReasonCode="Lunch")
