"""The model of the contact centre: its transitions as a contract, and the oracle agreeing with the writer.

The model is what every reference stream is written from and what every connector is judged by,
so the two must agree: a shift written by the stream writer (a Snapshot after each step) is, step
by step, exactly what the oracle calls true.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import EventFactory, load_contract, model
from pytest_snapshot_cti.model import TRANSITIONS, ModelError, World
from pytest_snapshot_cti.oracle import Belief, compare
from pytest_snapshot_cti.scenarios import Script

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
STRICT = load_contract("strict")

#: The issue's names and signatures: a contract with every team's driver.
SIGNATURES = {
    "login": ("agent_id", "extension"),
    "logout": ("reason_code",),
    "ready": (),
    "not_ready": ("reason_code",),
    "after_call_work": (),
    "call_offered": ("call_id", "caller"),
    "answer": ("call_id",),
    "caller_hangs_up": ("call_id",),
    "abandoned": ("call_id",),
    "hang_up": ("call_id",),
    "hold": ("call_id",),
    "retrieve": ("call_id",),
    "dial": ("call_id", "number"),
    "far_end_answers": ("call_id",),
    "consult": ("call_id", "number"),
    "transfer_complete": ("call_id",),
    "conference_complete": ("call_id",),
    "link_down": (),
    "link_up": (),
    "device_closed": (),
}


def test_the_transitions_and_their_signatures() -> None:
    assert {name: t.params for name, t in TRANSITIONS.items()} == SIGNATURES


def test_the_readme_table_is_the_models() -> None:
    table = README.split("<!-- transitions -->")[1].split("<!-- /transitions -->")[0]
    rows = [line for line in table.strip().splitlines()[2:]]
    assert rows == [f"| `{t.name}({', '.join(t.params)})` | {t.doc} | {t.expects} |" for t in TRANSITIONS.values()]


def test_what_can_happen_next() -> None:
    w = World()
    assert model.possible(w) == ["login"]
    w = model.apply(w, "login", "5501", "8808")
    assert model.possible(w) == ["logout", "ready", "not_ready", "after_call_work", "call_offered", "dial", "link_down", "device_closed"]
    w = model.apply(model.apply(w, "call_offered", "1", "16175551212"), "answer", "1")
    assert model.possible(w) == ["ready", "not_ready", "caller_hangs_up", "hang_up", "hold", "link_down"]
    assert model.possible(model.apply(w, "link_down")) == ["link_up"]


def test_apply_leaves_the_world_it_was_given() -> None:
    w = model.apply(World(), "login", "5501", "8808")
    after = model.apply(w, "call_offered", "1", "16175551212")
    assert (w.calls, list(after.calls)) == ({}, ["1"])


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([("answer", "1")], "answer cannot happen now: the agent is logged out"),
        ([("login", "5501", "8808"), ("answer", "9")], "answer cannot happen now: agent Login, link CONNECTED, device OPENED, no calls"),
        (
            [("login", "5501", "8808"), ("call_offered", "1", "2"), ("answer", "9")],
            "answer: call '9' is not one it can apply to now ('1'); agent Login, link CONNECTED, device OPENED, '1' Alerting",
        ),
        ([("login", "5501", "8808"), ("hold",)], "hold(call_id) takes 1 argument(s), got 0"),
        ([("login", "5501", "8808"), ("not_ready", 12)], "not_ready: reason_code must be a string, got 12"),
        ([("login", "5501", 8808)], "login: extension must be a non-empty string, got 8808"),
        (
            [("login", "5501", "8808"), ("call_offered", "1", "2"), ("answer", "1"), ("hold", "1"), ("call_offered", "1", "3")],
            "call_offered: call '1' is already live",
        ),
        ([("lunch",)], "unknown transition 'lunch': choose one of login, logout, ready, *"),
    ],
)
def test_a_transition_that_cannot_happen_says_why(steps: list[tuple], message: str) -> None:
    w = World()
    for name, *args in steps[:-1]:
        w = model.apply(w, name, *args)
    name, *args = steps[-1]
    with pytest.raises(ModelError) as raised:
        model.apply(w, name, *args)
    assert re.fullmatch(re.escape(message).replace(r"\*", ".*"), str(raised.value))


@st.composite
def walks(draw: st.DrawFn) -> list[tuple[str, tuple[str, ...]]]:
    """A random shift over the model: each step one of the transitions possible at that point."""
    w = model.apply(World(), "login", "5501", "8808")
    steps: list[tuple[str, tuple[str, ...]]] = [("login", ("5501", "8808"))]
    for n in range(draw(st.integers(0, 30))):
        name = draw(st.sampled_from(model.possible(w)))
        t = TRANSITIONS[name]
        if t.targets is not None:
            args: tuple[str, ...] = (draw(st.sampled_from(t.targets(w))),)
        elif t.new_call:
            args = (f"c{n}", draw(st.sampled_from(("16175551212", "8809"))))
        elif t.params == ("reason_code",):
            args = (draw(st.sampled_from(("", "0", "12", "Lunch"))),)
        elif name == "login":
            args = ("5501", "8808")
        else:
            args = ()
        w = model.apply(w, name, *args)
        steps.append((name, args))
    return steps


@settings(max_examples=150)
@given(walks())
def test_every_world_keeps_at_most_one_active_line_and_ids_unique(steps: list[tuple[str, tuple[str, ...]]]) -> None:
    w = World()
    for name, args in steps:
        w = model.apply(w, name, *args)
        assert len(w.in_state(*model.ACTIVE)) <= 1
        assert len(w.calls) <= model.MAX_CALLS
        assert not w.calls or (w.logged_in and w.device == "OPENED")


@settings(max_examples=150)
@given(walks())
def test_the_oracle_calls_the_written_stream_true_at_every_step(steps: list[tuple[str, tuple[str, ...]]]) -> None:
    script = Script(EventFactory(3, profile="strict"), "5501", "8808")
    belief, gone, heard = Belief(), {}, 0
    for number, (name, args) in enumerate(steps, start=1):
        before = script.world
        script.step(name, *args)
        if script.events[-1]["pyEventType"] != "SnapshotEvent" or len(script.events) == heard:
            script.snapshot()
        for call_id in before.calls:
            if call_id not in script.world.calls:
                gone[call_id] = f"step {number}"
        if name == "login":
            gone.clear()
        for index in range(heard, len(script.events)):
            belief.hear(script.events[index], index)
            assert STRICT.validate(script.events[index], observe=False) == [], script.events[index]
        heard = len(script.events)
        assert compare(script.world, belief, gone) == [], (name, args, model.describe(script.world))


def test_the_model_says_what_a_correct_connector_forwards_for_a_step() -> None:
    from pytest_snapshot_cti.stream_writer import reference_events

    w = model.apply(model.apply(model.apply(World(), "login", "5501", "8808"), "call_offered", "1", "16175551212"), "answer", "1")
    held = reference_events(w, "hold", "1")
    assert [(e["pyEventType"], e["pyEventName"], e["pyCallId"]) for e in held] == [("CallStateEvent", "Held", "1")]
    down = reference_events(w, "link_down")
    assert [(e["pyAgentState"], e["pyLinkState"], e["pyLines"]) for e in down] == [("Unknown", "DISCONNECTED", [])]
    assert w.calls["1"].line_state == "Connected"  # the world asked about is left as it was
    assert all(STRICT.validate(e, observe=False) == [] for e in (*held, *down))
