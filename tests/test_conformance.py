"""The conformance kit, as a connector team uses it: a Driver, a ConnectorConformance class, pytest.

A correct connector passes; each planted bug is found with the right rule id and a shrunk,
paste-ready shift (which, pasted, fails the same way); unsupported transitions are never drawn;
the same seed gives the same run; usage errors are one line at collection.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conformance_drivers import BUGS

DRIVERS = (Path(__file__).parent / "conformance_drivers.py").read_text(encoding="utf-8")
SETTINGS = "settings(max_examples={n}, stateful_step_count=20, database=None)"
#: A hunt as the examples keep one: the same shifts every run, and no Hypothesis shrink phase (the kit's own
#: minimiser shortens what Hypothesis found; that phase took most of a hunt's time).
HUNT = "settings(max_examples={n}, stateful_step_count=20, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate])"


def suite(driver: str, n: int = 200, extra: str = "", *, hunt: bool = True) -> str:
    chosen = (HUNT if hunt else SETTINGS).format(n=n)
    return f"""
from hypothesis import Phase, settings
from conformance_drivers import *
from pytest_snapshot_cti.conformance import ConnectorConformance

class TestKit(ConnectorConformance):
    driver = {driver}
    settings = {chosen}
{extra}
"""


@pytest.fixture
def kit(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(conformance_drivers=DRIVERS)
    return pytester


def pasted_test(output: str) -> str:
    """The paste-ready test in ``output``, dedented (the lines after "as a test to paste", indented or blank)."""
    lines = output.split("as a test to paste")[1].splitlines()[1:]
    kept = []
    for line in lines:
        if line and not line.startswith("    "):
            break
        kept.append(line[4:])
    return "\n".join(kept)


def section(output: str, title: str) -> str:
    """The lines of a terminal-summary section (between its title line and the next ``===`` line)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("=") and f" {title} " in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("="))
    return "\n".join(lines[start + 1 : end])


def steps_of(output: str) -> list[str]:
    """The ``shift.<transition>(...)`` lines of the paste-ready test in ``output``."""
    return re.findall(r"^E?\s+shift\.(\w+\(.*\))$", output, flags=re.M)


def test_a_correct_connector_passes_every_scenario_and_every_shift(kit: pytest.Pytester) -> None:
    kit.makepyfile(test_kit=suite("ReferenceDriver", n=60, hunt=False))
    result = kit.runpytest("-p", "no:randomly", "-v")
    result.assert_outcomes(passed=8)
    result.stdout.fnmatch_lines(
        [
            "*test_kit.py::TestKit::test_scenario[[]login[]] PASSED*",
            "*test_kit.py::TestKit::test_scenario[[]link_drop_reconnect[]] PASSED*",
            "*test_kit.py::TestKit::test_any_shift PASSED*",
            "*= Pega OpenCTI conformance =*",
            "test_kit.py::TestKit: * shifts, * steps",
            "  transitions: *",
        ]
    )
    explored = result.stdout.str().split("  transitions: ")[1].splitlines()[0]
    drawn = {item.rsplit(" ", 1)[0] for item in explored.split(", ")}
    assert {"login", "call_offered", "answer", "hold", "retrieve", "consult", "link_down", "link_up"} <= drawn
    assert "not supported" not in result.stdout.str()


@pytest.mark.parametrize(("driver", "rule"), sorted(BUGS.items()))
def test_each_planted_bug_is_found_with_its_rule_and_a_short_shift(kit: pytest.Pytester, driver: str, rule: str) -> None:
    kit.makepyfile(test_kit=suite(driver, extra="    scenarios = ()\n"))
    result = kit.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert f"[{rule}]" in out
    assert "violates the Pega OpenCTI contract" in out
    shift = steps_of(out)
    assert shift[0] == 'login("5501", "8808")'
    assert 1 <= len(shift) <= 6, shift
    assert "Traceback" not in out


def test_the_pasted_shift_fails_the_same_way(kit: pytest.Pytester) -> None:
    kit.makepyfile(test_kit=suite("NeverReportsOfferedCall", extra="    scenarios = ()\n", hunt=False))  # Hypothesis shrinks too
    out = kit.runpytest("-p", "no:randomly").stdout.str()
    code = pasted_test(out)
    kit.makepyfile(test_pasted=code)
    result = kit.runpytest("-p", "no:randomly", "test_pasted.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*step 2 (call_offered '4953', '*')*call '4953' is live (Alerting) but Pega Call was never told of it*[[]O1[]]"])


