"""`snapshot-cti generate`: factory events as JSONL, byte-identical per seed, mutants labelled in a side stream."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.cli import main
from pytest_snapshot_cti.factories import PRESETS
from pytest_snapshot_cti.mutations import MUTATIONS
from pytest_snapshot_cti.scenarios import SCENARIOS


def gen(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["generate", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_same_seed_same_bytes_other_seed_other_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    first = gen(capsys, "--seed", "7", "--count", "25", "--invalid", "0.5")
    again = gen(capsys, "--seed", "7", "--count", "25", "--invalid", "0.5")
    other = gen(capsys, "--seed", "8", "--count", "25", "--invalid", "0.5")
    assert first == again
    assert first[1] != other[1]
    assert first[2] == ""  # a given seed is not echoed


def test_without_a_seed_the_seed_used_is_printed_and_replays(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = gen(capsys, "--count", "3")
    assert code == 0
    seed = err.split("--seed ")[1].split(" ")[0]
    assert err == f"snapshot-cti: seed {seed} (pass --seed {seed} to repeat this output)\n"
    assert gen(capsys, "--count", "3", "--seed", seed)[1] == out


def test_default_is_ten_valid_compact_snapshots(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = gen(capsys, "--seed", "1")
    lines = out.splitlines()
    assert (code, len(lines)) == (0, 10)
    contract = load_contract()
    for line in lines:
        event = json.loads(line)
        assert event["pyEventType"] == "SnapshotEvent"
        assert contract.validate(event) == []
        assert ": " not in line  # one compact line per event


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset(preset: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = gen(capsys, "--preset", preset, "--count", "2", "--seed", "3")
    assert code == 0
    assert all(load_contract().validate(json.loads(line)) == [] for line in out.splitlines())
    assert len(out.splitlines()) == 2


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_is_an_ordered_stream_that_passes_lifecycle(
    scenario: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = gen(capsys, "--scenario", scenario, "--seed", "5")
    assert code == 0
    path = tmp_path / f"{scenario}.cti.jsonl"
    path.write_text(out, encoding="utf-8")
    assert main(["validate", "--lifecycle", str(path)]) == 0
    capsys.readouterr()
    twice = gen(capsys, "--scenario", scenario, "--seed", "5", "--count", "2")[1]
    assert twice.startswith(out)
    assert len(twice.splitlines()) > len(out.splitlines())


@pytest.mark.parametrize(("kind", "event_type"), [("agent", "AgentStateEvent"), ("call", "CallStateEvent"), ("party", "PartyInfoEvent")])
def test_kind(kind: str, event_type: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = gen(capsys, "--kind", kind, "--count", "5", "--seed", "2")
    assert code == 0
    assert {json.loads(line)["pyEventType"] for line in out.splitlines()} == {event_type}


@pytest.mark.parametrize("profile", ["published", "strict"])
@pytest.mark.parametrize("kind", ["snapshot", "agent", "call", "party"])
def test_invalid_mutants_carry_exact_labels_in_a_side_stream(
    kind: str, profile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels_path = tmp_path / "labels.jsonl"
    code, out, _ = gen(
        capsys, "--kind", kind, "--count", "60", "--seed", "9", "--invalid", "--profile", profile, "--labels", str(labels_path)
    )
    assert code == 0
    lines = out.splitlines()
    labels = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines()]
    assert [label["line"] for label in labels] == list(range(1, len(lines) + 1))
    contract = load_contract(profile)
    mutated = 0
    for line, label in zip(lines, labels, strict=True):
        found = {v.rule for v in contract.validate(line)}
        assert found == set(label["expected_rules"]), (line, label)
        if label["mutation"] is not None:
            mutated += 1
            assert label["mutation"] in MUTATIONS
            assert "_cti_expected" not in line  # labels never ride inside the event
    assert mutated > 0.8 * len(lines)


def test_invalid_ratio_mixes_valid_and_mutated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labels_path = tmp_path / "l.jsonl"
    gen(capsys, "--count", "200", "--seed", "4", "--invalid", "0.25", "--labels", str(labels_path))
    labels = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines()]
    share = sum(1 for label in labels if label["mutation"]) / len(labels)
    assert 0.1 < share < 0.4
    assert all(label == {"line": label["line"], "mutation": None, "expected_rules": []} for label in labels if not label["mutation"])


def test_count_zero_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert gen(capsys, "--count", "0", "--seed", "1")[:2] == (0, "")


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = gen(capsys, "--list")
    assert code == 0
    assert out.splitlines() == [
        f"presets: {', '.join(PRESETS)}",
        f"scenarios: {', '.join(SCENARIOS)}",
        f"mutations: {', '.join(MUTATIONS)}",
    ]


def test_labels_file_that_cannot_be_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = gen(capsys, "--labels", str(tmp_path / "no" / "such" / "dir.jsonl"), "--seed", "1")
    assert (code, out) == (2, "")
    assert err.startswith("snapshot-cti: error: cannot write ")
