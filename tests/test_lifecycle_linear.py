"""The stream rules are linear and say exactly what they said when they were quadratic (issue 12, §5).

``lifecycle_reference`` is the former implementation, kept verbatim as the oracle.
"""

from __future__ import annotations

import io
import sys
from typing import Any

import lifecycle_reference
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import check_stream, load_contract
from pytest_snapshot_cti.bulk import BulkValidator
from pytest_snapshot_cti.cli import generate

_SNAPSHOTS = [
    {"pyEventType": "SnapshotEvent", "pyAgentState": state, "pyLinkState": link, "pyDeviceState": device, "pyLines": lines, **more}
    for state in ("Ready", "Logout", "Busy")
    for link, device, lines, more in (
        ("CONNECTED", "OPENED", [], {"pyAgentId": "5501", "pyThisDN": "8808"}),
        ("DISCONNECTED", "CLOSED", [{"pyCallId": "c-1", "pyLineState": "Connected"}], {"pyAgentId": "5502"}),
        ("CONNECTED", "CLOSED", [{"pyCallId": "c-2", "pyLineState": "Holding"}], {}),
    )
]
_EVENTS: list[Any] = [
    *_SNAPSHOTS,
    *({"pyEventType": "AgentStateEvent", "pyEventName": name} for name in ("Login", "Logout", "Ready", "NotReady")),
    *({"pyEventType": "CallStateEvent", "pyEventName": name, "pyCallId": cid} for name in ("Alerting", "Disconnected") for cid in ("c-1", "c-2")),
    {"pyWorkMode": "ACW", "pyEventName": "Login"},  # no pyEventType: an agent event by its fields
    {"pyCallType": "INBOUND", "pyCallId": "c-1"},
    {"pyEventType": "PartyInfoEvent"},
    {"pyEventType": "CallInfoEvent"},
    {"pyEventType": 7},
    "not an object",
    None,
]
_login = st.one_of(st.none(), st.fixed_dictionaries({}, optional={"agent_id": st.sampled_from(["5501", None]), "extension": st.just("8808")}))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=st.lists(st.sampled_from(_EVENTS), max_size=40),
    login=_login,
    logout=st.booleans(),
    located=st.booleans(),
)
def test_the_linear_rules_equal_the_former_ones(events: list[Any], login: dict[str, Any] | None, logout: bool, located: bool) -> None:
    locations = [f"f.jsonl:{n + 1}" for n in range(len(events))] if located else None
    expected = lifecycle_reference.check_stream(events, login=login, logout=logout, locations=locations)
    assert check_stream(events, login=login, logout=logout, locations=locations) == expected


def _work(check: Any, events: list[Any]) -> int:
    """Lines of Python the stream rules execute for ``events``: their work, counted instead of timed."""
    count = 0

    def trace(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        return trace if frame.f_code.co_filename.endswith("lifecycle.py") or "lifecycle_reference" in frame.f_code.co_filename else None

    sys.settrace(tracer)
    try:
        check(events, login={"agent_id": "5501"}, logout=False)
    finally:
        sys.settrace(None)
    return count


SHIFT = [{"pyEventType": "AgentStateEvent", "pyEventName": name} for name in ("Login", "Ready", "NotReady", "Logout")]


def test_the_stream_rules_do_work_proportional_to_the_stream() -> None:
    """Issue 12's agent stream (Logins and Logouts, no Snapshot) took 2.4/10.9/86.8 s for 20k/40k/80k events."""
    small, large = (_work(check_stream, SHIFT * (size // len(SHIFT))) for size in (1_000, 4_000))
    assert large <= 4.5 * small


def test_the_former_rules_were_quadratic() -> None:
    """The same measure of the oracle shows what was fixed (this is the reproducer, kept as a contrast)."""
    small, large = (_work(lifecycle_reference.check_stream, SHIFT * (size // len(SHIFT))) for size in (1_000, 4_000))
    assert large > 10 * small


@pytest.mark.parametrize("kind", ["auto", "agent"])
def test_the_cli_lifecycle_on_typed_events_equals_the_engine_only_run(kind: str) -> None:
    """With --lifecycle the typed path keeps its Structs; the stream rules read them as the dicts they stand for."""
    out = io.StringIO()
    generate(out, count=600, seed=3, kind="agent", invalid=0.05)
    for scenario in ("inbound_call", "consult_transfer", "link_drop_reconnect"):
        generate(out, scenario=scenario, count=3, seed=9, invalid=0.1)
    generate(out, count=300, seed=4, kind="agent")
    data = out.getvalue().encode()
    runs = []
    for fast in (True, False):
        validator = BulkValidator(load_contract(), kind=kind, lifecycle=True, fast=fast)
        runs.append((list(validator.validate_stream(io.BytesIO(data), "f.jsonl")), validator.tally.to_dict()))
    assert runs[0] == runs[1]
    assert runs[0][1]["lifecycle_errors"] > 100


def test_a_typed_logout_snapshot_with_lines_is_quoted_as_written() -> None:
    """L5 quotes the post-logout Snapshot's pyLines as the line wrote them (key order included), on the typed path too."""
    lines = [
        b'{"pyEventType":"AgentStateEvent","pyEventName":"Logout"}',
        b'{"pyEventType":"SnapshotEvent","pyEventName":"Snapshot","pyAgentState":"Logout","pyDeviceState":"CLOSED",'
        b'"pyLines":[{"pyLineState":"None","pyCallId":"c-1"}]}',
    ]
    data = b"".join(line + b"\n" for line in lines)
    runs = []
    for fast in (True, False):
        validator = BulkValidator(load_contract(), lifecycle=True, fast=fast)
        runs.append(list(validator.validate_stream(io.BytesIO(data), "f.jsonl")))
    assert runs[0] == runs[1]
    messages = [v.message for outcome in runs[0] for v in getattr(outcome, "violations", ())]
    assert "the post-logout Snapshot has pyLines [{'pyLineState': 'None', 'pyCallId': 'c-1'}]" in messages