def test_the_failure_reads_in_one_look(kit: pytest.Pytester) -> None:
    kit.makepyfile(test_kit=suite("HoldShowsConnectedInbound", extra="    scenarios = ()\n"))
    result = kit.runpytest("-p", "no:randomly")
    result.stdout.fnmatch_lines(
        [
            "HoldShowsConnectedInbound's connector at step 4 (hold '4953') violates the Pega OpenCTI contract (profile: published) — 1 error:",
            "  step 4 (hold '4953') event #7 (SnapshotEvent) $.pyLines[[]0[]].pyLineState: call '4953' is Holding but Pega Call was "
            "last told 'Connected' (when a call is put on hold, send a CallStateEvent Held, or a Snapshot listing it 'Holding') [[]O2[]]",
            "events forwarded at step 4 (hold '4953'): ",
            '  #6 {"pyEventType": "CallStateEvent", "pyEventName": "Established", "pyCallId": "4953"*',
            '  #7 {"pyEventType": "SnapshotEvent", *"pyLines": [[]{"pyCallId": "4953", "pyLineState": "Connected"}[]]}',
            "the shift, as a test to paste (4 steps):",
            "",
            "    from pytest_snapshot_cti.conformance import Shift",
            "    from conformance_drivers import HoldShowsConnectedInbound",
            "",
            "    def test_shift_found_by_the_conformance_kit():",
            "        with Shift(HoldShowsConnectedInbound) as shift:",
            '            shift.login("5501", "8808")',
            '            shift.call_offered("4953", "16175551212")',
            '            shift.answer("4953")',
            '            shift.hold("4953")',
        ]
    )
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize("args", [["--assert=plain"], ["-n", "2"]])
def test_the_failure_is_complete_under_plain_asserts_and_xdist(kit: pytest.Pytester, args: list[str]) -> None:
    kit.makepyfile(test_kit=suite("DropsReasonCode", extra="    scenarios = ()\n"))
    result = kit.runpytest_subprocess("-p", "no:randomly", *args)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*step * (not_ready '*') event #* (SnapshotEvent) $.pyReasonCode: the agent is NotReady with reason code '*' "
            "but Pega Call was told '' (carry the reason code the agent chose in pyReasonCode, as a string) [[]O4[]]",
            '*            shift.not_ready("*")',
        ]
    )


def test_a_crash_in_the_driver_is_the_connectors_crash_with_its_traceback(kit: pytest.Pytester) -> None:
    kit.makepyfile(test_kit=suite("CrashesOnHold", extra="    scenarios = ()\n"))
    result = kit.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            '*calls[[]call_id[]] += "held"  # KeyError: the team\'s bug',
            "*conformance_drivers.py:*: KeyError",
            "*ConnectorCrashed: step 4 (hold '4953'): CrashesOnHold.hold('4953') raised KeyError: '4953'",
        ]
    )
    assert "violates the Pega OpenCTI contract" not in out
    assert steps_of(out)[-1] == 'hold("4953")'


def test_unsupported_transitions_are_never_drawn_and_the_run_says_so(kit: pytest.Pytester) -> None:
    kit.makepyfile(
        limited="""
from conformance_drivers import ReferenceDriver
from pytest_snapshot_cti.conformance import Driver, Unsupported

CALLS = []

class Limited(ReferenceDriver):
    hold = Driver.hold  # as if never defined

    def link_down(self):
        CALLS.append("link_down")
        raise Unsupported("our ACD client reconnects by itself")
""",
        test_kit="""
from hypothesis import settings
from limited import CALLS, Limited
from pytest_snapshot_cti.conformance import ConnectorConformance

class TestKit(ConnectorConformance):
    driver = Limited
    settings = settings(max_examples=40, stateful_step_count=20, database=None)

def test_link_down_was_only_probed():
    assert CALLS == ["link_down"]
""",
    )
    result = kit.runpytest("-p", "no:randomly", "-rs")
    result.assert_outcomes(passed=6, skipped=3)
    out = result.stdout.str()
    result.stdout.fnmatch_lines_random(
        [
            "SKIPPED [[]1[]] *conformance.py:*: scenario 'inbound_call' needs hold, which Limited does not support (Limited does not define it)",
            "SKIPPED [[]1[]] *conformance.py:*: scenario 'link_drop_reconnect' needs link_down, which Limited does not support "
            "(our ACD client reconnects by itself)",
            # hold, and what needs a held call (retrieve, consult and its endings), and link_up without link_down
            "  not supported: conference_complete, consult, hold, link_down, link_up, retrieve, transfer_complete",
        ]
    )
    drawn = out.split("  transitions: ")[1].splitlines()[0]
    assert not {"hold", "retrieve", "link_down", "link_up"} & {item.rsplit(" ", 1)[0] for item in drawn.split(", ")}


