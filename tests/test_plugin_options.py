"""Options, ini keys and the ``cti`` marker: precedence, effects and usage errors (pytester)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.plugin_config import BUNDLED_FILES, PROFILE_NAMES, bundled_sha256
from pytest_snapshot_cti.rules import PROFILES
from pytest_snapshot_cti.schemas import KINDS, bundled_dir

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

PROBE = """
import pytest

def test_probe(cti_contract, cti_recorder):
    assert cti_contract is cti_recorder.contract
    print("PROBE", cti_contract.profile, sorted(cti_contract.disabled), list(cti_contract.allow_extra),
          cti_recorder.fail_on_warnings, cti_contract.schema_set.label)
"""


def probe(result: pytest.RunResult) -> str:
    result.assert_outcomes(passed=1)
    (line,) = [line for line in result.outlines if "PROBE " in line]
    return line.split("PROBE ", 1)[1]


def test_light_mirrors_match_the_engine() -> None:
    assert PROFILE_NAMES == PROFILES
    assert tuple(filename for filename, _ in KINDS.values()) == BUNDLED_FILES
    assert bundled_sha256() == load_contract().sha256


def test_defaults(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(PROBE)
    assert probe(pytester.runpytest("-s")) == "published [] [] False bundled"


@pytest.mark.parametrize(
    ("ini", "args", "expected"),
    [
        ("cti_profile = strict", [], "strict [] [] False bundled"),
        ("cti_profile = strict", ["--cti-profile", "published"], "published [] [] False bundled"),
        ("cti_disable = C5, C7", [], "published ['C5', 'C7'] [] False bundled"),
        ("cti_disable = C5 C7", ["--cti-disable", "S2", "--cti-disable=C1,C2"], "published ['C1', 'C2', 'S2'] [] False bundled"),
        ("cti_fail_on_warnings = true", [], "published [] [] True bundled"),
        ("cti_fail_on_warnings = false", ["--cti-fail-on-warnings"], "published [] [] True bundled"),
        ("cti_allow_extra = xVendor", [], "published [] ['xVendor'] False bundled"),
        ("cti_allow_extra = xVendor", ["--cti-allow-extra", "a,b"], "published [] ['a', 'b'] False bundled"),
    ],
)
def test_command_line_beats_ini(pytester: pytest.Pytester, ini: str, args: list[str], expected: str) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(PROBE)
    assert probe(pytester.runpytest("-s", *args)) == expected


def test_marker_beats_command_line_and_ini(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ncti_profile = strict\ncti_disable = C5\ncti_fail_on_warnings = true\n")
    pytester.makepyfile(
        PROBE.replace(
            "def test_probe",
            "@pytest.mark.cti(profile='published', disable=['C7', 'S2'], fail_on_warnings=False, allow_extra='xTenant')\ndef test_probe",
        )
    )
    assert (
        probe(pytester.runpytest("-s", "--cti-profile=strict", "--strict-markers"))
        == "published ['C5', 'C7', 'S2'] ['xTenant'] False bundled"
    )


def test_marker_on_class_and_module_applies_to_its_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        pytestmark = pytest.mark.cti(profile="strict")

        def test_module(cti_contract):
            assert cti_contract.profile == "strict"

        @pytest.mark.cti(profile="published")
        class TestClass:
            def test_cls(self, cti_contract):
                assert cti_contract.profile == "published"
        """
    )
    pytester.runpytest("--strict-markers").assert_outcomes(passed=2)


def test_contract_is_shared_per_distinct_configuration(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        seen = []

        @pytest.mark.parametrize("n", range(3))
        def test_same(cti_contract, n):
            seen.append(cti_contract)
            assert all(c is seen[0] for c in seen)

        @pytest.mark.cti(profile="strict")
        def test_other(cti_contract):
            assert cti_contract is not seen[0]
            assert cti_contract.profile == "strict"
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=4)


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.cti(profile=None, disable=(), fail_on_warnings=None, allow_extra=()): *"])


def test_bad_marker_fails_that_test_only_with_one_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.cti(profile="lenient")
        def test_bad(cti_recorder):
            pass

        @pytest.mark.cti(disabled=["C5"])
        def test_typo(cti_contract):
            pass

        def test_fine(cti_contract):
            pass
        """
    )
    result = pytester.runpytest("--assert=plain")
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(["@pytest.mark.cti(profile=...): unknown profile 'lenient'; choose one of published, strict"])
    result.stdout.fnmatch_lines(["@pytest.mark.cti: unknown argument disabled; use allow_extra, disable, fail_on_warnings, profile"])
    assert "Traceback" not in result.stdout.str()
    assert "During handling" not in result.stdout.str()


@pytest.mark.parametrize(
    ("ini", "args", "message"),
    [
        ("", ["--cti-profile", "lax"], "ERROR: pytest-snapshot-cti: --cti-profile: unknown profile 'lax'; choose one of published, strict"),
        (
            "cti_profile = Strict",
            [],
            "ERROR: pytest-snapshot-cti: ini cti_profile: unknown profile 'Strict'; choose one of published, strict",
        ),
        (
            "",
            ["--cti-disable", "C5,X9"],
            "ERROR: pytest-snapshot-cti: --cti-disable: unknown rule id X9 (run `snapshot-cti rules` to list the ids)",
        ),
        (
            "cti_disable = c5 Z1",
            [],
            "ERROR: pytest-snapshot-cti: ini cti_disable: unknown rule ids Z1, c5 (did you mean c5 -> C5? run `snapshot-cti rules` to list the ids)",
        ),
        ("", ["--cti-contracts", "missing"], "ERROR: pytest-snapshot-cti: --cti-contracts: contracts directory not found: */missing"),
        ("cti_contracts = nowhere", [], "ERROR: pytest-snapshot-cti: ini cti_contracts: contracts directory not found: */nowhere"),
        (
            "cti_fail_on_warnings = maybe",
            [],
            "ERROR: pytest-snapshot-cti: ini cti_fail_on_warnings: invalid truth value 'maybe' (use true or false)",
        ),
    ],
)
def test_bad_values_are_usage_errors_without_traceback(pytester: pytest.Pytester, ini: str, args: list[str], message: str) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile("def test_never_runs(): pass")
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
    assert len([line for line in result.stderr.lines if line.strip()]) == 1


def _custom_contracts(where: Path) -> Path:
    where.mkdir()
    schema = json.loads((bundled_dir() / "Snapshot.json").read_text(encoding="utf-8"))
    schema["properties"]["pyAgentState"]["enum"].append("Away")
    (where / "Snapshot.json").write_text(json.dumps(schema), encoding="utf-8")
    return where


AWAY = """
def test_away(cti_recorder):
    cti_recorder({"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentState": "Away"})
