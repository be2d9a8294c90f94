"""The mutation catalogue: every labelled invalid event is detected with exactly its expected rules."""

from __future__ import annotations

import copy
import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import ContractUsageError, InvalidCase, load_contract
from pytest_snapshot_cti import strategies as cti
from pytest_snapshot_cti.mutations import MUTATIONS, apply_mutation, is_error, mutations_for

CONTRACTS = {"published": load_contract("published"), "strict": load_contract("strict")}

CLEAN_SNAPSHOT: dict[str, Any] = {
    "pyEventType": "SnapshotEvent",
    "pyEventName": "Snapshot",
    "pyAgentId": "5501",
    "pyAgentState": "Busy",
    "pyThisDN": "8808",
    "pyLinkState": "CONNECTED",
    "pyDeviceState": "OPENED",
    "pyLines": [{"pyCallId": "4953", "pyLineState": "Connected"}],
    "pyMedia": "Phone",
    "pyReasonCode": "",
}
#: Clean under published only: the smallest bases a CLI user might hand over.
MINIMAL_BASES: list[dict[str, Any]] = [
    {"pyEventType": "SnapshotEvent"},
    {"pyAgentState": "Unknown", "pyLinkState": "DISCONNECTED"},
    {"pyEventType": "AgentStateEvent"},
    {"pyEventType": "CallStateEvent", "pyEventName": "Alerting"},
    {"pyEventType": "PartyInfoEvent", "pyParties": []},
]


def found_rules(case: InvalidCase, profile: str) -> frozenset[str]:
    return frozenset(v.rule for v in CONTRACTS[profile].validate(case.document))


def test_every_mutation_kind_is_drawn_and_detected_exactly_in_2000_examples() -> None:
    """Mutation score 100%: the validator reports exactly the label, for every kind in the catalogue."""
    drawn: Counter[str] = Counter()

    @settings(max_examples=2000)
    @given(case=cti.invalid_events(profile="strict", include_warnings=True))
    def check(case: InvalidCase) -> None:
        drawn[case.mutation] += 1
        assert found_rules(case, "strict") == case.expected_rules, case

    check()
    assert set(drawn) == set(MUTATIONS), f"never drawn: {sorted(set(MUTATIONS) - set(drawn))}"


@settings(max_examples=300)
@given(case=cti.invalid_events(profile="published", include_warnings=True))
def test_published_cases_are_detected_exactly(case: InvalidCase) -> None:
    assert found_rules(case, "published") == case.expected_rules


@pytest.mark.parametrize("profile", ["published", "strict"])
@settings(max_examples=100)
@given(data=st.data())
def test_invalid_snapshots_are_rejected_by_default(profile: str, data: st.DataObject) -> None:
    """Without include_warnings every case is an *error*: a strict parser must refuse it."""
    case = data.draw(cti.invalid_snapshots(profile=profile))
    assert not CONTRACTS[profile].is_valid(case.document, kind="snapshot")
    assert found_rules(case, profile) == case.expected_rules


def test_the_catalogue_has_the_promised_kinds() -> None:
    assert len(MUTATIONS) >= 15
    by_rule = {rule for m in MUTATIONS.values() for rule in m.rules}
    assert {"S1", "S2", "S3", "S4", "S5", "schema.enum", "schema.type", "schema.additionalProperties"} <= by_rule
    assert {f"C{n}" for n in range(1, 8)} <= by_rule
    assert len(mutations_for("snapshot", "strict", include_warnings=True)) >= 15


def test_which_mutations_are_errors_depends_on_the_profile() -> None:
    assert mutations_for("snapshot", "published") == (
        "number_id",
        "boolean_value",
        "null_value",
        "enum_case",
        "enum_whitespace",
        "enum_synonym",
        "lines_not_array",
        "line_not_object",
    )
    strict = mutations_for("snapshot", "strict")
    assert {"wrong_event_type", "extra_property", "missing_required", "busy_without_call"} <= set(strict)
    assert "two_active_lines" not in strict  # C7 is a warning in every profile
    assert not is_error("two_active_lines", "strict")
    assert "extra_property" not in mutations_for("snapshot", "published", include_warnings=True)


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_the_cli_way_random_choice_on_a_fixed_base(name: str) -> None:
    """The CLI passes ``random.Random(seed).choice``: same seed, same case, exact label."""
    if "snapshot" not in MUTATIONS[name].kinds:
        return  # the party-only ones are covered by the minimal bases below
    for seed in range(20):
        case = apply_mutation(name, CLEAN_SNAPSHOT, random.Random(seed).choice, profile="strict")
        again = apply_mutation(name, CLEAN_SNAPSHOT, random.Random(seed).choice, profile="strict")
        assert case == again
        assert case.mutation == name
        assert found_rules(case, "strict") == case.expected_rules == MUTATIONS[name].rules