def test_the_same_seed_gives_the_same_run(kit: pytest.Pytester) -> None:
    kit.makepyfile(test_kit=suite("ReferenceDriver", n=30, extra="    scenarios = ()\n", hunt=False))
    summaries = []
    for _ in range(2):
        result = kit.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "--hypothesis-seed=11")
        result.assert_outcomes(passed=1)
        summaries.append(section(result.stdout.str(), "Pega OpenCTI conformance"))
    assert summaries[0] == summaries[1]
    assert "transitions:" in summaries[0]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "class NoLogin(Driver):\n    def start(self, forward_event): pass\n",
            "TestKit: NoLogin must define login (start(forward_event) builds*",
        ),
        ("class NoLogin(Driver):\n    pass\n", "TestKit: NoLogin must define start and login*"),
        ("NoLogin = object\n", "TestKit: driver must be a subclass of pytest_snapshot_cti.conformance.Driver, got <class 'object'>"),
    ],
)
def test_a_driver_without_start_or_login_is_a_one_line_error_at_collection(pytester: pytest.Pytester, body: str, message: str) -> None:
    pytester.makepyfile(
        test_kit=f"""
from pytest_snapshot_cti.conformance import ConnectorConformance, Driver

{body}
class TestKit(ConnectorConformance):
    driver = NoLogin
"""
    )
    result = pytester.runpytest("-p", "no:randomly")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ERROR collecting test_kit.py*", message])
    assert "Traceback" not in result.stdout.str()


def test_the_cti_marker_and_disable_reach_the_kit(kit: pytest.Pytester) -> None:
    kit.makepyfile(
        test_kit=f"""
import pytest
from hypothesis import settings
from conformance_drivers import HoldShowsConnected
from pytest_snapshot_cti.conformance import ConnectorConformance

@pytest.mark.cti(disable=["O2"])
class TestDisabled(ConnectorConformance):
    driver = HoldShowsConnected
    scenarios = ()
    settings = {SETTINGS.format(n=60)}

class TestStrict(ConnectorConformance):
    driver = HoldShowsConnected
    scenarios = ("inbound_call",)
    profile = "strict"
"""
    )
    result = kit.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=2)  # TestDisabled passes; both of TestStrict's tests fail
    result.stdout.fnmatch_lines(["*(profile: strict) — 1 error:*", '*with Shift(HoldShowsConnected, profile="strict") as shift:'])


ASYNC = """
from hypothesis import settings
from conformance_drivers import ReferenceDriver
from pytest_snapshot_cti.conformance import ConnectorConformance

class Buffered(ReferenceDriver):
    '''A connector that forwards from a queue, as one talking to a socket does: the events come later.'''

    def start(self, forward_event):
        self.queue = []
        super().start(self.queue.append)
        self.deliver = forward_event

    def settle(self):
        while self.queue:
            self.deliver(self.queue.pop(0))

class Impatient(Buffered):
    settle = ReferenceDriver.settle   # does not wait: the kit checks before the events arrive

class TestBuffered(ConnectorConformance):
    driver = Buffered
    scenarios = ("inbound_call",)
    settings = settings(max_examples=30, stateful_step_count=15, database=None)

class TestImpatient(ConnectorConformance):
    driver = Impatient
    scenarios = ("login",)
"""


def test_an_asynchronous_connector_settles_before_each_check(kit: pytest.Pytester) -> None:
    kit.makepyfile(test_kit=ASYNC)
    result = kit.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*Impatient's connector at step 1 (login '5501', '8808')*",
            "*step 1 (login '5501', '8808') end of stream $: no Snapshot was forwarded after login*[[]L1[]]",
        ]
    )


def test_the_loaded_hypothesis_profile_sizes_the_run(kit: pytest.Pytester) -> None:
    kit.makeconftest(
        """
from hypothesis import settings
settings.register_profile("tiny", max_examples=7, stateful_step_count=3, database=None)
"""
    )
    kit.makepyfile(
        test_kit="from conformance_drivers import ReferenceDriver\nfrom pytest_snapshot_cti.conformance import ConnectorConformance\n\nclass TestKit(ConnectorConformance):\n    driver = ReferenceDriver\n    scenarios = ()\n"
    )
    result = kit.runpytest("-p", "no:randomly", "--hypothesis-profile=tiny")
    result.assert_outcomes(passed=1)
    head = section(result.stdout.str(), "Pega OpenCTI conformance").splitlines()[0]
    shifts, steps = (int(n.replace(",", "")) for n in re.findall(r"([\d,]+) (?:shifts|steps)", head))
    assert 1 <= shifts < 50  # a few more than 7 (Hypothesis counts some draws twice), far from the default 100
    assert steps <= 4 * shifts  # login plus at most three steps a shift


def test_a_json_string_holding_json_is_a_finding_not_an_event() -> None:
    import json

    from conformance_drivers import ReferenceDriver

    from pytest_snapshot_cti.conformance import ConformanceFailure, Shift

    class TwiceEncoded(ReferenceDriver):
        def start(self, forward_event):
            super().start(lambda event: forward_event(json.dumps(json.dumps(event))))

    with pytest.raises(ConformanceFailure) as raised, Shift(TwiceEncoded) as shift:
        shift.login("5501", "8808")
    assert ("json.not_object", "step 1 (login '5501', '8808') event #1 (event without pyEventType)") in {
        (v.rule, v.location) for v in raised.value.violations
    }
