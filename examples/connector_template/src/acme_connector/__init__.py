"""Acme ACD -> Pega Call OpenCTI: the event mapping of a connector.

Replace the two tables with your vendor's states, keep the rest: a Snapshot after login
and after logout, a CallStateEvent and a Snapshot for every change of a call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Event = dict[str, Any]
ForwardEvent = Callable[[Event], None]

#: Your ACD's agent state -> pyAgentState.
AGENT_STATES = {"AVAILABLE": "Ready", "AWAY": "NotReady", "ON_CALL": "Busy", "SIGNED_OUT": "Logout"}
#: Your ACD's call state -> (pyLineState, CallStateEvent pyEventName); missing = the call ended.
CALL_STATES = {
    "RINGING": ("Alerting", "Alerting"),
    "DIALING": ("Initiate", "Initiated"),
    "TALKING": ("Connected", "Established"),
    "HELD": ("Holding", "Held"),
}


class AcmeConnector:
    """Forward OpenCTI events for one agent."""

    def __init__(self, forward_event: ForwardEvent) -> None:
        self.forward_event = forward_event
        self.agent_id = self.extension = ""
        self.state, self.reason = "AWAY", ""
        self.lines: dict[str, str] = {}

    def login(self, agent_id: str, extension: str) -> None:
        self.agent_id, self.extension = agent_id, extension
        self.state, self.reason, self.lines = "AWAY", "", {}
        self._snapshot()

    def logout(self, reason_code: int | str = "") -> None:
        self.state, self.reason, self.lines = "SIGNED_OUT", str(reason_code), {}
        self._snapshot(device="CLOSED")

    def on_agent(self, state: str, reason_code: int | str = "") -> None:
        self.state, self.reason = state, str(reason_code)
        agent_state = AGENT_STATES[state]
        if agent_state != "Busy":  # AgentStateEvent has no Busy: the call's Snapshots say it
            event: Event = {"pyEventType": "AgentStateEvent", "pyEventName": agent_state, "pyMedia": "Phone"}
            if agent_state == "NotReady":
                event["pyReasonCode"] = self.reason
            self.forward_event(event)
        self._snapshot()

    def on_call(self, call_id: int | str, state: str, *, caller: str) -> None:
        call_id = str(call_id)  # ACDs hand out numeric ids; Pega wants strings
        if state == "TALKING" and self.lines.get(call_id) == "Holding":
            line, name = "Retrieved", "Retrieved"
        else:
            line, name = CALL_STATES.get(state, (None, "Disconnected"))
        event = {
            "pyEventType": "CallStateEvent",
            "pyEventName": name,
            "pyCallId": call_id,
            "pyCallType": "INBOUND",
            "pyANI": caller,
            "pyMedia": "Phone",
        }
        self.forward_event(event)
        if line is None:
            self.lines.pop(call_id, None)
        else:
            self.lines[call_id] = line
            self._snapshot()

    def _snapshot(self, device: str = "OPENED") -> None:
        agent_state = AGENT_STATES[self.state]
        if agent_state == "Busy" and not self.lines:
            return  # a Busy Snapshot restates its call: wait for it
        self.forward_event(
            {
                "pyEventType": "SnapshotEvent",
                "pyEventName": "Snapshot",
                "pyAgentId": self.agent_id,
                "pyAgentState": agent_state,
                "pyReasonCode": self.reason if agent_state in ("NotReady", "Logout") else "",
                "pyThisDN": self.extension,
                "pyLinkState": "CONNECTED",
                "pyDeviceState": device,
                "pyMedia": "Phone",
                "pyLines": [{"pyCallId": call_id, "pyLineState": line} for call_id, line in self.lines.items()],
            }
        )
