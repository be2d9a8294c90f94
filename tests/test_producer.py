"""assert_producer_honours_contract as a connector team runs it: inside pytest, through pytester."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import strategies as st

from pytest_snapshot_cti import ContractUsageError, ContractViolationError, assert_producer_honours_contract
from pytest_snapshot_cti.producer import ProducerError, producer_name

MAPPER = '''
from hypothesis import strategies as st
from pytest_snapshot_cti import assert_producer_honours_contract

STATES = {"READY": "Ready", "NOT_READY": "NotReady", "LOGOUT": "Logout"}


def map_user_state(user):
    """Finesse user state -> AgentStateEvent; the bug: a NotReady reason code stays an int."""
    event = {"pyEventType": "AgentStateEvent", "pyEventName": STATES[user["state"]], "pyMedia": "Phone"}
    if user["state"] == "NOT_READY":
        event["pyReasonCode"] = user["reasonCodeId"]
    elif user["state"] == "LOGOUT":
        event["pyReasonCode"] = str(user["reasonCodeId"])
    return event


def finesse_user_events():
    return st.fixed_dictionaries({"state": st.sampled_from(sorted(STATES)), "reasonCodeId": st.integers(1, 999)})


def test_mapper_honours_contract():
    assert_producer_honours_contract(map_user_state, finesse_user_events(), profile="strict")
'''

SHRUNK = "Input (shrunk): {'state': 'NOT_READY', 'reasonCodeId': 1}"


def failure_lines(result: pytest.RunResult) -> str:
    return "\n".join(result.outlines)


def test_a_bug_in_one_input_class_fails_with_name_shrunk_input_and_reproduction(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_mapper=MAPPER)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*producer test_mapper.map_user_state broke the Pega OpenCTI contract",
            f"*{SHRUNK}",
            "*Output: {'pyEventType': 'AgentStateEvent', 'pyEventName': 'NotReady', 'pyMedia': 'Phone', 'pyReasonCode': 1}",
            "*output of test_mapper.map_user_state violates the Pega OpenCTI contract (profile: strict) — 1 error:",
            "*$.pyReasonCode: 1 is not of type 'string' (send identifiers as JSON strings: \"1\") [[]S3[]]",
            "*Reproduce:",
            "*assert_producer_honours_contract(map_user_state, st.just({'state': 'NOT_READY', 'reasonCodeId': 1}), profile='strict')",
            "*or add @example({'state': 'NOT_READY', 'reasonCodeId': 1}) to a @given test over the same inputs",
            "*or rerun with: pytest --hypothesis-seed=*",
        ]
    )
    assert "Traceback" not in failure_lines(result)


def test_the_printed_seed_reproduces_the_same_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_mapper=MAPPER)
    first = pytester.runpytest("-p", "no:randomly")
    seed = re.search(r"--hypothesis-seed=(\d+)", failure_lines(first))
    assert seed is not None
    shutil.rmtree(pytester.path / ".hypothesis", ignore_errors=True)  # no database replay: the seed alone
    again = pytester.runpytest("-p", "no:randomly", f"--hypothesis-seed={seed.group(1)}")
    again.assert_outcomes(failed=1)
    again.stdout.fnmatch_lines([f"*{SHRUNK}", f"*or rerun with: pytest --hypothesis-seed={seed.group(1)}"])


def test_the_pasted_reproduction_line_fails_the_same_way(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_mapper=MAPPER)
    line = next(
        m.group(0) for x in pytester.runpytest().outlines if (m := re.search(r"assert_producer_honours_contract\(.*st\.just\(.*", x))
    )
    pytester.makepyfile(
        test_repro=f"""
        from hypothesis import strategies as st
        from pytest_snapshot_cti import assert_producer_honours_contract
        from test_mapper import map_user_state

        def test_repro():
            {line}
        """
    )
    result = pytester.runpytest("test_repro.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"*{SHRUNK}", "*[[]S3[]]"])


@pytest.mark.parametrize("args", [("--assert=plain",), ("-n", "2", "-p", "no:randomly")])
def test_the_message_is_complete_without_rewriting_and_under_xdist(pytester: pytest.Pytester, args: tuple[str, ...]) -> None:
    pytester.makepyfile(test_mapper=MAPPER)
    result = pytester.runpytest_subprocess(*args)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*producer test_mapper.map_user_state broke the Pega OpenCTI contract", f"*{SHRUNK}", "*[[]S3[]]"])


def test_a_crashing_producer_is_reported_as_a_crash(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_crash="""
        from hypothesis import strategies as st
        from pytest_snapshot_cti import assert_producer_honours_contract

        STATES = {"READY": "Ready", "NOT_READY": "NotReady"}

        def map_user_state(state):
            return {"pyEventType": "AgentStateEvent", "pyEventName": STATES[state]}

        def test_crash():
            assert_producer_honours_contract(map_user_state, st.sampled_from(["READY", "NOT_READY", "WORK"]))
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*KeyError: 'WORK'",
            "*producer test_crash.map_user_state raised KeyError: 'WORK'",
            "*Input (shrunk): 'WORK'",
            "*This is a crash in the producer, not a contract violation.",
        ]
    )
    assert "violates the Pega OpenCTI contract" not in failure_lines(result)


