"""The cti_factory / cti_session_factory fixtures as a user's suite sees them (pytester)."""

from __future__ import annotations

import json

import pytest

from pytest_snapshot_cti.factories import EventFactory, stable_seed

DUMP_EVENTS = """
import json, pathlib

def test_dump(cti_factory):
    events = [cti_factory.snapshot("on_hold"), *cti_factory.scenario("inbound_call")]
    pathlib.Path("events.json").write_text(json.dumps({"seed": cti_factory.seed, "events": events}))
"""


def run_dump(pytester: pytest.Pytester, *args: str) -> dict:
    result = pytester.runpytest(*args)
    result.assert_outcomes(passed=1)
    return json.loads((pytester.path / "events.json").read_text())


def test_faker_seed_fixture_is_honoured(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("import pytest\n\n@pytest.fixture\ndef faker_seed():\n    return 1234\n")
    pytester.makepyfile(DUMP_EVENTS)
    for args in ((), ("-p", "no:randomly"), ("-p", "randomly", "--randomly-seed=5")):
        dumped = run_dump(pytester, *args)
        assert dumped["seed"] == 1234
        factory = EventFactory(1234)
        assert dumped["events"] == [factory.snapshot("on_hold"), *factory.scenario("inbound_call")]


def test_faker_locale_fixture_is_honoured(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("import pytest\n\n@pytest.fixture\ndef faker_locale():\n    return ['de_DE']\n")
    pytester.makepyfile(
        """
        def test_locale(cti_factory):
            assert cti_factory.locale == "de_DE"
            call = cti_factory.call_event("Alerting", call_type="INBOUND")
            assert call["pyANI"].startswith("49"), call
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_without_faker_seed_the_node_id_seeds_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nodeid=DUMP_EVENTS)
    dumped = run_dump(pytester, "-p", "no:randomly")
    assert dumped["seed"] == stable_seed("test_nodeid.py::test_dump")
    assert run_dump(pytester, "-p", "no:randomly") == dumped


def test_randomly_seed_reproduces_and_changes_the_events(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(DUMP_EVENTS)
    first = run_dump(pytester, "-p", "randomly", "--randomly-seed=1")
    again = run_dump(pytester, "-p", "randomly", "--randomly-seed=1")
    other = run_dump(pytester, "-p", "randomly", "--randomly-seed=2")
    assert first == again
    assert other["seed"] != first["seed"]
    assert other["events"] != first["events"]


FAILING = """
import pytest

@pytest.fixture
def faker_seed():
    return 4242

def test_fails(cti_factory):
    assert cti_factory.snapshot("ready")["pyAgentState"] == "Busy"

def test_passes(cti_factory):
    pass
"""


@pytest.mark.parametrize("args", [(), ("--assert=plain",), ("-p", "no:randomly")])
def test_a_failure_shows_the_seed(pytester: pytest.Pytester, args: tuple[str, ...]) -> None:
    pytester.makepyfile(FAILING)
    result = pytester.runpytest(*args)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*- pytest-snapshot-cti factory seed -*", "cti_factory seed: 4242 (locale en_US)"])
    assert result.stdout.str().count("cti_factory seed:") == 1  # the passing test adds nothing


def test_a_failure_shows_the_seed_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(FAILING)
    result = pytester.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["cti_factory seed: 4242 (locale en_US)"])


def test_the_seed_is_a_junit_property(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(FAILING)
    pytester.runpytest("--junitxml=out.xml")
    xml = (pytester.path / "out.xml").read_text()
    assert xml.count('<property name="cti_seed" value="4242" />') == 2


def test_session_factory_is_shared_and_follows_randomly(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import json, pathlib
        SEEN = []

        def test_one(cti_session_factory):
            SEEN.append(cti_session_factory)

        def test_two(cti_session_factory):
            SEEN.append(cti_session_factory)
            assert SEEN[0] is SEEN[1]
            pathlib.Path("seed.txt").write_text(str(cti_session_factory.seed))

        def test_fails(cti_session_factory):
            assert False
        """
    )
    result = pytester.runpytest("-p", "randomly", "--randomly-seed=7", "--randomly-dont-reorganize")
    result.assert_outcomes(passed=2, failed=1)
    assert (pytester.path / "seed.txt").read_text() == "7"
    result.stdout.fnmatch_lines(["cti_session_factory seed: 7 (locale en_US)"])
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2, failed=1)
    assert (pytester.path / "seed.txt").read_text() == str(stable_seed("cti_session_factory"))


def test_overrides_follow_the_tests_cti_profile(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from pytest_snapshot_cti.factories import InvalidOverrideError

        def test_published(cti_factory):
            assert cti_factory.snapshot("ready", xVendor="1")["xVendor"] == "1"

        @pytest.mark.cti(profile="strict")
        def test_strict(cti_factory):
            with pytest.raises(InvalidOverrideError, match="additionalProperties|xVendor"):
                cti_factory.snapshot("ready", xVendor="1")
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_fixtures_are_listed(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--fixtures")
    result.stdout.fnmatch_lines(["cti_factory*", "*faker_seed*", "cti_session_factory*[[]session scope[]]*"], consecutive=False)


def test_session_factory_works_inside_given(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from hypothesis import given, settings, strategies as st
        from pytest_snapshot_cti import load_contract
        from pytest_snapshot_cti.factories import PRESETS

        @settings(max_examples=25)
        @given(preset=st.sampled_from(PRESETS))
        def test_render(cti_session_factory, preset):
            assert load_contract("strict").validate(cti_session_factory.snapshot(preset)) == []
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1)
    assert "function_scoped_fixture" not in result.stdout.str()


def test_a_non_int_faker_seed_is_hashed(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("import pytest\n\n@pytest.fixture\ndef faker_seed():\n    return 'night-shift'\n")
    pytester.makepyfile(DUMP_EVENTS)
    assert run_dump(pytester)["seed"] == stable_seed("'night-shift'")


def test_overrides_follow_the_tests_disabled_rules(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from pytest_snapshot_cti.factories import InvalidOverrideError

        def test_checked(cti_factory):
            with pytest.raises(InvalidOverrideError, match=r"\\[C5\\]"):
                cti_factory.snapshot("ready", pyAgentState="Busy")

        @pytest.mark.cti(disable=["C5"])
        def test_disabled(cti_factory):
            assert cti_factory.snapshot("ready", pyAgentState="Busy")["pyAgentState"] == "Busy"
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)
