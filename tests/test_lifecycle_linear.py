"""The stream rules are linear and say exactly what they said when they were quadratic (issue 12, §5).

``lifecycle_reference`` is the former implementation, kept verbatim as the oracle.
"""

from __future__ import annotations

from typing import Any

import lifecycle_reference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import check_stream
from pytest_snapshot_cti.lifecycle import _check_l1, _check_logout, _Stream

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


class _CountingList(list):  # type: ignore[type-arg]
    """A list that counts how often an item is read: the rules' work, independent of the machine."""

    reads = 0

    def __getitem__(self, index: Any) -> Any:
        type(self).reads += 1
        return super().__getitem__(index)


def _reads(events: list[Any], *, login_known: bool) -> int:
    stream = _Stream(events, None, lambda rule: "error")
    stream.types = _CountingList(stream.types)
    stream.events = _CountingList(events)
    _CountingList.reads = 0
    _check_l1(stream, login_known)
    _check_logout(stream, False)
    return _CountingList.reads


def test_l1_and_the_logout_rules_read_each_event_a_bounded_number_of_times() -> None:
    """Issue 12's stream (Logins and Logouts, no Snapshot): 20k/40k/80k events took 2.4/10.9/86.8 s."""
    shift = [{"pyEventType": "AgentStateEvent", "pyEventName": name} for name in ("Login", "Ready", "NotReady", "Logout")]
    for size in (2_000, 8_000):
        events = shift * (size // len(shift))
        assert _reads(events, login_known=True) <= 4 * size
