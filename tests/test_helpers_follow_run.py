"""The assertion helpers check what ``cti_contract`` checks in the same test (pytester runs).

Inside a pytest run, ``validate_event``/``validate_snapshot``/``assert_valid_*`` called without
``profile=``/``contract=`` use the test's configured contract (option > ini > ``cti`` marker);
outside pytest, the published one. ``observe=False`` keeps negative checks out of the summary.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

SNAPSHOT = (
    '{"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "5501", "pyAgentState": "Ready", "pyThisDN": "8808", '
    '"pyLinkState": "CONNECTED", "pyDeviceState": "OPENED", "pyLines": []}'
)
SUITE = f"""
import pytest
from pytest_snapshot_cti import assert_valid_snapshot, assert_valid_event, validate_event, validate_snapshot

SNAPSHOT = {SNAPSHOT}

def test_vendor_field():
    assert_valid_snapshot({{**SNAPSHOT, "vendorX": 1}})

def test_vendor_field_event():
    assert_valid_event({{**SNAPSHOT, "vendorX": 1}})

def test_validate_rules():
    print("RULES", sorted({{v.rule for v in validate_snapshot({{**SNAPSHOT, "vendorX": 1}})}}),
          sorted({{v.rule for v in validate_event({{**SNAPSHOT, "vendorX": 1}})}}))

@pytest.mark.cti(profile="published")
def test_marked_published():
    assert_valid_snapshot({{**SNAPSHOT, "vendorX": 1}})

def test_explicit_profile_wins():
    assert_valid_snapshot({{**SNAPSHOT, "vendorX": 1}}, profile="published")
"""


def printed(result: pytest.RunResult) -> str:
    (line,) = [line for line in result.outlines if "RULES " in line]
    return line.split("RULES ", 1)[1]


def test_outside_options_the_helpers_check_published(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest("-p", "no:randomly", "-s")
    result.assert_outcomes(passed=5)
    assert printed(result) == "[] []"


@pytest.mark.parametrize(
    ("ini", "args"),
    [
        ("", ["--cti-profile", "strict"]),
        ("cti_profile = strict", []),
        ("", ["--cti-profile=strict", "-n", "2"]),
        ("", ["--cti-profile=strict", "--assert=plain"]),
    ],
)
def test_strict_from_option_or_ini_reaches_the_helpers(pytester: pytest.Pytester, ini: str, args: list[str]) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(SUITE)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-s", "-rf", *args)
    result.assert_outcomes(passed=3, failed=2)
    out = result.stdout.str()
    assert "ContractViolationError: Snapshot event violates the Pega OpenCTI contract (profile: strict) — 1 error:" in out
    assert (
        "$.vendorX: 'vendorX' is not a property of the SnapshotEvent contract (the strict profile closes objects) "
        "(if it is a documented extension, allow it with allow_extra=['vendorX'] in load_contract or the cti marker, "
        "--cti-allow-extra vendorX or the cti_allow_extra ini key under pytest, --allow-extra vendorX with snapshot-cti) "
        "[schema.additionalProperties]"
    ) in out
    assert {line.split(" - ")[0] for line in result.outlines if line.startswith("FAILED")} == {
        "FAILED test_strict_from_option_or_ini_reaches_the_helpers.py::test_vendor_field",
        "FAILED test_strict_from_option_or_ini_reaches_the_helpers.py::test_vendor_field_event",
    }
    if "-n" not in args:
        assert printed(result) == "['schema.additionalProperties'] ['schema.additionalProperties']"


def test_the_cti_marker_reaches_the_helpers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import pytest
        from pytest_snapshot_cti import assert_valid_snapshot, validate_event

        SNAPSHOT = {SNAPSHOT}
        pytestmark = pytest.mark.cti(profile="strict", allow_extra=["xQueue"])

        def test_allowed_extra():
            assert_valid_snapshot({{**SNAPSHOT, "xQueue": "sales"}})

        def test_unknown_extra():
            assert_valid_snapshot({{**SNAPSHOT, "vendorX": 1}})

        @pytest.mark.cti(disable=["C4"])
        def test_disabled_by_marker(cti_contract):
            event = {{**SNAPSHOT, "pyReasonCode": "7"}}
            assert validate_event(event) == cti_contract.validate(event) == []

        @pytest.mark.cti(profile="strickt")
        def test_bad_marker():
            validate_event(SNAPSHOT)
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*_ test_bad_marker _*",
            "@pytest.mark.cti(profile=...): unknown profile 'strickt'; choose one of published, strict",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_fail_on_warnings_follows_the_run_unless_passed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        from pytest_snapshot_cti import assert_valid_snapshot

        WARNED = {{**{SNAPSHOT}, "pyEventName": "Ready"}}  # S2: a warning under published

        def test_follows_the_run():
            assert_valid_snapshot(WARNED)

        def test_passed_explicitly():
            assert [v.rule for v in assert_valid_snapshot(WARNED, fail_on_warnings=False)] == ["S2"]
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)
    result = pytester.runpytest("-p", "no:randomly", "--cti-fail-on-warnings")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*Snapshot event violates the Pega OpenCTI contract (profile: published) — 1 warning:"])


def test_outside_pytest_the_helpers_check_published() -> None:
    code = (
        "from pytest_snapshot_cti import assert_valid_snapshot\n"
        f"print(assert_valid_snapshot({{**{SNAPSHOT}, 'vendorX': 1}}))\n"
        "import sys; print('pytest' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[]", "False"]


NEGATIVE_SUITE = f"""
import pytest
from pytest_snapshot_cti import ContractViolationError, assert_valid_event, assert_valid_snapshot, validate_event, validate_snapshot

BAD = {{**{SNAPSHOT}, "pyAgentState": "READY"}}

def test_negative_checks():
    with pytest.raises(ContractViolationError):
        assert_valid_snapshot(BAD, observe=False)
    with pytest.raises(ContractViolationError):
        assert_valid_event(BAD, observe=False)
    assert validate_event(BAD, observe=False)
    assert validate_snapshot(BAD, observe=False)

def test_counted():
    assert validate_event({SNAPSHOT}) == []
"""


@pytest.mark.parametrize("args", [[], ["-n", "2"]])
def test_observe_false_keeps_negative_checks_out_of_the_summary(pytester: pytest.Pytester, args: list[str]) -> None:
    pytester.makepyfile(NEGATIVE_SUITE)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "--cti-report", "report.json", *args)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["events checked: 1 (SnapshotEvent 1)", "  1 valid, 0 invalid, 0 unreadable", "findings: 0 errors, 0 warnings"]
    )
    report = json.loads((pytester.path / "report.json").read_text(encoding="utf-8"))
    assert report["events"]["total"] == 1
    assert report["findings"]["errors"] == 0


def test_disable_given_as_one_string_with_a_contract_is_split_into_ids() -> None:
    """It was split into characters ('C', '4', ',') and refused as unknown rule ids."""
    from pytest_snapshot_cti import load_contract, validate_event

    event = {**json.loads(SNAPSHOT), "pyReasonCode": "7", "pyEventName": "Ready"}  # C4 and S2
    assert {v.rule for v in validate_event(event, contract=load_contract())} == {"C4", "S2"}
    assert validate_event(event, contract=load_contract(), disable="C4, S2") == []
    assert validate_event(event, disable="C4,S2") == []
