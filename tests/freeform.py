"""Free-form Snapshots: every field the rules read, with near misses, wrong types and stray keys.

Shared by the tests that hold a fast path to the engine's verdicts (test_bulk_differential.py,
test_structs.py, test_rule_conditions.py): the same inputs, so a disagreement shows in both.
"""

from __future__ import annotations

from hypothesis import strategies as st

_STATES = ["Ready", "NotReady", "Login", "Logout", "Busy", "Unknown", "ready", "Hold", 3, None]
_LINE_STATES = ["None", "Alerting", "Connected", "Holding", "Retrieved", "Initiate", "NONE", "Hold", ["Connected"], {}, 0]
_line = st.fixed_dictionaries(
    {},
    optional={
        "pyCallId": st.sampled_from(["c-1", "c-2", "", None, 5501]),
        "pyLineState": st.sampled_from(_LINE_STATES),
        "x": st.just("extra"),
    },
)
snapshots = st.fixed_dictionaries(
    {},
    optional={
        "pyEventType": st.sampled_from(["SnapshotEvent", "AgentStateEvent", "CallInfoEvent", "Nope", None]),
        "pyEventName": st.sampled_from(["Snapshot", "Ready", 7, None]),
        "pyAgentId": st.sampled_from(["5501", 5501]),
        "pyAgentState": st.sampled_from(_STATES),
        "pyThisDN": st.just("8808"),
        "pyLinkState": st.sampled_from(["CONNECTED", "DISCONNECTED", "disconnected"]),
        "pyDeviceState": st.sampled_from(["OPENED", "CLOSED", "Closed"]),
        "pyReasonCode": st.sampled_from(["", "0", "12", " ", 0, None]),
        "pyMedia": st.just("Phone"),
        "pyLines": st.one_of(st.lists(st.one_of(_line, st.sampled_from(["c-1", None])), max_size=3), st.sampled_from([{}, "none", None])),
        "pyCallId": st.just("c-1"),
        "pyParties": st.just([]),
    },
)

_typed_line = st.fixed_dictionaries(
    {},
    optional={
        "pyCallId": st.sampled_from(["c-1", "c-2", ""]),
        "pyLineState": st.sampled_from(["None", "Alerting", "Connected", "Holding", "Retrieved", "Initiate"]),
    },
)
#: Every combination the rules read, well typed: the typed path decodes each, so its rules decide (test_structs.py,
#: test_rule_conditions.py).
well_typed_snapshots = st.fixed_dictionaries(
    {"pyEventType": st.just("SnapshotEvent")},
    optional={
        "pyEventName": st.sampled_from(["Snapshot", "Ready", ""]),
        "pyAgentId": st.just("5501"),
        "pyAgentState": st.sampled_from(["Ready", "NotReady", "Login", "Logout", "Busy", "Unknown"]),
        "pyThisDN": st.just("8808"),
        "pyLinkState": st.sampled_from(["CONNECTED", "DISCONNECTED"]),
        "pyDeviceState": st.sampled_from(["OPENED", "CLOSED"]),
        "pyReasonCode": st.sampled_from(["", "0", "12"]),
        "pyMedia": st.just("Phone"),
        "pyLines": st.lists(_typed_line, max_size=3),
    },
)