@pytest.mark.parametrize("base", MINIMAL_BASES, ids=lambda b: str(sorted(b)))
def test_minimal_published_bases_are_labelled_exactly(base: dict[str, Any]) -> None:
    kind = {"SnapshotEvent": "snapshot", "AgentStateEvent": "agent", "CallStateEvent": "call", "PartyInfoEvent": "party"}.get(
        base.get("pyEventType", "SnapshotEvent")
    )
    assert kind is not None
    for name in mutations_for(kind, "published", include_warnings=True):
        for seed in range(10):
            case = apply_mutation(name, base, random.Random(seed).choice)
            assert found_rules(case, "published") == case.expected_rules, (name, case.document)


def test_the_base_is_never_modified() -> None:
    base = copy.deepcopy(CLEAN_SNAPSHOT)
    for name in mutations_for("snapshot", "strict", include_warnings=True):
        apply_mutation(name, base, random.Random(1).choice, profile="strict")
    assert base == CLEAN_SNAPSHOT


@pytest.mark.parametrize(
    ("name", "base", "profile", "message"),
    [
        ("nope", CLEAN_SNAPSHOT, "published", "unknown mutation 'nope': choose one of number_id, boolean_value"),
        ("extra_property", CLEAN_SNAPSHOT, "published", "mutation 'extra_property' is only detected under the strict profile"),
        ("number_id", {**CLEAN_SNAPSHOT, "pyAgentState": "Ready"}, "published", "apply_mutation needs a clean base event"),
        (
            "number_id",
            {"pyEventType": "SnapshotEvent"},
            "strict",
            "apply_mutation needs a clean base event (no findings under the strict profile); this one has S5",
        ),
        (
            "lines_not_array",
            {"pyEventType": "AgentStateEvent"},
            "published",
            "mutation 'lines_not_array' applies to snapshot events, not agent",
        ),
        ("number_id", CLEAN_SNAPSHOT, "lenient", "unknown profile 'lenient'"),
    ],
)
def test_misuse_is_explained(name: str, base: dict[str, Any], profile: str, message: str) -> None:
    with pytest.raises(ContractUsageError) as info:
        apply_mutation(name, base, random.Random(0).choice, profile=profile)
    assert str(info.value).startswith(message)


def test_a_readable_case() -> None:
    base = {**CLEAN_SNAPSHOT, "pyAgentState": "Ready", "pyLines": []}
    case = apply_mutation("enum_case", base, lambda options: options[0], profile="strict")
    assert case == InvalidCase({**base, "pyAgentState": "READY"}, frozenset({"S4"}), "enum_case")
    [violation] = CONTRACTS["strict"].validate(case.document)
    assert (
        violation.format()
        == "$.pyAgentState: 'READY' is not one of ['Ready', 'NotReady', 'Login', 'Logout', 'Busy', 'Unknown'] (did you mean 'Ready'? enum values are case-sensitive) [S4]"
    )


@pytest.mark.parametrize("profile", ["published", "strict"])
def test_factory_events_are_valid_bases_for_every_mutation(profile: str) -> None:
    """What `snapshot-cti generate --invalid` does: factory events, random.Random picks, exact labels."""
    factories = pytest.importorskip("pytest_snapshot_cti.factories")
    from pytest_snapshot_cti.mutations import kind_of

    for seed in range(3):
        factory = factories.EventFactory(seed=seed, profile=profile)
        rng = random.Random(seed)
        bases = [factory.snapshot(preset) for preset in factories.PRESETS]
        bases += [factory.agent_event(), factory.call_event(), factory.party_info()]
        for base in bases:
            for name in mutations_for(kind_of(base) or "", profile, include_warnings=True):
                case = apply_mutation(name, base, rng.choice, profile=profile)
                assert found_rules(case, profile) == case.expected_rules, (name, case.document)