def test_users_settings_profile_decides_how_many_examples_run(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        from hypothesis import settings
        settings.register_profile("ci-small", max_examples=7, database=None)
        """
    )
    pytester.makepyfile(
        test_count="""
        from hypothesis import strategies as st
        from pytest_snapshot_cti import assert_producer_honours_contract

        calls = []

        def produce(n):
            calls.append(n)
            return [{"pyEventType": "CallStateEvent", "pyEventName": "Alerting", "pyCallId": str(n)}]

        def test_profile():
            calls.clear()
            assert_producer_honours_contract(produce, st.integers(0, 10**9))
            assert len(calls) == 7

        def test_explicit_max_examples_wins():
            calls.clear()
            assert_producer_honours_contract(produce, st.integers(0, 10**9), max_examples=3)
            assert len(calls) == 3
        """
    )
    pytester.runpytest("--hypothesis-profile=ci-small", "-p", "no:randomly").assert_outcomes(passed=2)


def test_lists_none_and_warnings_pass() -> None:
    def produce(n: int) -> object:
        if n == 0:
            return None  # nothing forwarded for this input
        return [
            {"pyEventType": "CallStateEvent", "pyEventName": "Alerting", "pyCallId": str(n)},
            {"pyEventType": "SnapshotEvent", "pyEventName": "Resync", "pyLines": []},  # S2 is only a warning
        ]

    assert_producer_honours_contract(produce, st.integers(0, 5), max_examples=10)


def test_a_list_is_located_event_by_event() -> None:
    def produce(n: int) -> list[dict[str, object]]:
        return [
            {"pyEventType": "CallStateEvent", "pyEventName": "Alerting", "pyCallId": "1"},
            {"pyEventType": "CallStateEvent", "pyCallId": n},
        ]

    with pytest.raises(ContractViolationError) as info:
        assert_producer_honours_contract(produce, st.integers(0, 5), max_examples=10)
    assert "Input (shrunk): 0" in str(info.value)
    assert "event #2 $.pyCallId: 0 is not of type 'string'" in str(info.value)
    assert [v.rule for v in info.value.violations] == ["S3"]


def test_stream_true_also_checks_the_lifecycle() -> None:
    def produce(n: int) -> list[dict[str, object]]:
        return [{"pyEventType": "AgentStateEvent", "pyEventName": "Login"}, {"pyEventType": "AgentStateEvent", "pyEventName": "Ready"}]

    assert_producer_honours_contract(produce, st.just(1))
    with pytest.raises(ContractViolationError) as info:
        assert_producer_honours_contract(produce, st.just(1), stream=True)
    assert [v.rule for v in info.value.violations] == ["L1"]


def test_stream_true_is_told_about_login_and_logout() -> None:
    def produce(extension: str) -> list[dict[str, object]]:
        snapshot = {"pyEventType": "SnapshotEvent", "pyEventName": "Snapshot", "pyAgentId": "5501", "pyThisDN": extension,
                    "pyAgentState": "Ready", "pyLinkState": "CONNECTED", "pyDeviceState": "OPENED", "pyLines": []}  # fmt: skip
        return [snapshot]

    login = {"agent_id": "5501", "extension": "8808"}
    assert_producer_honours_contract(produce, st.just("8808"), stream=True, login=login)
    with pytest.raises(ContractViolationError) as info:
        assert_producer_honours_contract(produce, st.just("8808"), stream=True, login=login, logout=True)
    assert [v.rule for v in info.value.violations] == ["L2"]
    assert "no Snapshot with pyAgentState 'Logout' was forwarded after logout" in str(info.value)
    with pytest.raises(ContractViolationError) as info:
        assert_producer_honours_contract(produce, st.just("9999"), stream=True, login=login, profile="strict")
    assert [v.rule for v in info.value.violations] == ["L4"]


def test_producer_error_is_an_assertion_error_with_the_cause() -> None:
    def produce(n: int) -> dict[str, str]:
        raise ValueError(f"no mapping for {n}")

    with pytest.raises(ProducerError) as info:
        assert_producer_honours_contract(produce, st.just(42))
    assert isinstance(info.value, AssertionError)
    assert isinstance(info.value.__cause__, ValueError)
    assert "raised ValueError: no mapping for 42" in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"inputs": [1, 2]}, "inputs must be a Hypothesis strategy (e.g. st.builds(...)), got list"),
        ({"producer": 3}, "producer must be callable, got int"),
        ({"kind": "snap"}, "unknown kind 'snap': choose one of auto, snapshot, agent, call, party"),
        ({"profile": "lenient"}, "unknown profile 'lenient'"),
        ({"logout": True}, "login= and logout= describe a stream of events: pass stream=True too"),
        ({"login": {"agent_id": "5501"}}, "login= and logout= describe a stream of events: pass stream=True too"),
    ],
)
def test_misuse_is_explained(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"producer": lambda x: None, "inputs": st.just(1), **kwargs}
    with pytest.raises(ContractUsageError) as info:
        assert_producer_honours_contract(**arguments)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)


def test_producer_names() -> None:
    import functools

    class Mapper:
        def __call__(self, x: object) -> None:
            return None

        def map(self, x: object) -> None:
            return None

    assert producer_name(test_producer_names).endswith("test_producer.test_producer_names")
    assert producer_name(Mapper().map).endswith("test_producer_names.<locals>.Mapper.map")
    assert producer_name(Mapper()).endswith("test_producer_names.<locals>.Mapper")
    assert producer_name(functools.partial(Mapper().map)).endswith("Mapper.map")
