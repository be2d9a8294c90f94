"""The valid strategies: every document passes its profile, realistic ones draw no finding at all."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import ContractUsageError, load_contract
from pytest_snapshot_cti import strategies as cti
from pytest_snapshot_cti.schemas import KINDS, REQUIRED

PUBLISHED = load_contract("published")
STRICT = load_contract("strict")
CONTRACTS = {"published": PUBLISHED, "strict": STRICT}
SNAPSHOT_PROPERTIES = set(PUBLISHED.schema("snapshot")["properties"])


def rules(doc: Any, profile: str, kind: str = "auto") -> set[str]:
    return {v.rule for v in CONTRACTS[profile].validate(doc, kind=kind)}


def error_rules(doc: Any, profile: str, kind: str = "auto") -> set[str]:
    return {v.rule for v in CONTRACTS[profile].validate(doc, kind=kind) if v.severity == "error"}


@settings(max_examples=1000, suppress_health_check=[])
@given(cti.snapshots())
def test_default_snapshots_pass_every_health_check_at_1000_examples(snap: dict[str, Any]) -> None:
    # suppress_health_check=[] re-enables anything a user profile might have switched off
    assert error_rules(snap, "published") == set()
    assert error_rules(snap, "published", kind="snapshot") == set()


@pytest.mark.parametrize("profile", ["published", "strict"])
@settings(max_examples=150)
@given(data=st.data())
def test_snapshots_have_no_error_under_their_profile(profile: str, data: st.DataObject) -> None:
    snap = data.draw(cti.snapshots(profile=profile))
    assert error_rules(snap, profile) == set()
    assert error_rules(snap, profile, kind="snapshot") == set()


@settings(max_examples=150)
@given(cti.snapshots(profile="strict"))
def test_strict_snapshots_carry_the_required_set_and_nothing_else(snap: dict[str, Any]) -> None:
    assert set(REQUIRED["snapshot"]) <= set(snap) <= SNAPSHOT_PROPERTIES
    assert snap["pyEventType"] == "SnapshotEvent"
    for line in snap["pyLines"]:
        assert set(line) == {"pyCallId", "pyLineState"}


@pytest.mark.parametrize("profile", ["published", "strict"])
@settings(max_examples=150)
@given(data=st.data())
def test_realistic_snapshots_draw_no_finding_under_either_profile(profile: str, data: st.DataObject) -> None:
    snap = data.draw(cti.snapshots(profile=profile, realistic=True))
    assert rules(snap, "published") == set()
    assert rules(snap, "strict") == set()
    assert set(snap) <= SNAPSHOT_PROPERTIES  # documented fields only
    assert snap["pyAgentId"].isdigit()
    assert 4 <= len(snap["pyAgentId"]) <= 5
    assert snap["pyThisDN"].isdigit()
    assert snap["pyMedia"] == "Phone"


@pytest.mark.parametrize("kind", ["any", *KINDS])
@pytest.mark.parametrize("profile", ["published", "strict"])
@settings(max_examples=60)
@given(data=st.data())
def test_events_of_each_kind_pass_their_profile(kind: str, profile: str, data: st.DataObject) -> None:
    event = data.draw(cti.events(kind, profile))
    assert error_rules(event, profile) == set()
    if kind != "any":
        assert error_rules(event, profile, kind=kind) == set()
        assert kind == "snapshot" or event["pyEventType"] == KINDS[kind][1]


@pytest.mark.parametrize("kind", ["any", *KINDS])
@settings(max_examples=60)
@given(data=st.data())
def test_realistic_events_are_clean_everywhere(kind: str, data: st.DataObject) -> None:
    event = data.draw(cti.events(kind, "published", realistic=True))
    assert rules(event, "published") == set()
    assert rules(event, "strict") == set()


def test_published_exploration_reaches_what_the_schema_only_warns_about() -> None:
    """realistic=False is a fuzzer: invented keys, other pyEventTypes and contradictions all show up."""
    seen: set[str] = set()

    @settings(max_examples=400, database=None)
    @given(cti.snapshots())
    def explore(snap: dict[str, Any]) -> None:
        if set(snap) - SNAPSHOT_PROPERTIES:
            seen.add("invented key")
        if snap.get("pyEventType") not in (None, "SnapshotEvent"):
            seen.add("other pyEventType")
        seen.update(rules(snap, "published"))

    explore()
    assert {"invented key", "other pyEventType", "S1", "C1", "C4"} <= seen


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("profile", ["published", "strict"])
def test_from_contract_goes_through_hypothesis_jsonschema_and_stays_valid(kind: str, profile: str) -> None:
    """Every health check but the timing one (too_slow: timing lives in benchmarks/health_from_contract.py,
    which runs all of them at 1,000 examples); a strategy that filters too much or draws too large fails here."""

    @settings(max_examples=15, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cti.from_contract(kind, profile))
    def check(doc: dict[str, Any]) -> None:
        assert doc["pyEventType"] == KINDS[kind][1]
        assert error_rules(doc, profile) == set()

    check()


def test_from_contract_uses_a_user_supplied_contract(tmp_path: Any) -> None:
    import json

    schema = PUBLISHED.schema("agent")
    schema["properties"]["pyEventName"]["enum"] = ["Ready"]
    (tmp_path / "AgentEvent.json").write_text(json.dumps(schema))
    contract = load_contract("published", contracts_dir=tmp_path)

    @settings(max_examples=10, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cti.from_contract("agent", contract=contract))
    def check(doc: dict[str, Any]) -> None:
        assert doc.get("pyEventName", "Ready") == "Ready"
        assert contract.is_valid(doc)

    check()


def _user_contract(tmp_path: Any, kind: str, change: Any, profile: str = "published") -> Any:
    import json

    from pytest_snapshot_cti.schemas import KINDS as FILES

    schema = PUBLISHED.schema(kind)
    change(schema)
    (tmp_path / FILES[kind][0]).write_text(json.dumps(schema))
    return load_contract(profile, contracts_dir=tmp_path)


def test_from_contract_names_the_file_when_the_schema_admits_nothing(tmp_path: Any) -> None:
    def impossible(schema: dict[str, Any]) -> None:
        schema["properties"]["pyCallId"] = {"type": "string", "enum": [1]}
        schema["required"] = ["pyCallId"]

    contract = _user_contract(tmp_path, "call", impossible)
    with pytest.raises(ContractUsageError) as info:
        cti.from_contract("call", contract=contract)
    assert str(info.value) == f"cannot generate call events from {tmp_path.resolve() / 'CallEvent.json'}: the schema admits no document"


def test_from_contract_names_kind_file_and_rule_when_every_document_is_rejected(tmp_path: Any) -> None:
    def duplicates(schema: dict[str, Any]) -> None:
        # every line has call id 4953: unique ids (C6) is the one rule JSON Schema cannot say
        fixed = {"pyAgentState": "Busy", "pyLinkState": "CONNECTED", "pyDeviceState": "OPENED", "pyEventName": "Snapshot"}
        for name, prop in schema["properties"].items():
            if name in fixed:
                prop["enum"] = [fixed[name]]
            elif prop.get("type") == "string":
                prop["maxLength"] = 0
        line = {"pyCallId": "4953", "pyLineState": "Holding"}
        schema["properties"]["pyLines"] = {"type": "array", "minItems": 2, "maxItems": 2, "items": {"const": line}}

    contract = _user_contract(tmp_path, "snapshot", duplicates, profile="strict")

    @settings(max_examples=10, database=None)
    @given(cti.from_contract("snapshot", contract=contract))
    def generate(doc: dict[str, Any]) -> None:
        pass

    with pytest.raises(ContractUsageError) as info:
        generate()
    assert str(info.value).startswith(
        f"cannot generate valid snapshot events from {tmp_path.resolve() / 'Snapshot.json'}: every document the schema admits "
        "breaks a rule of the strict contract (most often C6 at $.pyLines[*].pyCallId"
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cti.snapshots(profile="lenient"), "unknown profile 'lenient': choose one of published, strict"),
        (lambda: cti.events("calls"), "unknown kind 'calls': choose one of any, snapshot, agent, call, party"),
        (lambda: cti.from_contract("any"), "unknown kind 'any': choose one of snapshot, agent, call, party"),
        (lambda: cti.invalid_events("snap"), "unknown kind 'snap'"),
        (lambda: cti.event_sequences("lunch"), "unknown scenario 'lunch': choose one of login, logout, inbound_call"),
        (lambda: cti.invalid_event_sequences(("L9",)), "unknown lifecycle rule L9"),
    ],
)
def test_bad_arguments_fail_at_once_with_the_choices(call: Any, message: str) -> None:
    with pytest.raises(ContractUsageError) as info:
        call()
    assert str(info.value).startswith(message)


def test_same_seed_same_examples() -> None:
    """All randomness is Hypothesis's: a fixed seed replays the same documents."""
    from hypothesis import seed

    def collect() -> list[Any]:
        out: list[Any] = []

        @seed(20261125)
        @settings(max_examples=30, database=None)
        @given(cti.snapshots(realistic=True))
        def run(snap: dict[str, Any]) -> None:
            out.append(snap)

        run()
        return out

    assert collect() == collect()


def test_importing_the_package_and_mutations_does_not_import_hypothesis() -> None:
    code = (
        "import sys, pytest_snapshot_cti, pytest_snapshot_cti.mutations, pytest_snapshot_cti.producer;"
        "pytest_snapshot_cti.InvalidCase; pytest_snapshot_cti.assert_producer_honours_contract;"
        "print(sorted(m for m in ('hypothesis', 'hypothesis_jsonschema') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_strategies_module_registers_no_settings_profile() -> None:
    code = (
        "from hypothesis import settings; before = dict(settings._profiles);"
        "import pytest_snapshot_cti.strategies as cti; cti.snapshots(); cti.events(); cti.invalid_snapshots();"
        "print(settings._profiles == before, settings._current_profile)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "default"]