"""


def test_contracts_dir_from_command_line_and_ini(pytester: pytest.Pytester) -> None:
    _custom_contracts(pytester.path / "contracts")
    pytester.makepyfile(AWAY)
    pytester.runpytest().assert_outcomes(passed=1, errors=1)
    pytester.runpytest("--cti-contracts", "contracts").assert_outcomes(passed=1)
    sub = pytester.mkdir("sub")
    shutil.move(pytester.path / "contracts", sub / "contracts")
    pytester.makeini("[pytest]\ncti_contracts = sub/contracts\n")  # relative to the ini file
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["cti: profile published, contracts */sub/contracts (sha256 *), disabled: none"])


def test_contracts_dir_without_contract_files_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.mkdir("empty")
    result = pytester.runpytest("--cti-contracts=empty")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: pytest-snapshot-cti: --cti-contracts: contracts directory */empty holds none of Snapshot.json*"])


STRICT_ONLY = """
def test_missing_required(cti_recorder):
    cti_recorder({"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentState": "Ready"})
"""


def test_profile_changes_what_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(STRICT_ONLY)
    pytester.runpytest().assert_outcomes(passed=1)
    result = pytester.runpytest("--cti-profile", "strict", "--assert=plain")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*event #1 (SnapshotEvent) $.pyAgentId: required field 'pyAgentId' is missing from the event [[]S5]"])


def test_fail_on_warnings_turns_warnings_into_failures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_lower_case_name(cti_recorder):
            cti_recorder({"pyEventType": "SnapshotEvent", "pyEventName": "snapshot", "pyAgentState": "Ready"})
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)
    result = pytester.runpytest("--cti-fail-on-warnings")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*— 1 warning:", "*warning: event #1 (SnapshotEvent) $.pyEventName: *[[]S2]"])
    pytester.makeini("[pytest]\ncti_fail_on_warnings = true\n")
    pytester.runpytest().assert_outcomes(passed=1, errors=1)


def test_allow_extra_opens_the_strict_profile_for_named_fields(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        FULL = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "5501", "pyThisDN": "8808",
                "pyAgentState": "Ready", "pyLinkState": "CONNECTED", "pyDeviceState": "OPENED", "pyLines": [], "xQueue": "sales"}

        def test_extra(cti_recorder):
            cti_recorder(FULL)
        """
    )
    result = pytester.runpytest("--cti-profile=strict")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*$.xQueue: 'xQueue' is not a property of the SnapshotEvent contract*"])
    pytester.runpytest("--cti-profile=strict", "--cti-allow-extra=xQueue").assert_outcomes(passed=1)


def test_report_header(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    sha = load_contract().sha256[:12]
    result = pytester.runpytest()
    result.stdout.fnmatch_lines([f"cti: profile published, contracts bundled (sha256 {sha}), disabled: none"])
    result = pytester.runpytest("--cti-profile=strict", "--cti-disable=C7,C5", "--cti-fail-on-warnings")
    result.stdout.fnmatch_lines([f"cti: profile strict, contracts bundled (sha256 {sha}), disabled: C5, C7, warnings fail"])
    for quiet in (["-q"], ["--no-header"]):
        assert "cti:" not in pytester.runpytest(*quiet).stdout.str()


def test_unused_plugin_is_quiet(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest()
    assert "Pega OpenCTI contract" not in result.stdout.str()
    assert "jsonschema" not in result.stdout.str()


def test_help_lists_every_option_and_ini_key(pytester: pytest.Pytester) -> None:
    text = pytester.runpytest("--help").stdout.str()
    for name in (
        "--cti-profile=NAME",
        "--cti-contracts=DIR",
        "--cti-disable=IDS",
        "--cti-allow-extra=NAMES",
        "--cti-fail-on-warnings",
        "--cti-report=PATH",
        "cti_profile",
        "cti_contracts",
        "cti_disable",
        "cti_allow_extra",
        "cti_fail_on_warnings",
        "cti_capture_files",
    ):
        assert name in text, name
