"""Cisco Finesse (UCCE/UCCX) -> Pega Call OpenCTI: the state-mapping half of a connector.

Finesse pushes User and Dialog notifications; this class turns each one into the events
Pega Call expects through ``forwardEvent``. Vendor values are Finesse's own
(``finesse.restservices.User.States``, ``Dialog.ParticipantStates``); the mapping follows
the project's reference tables. The transport (XMPP, REST) is out of scope: tests call the
``on_*`` methods with what Finesse would have sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Event = dict[str, Any]
ForwardEvent = Callable[[Event], None]

#: Finesse user state -> Snapshot ``pyAgentState``.
AGENT_STATES = {
    "LOGIN": "Login",  # transient: Finesse moves the agent on to NOT_READY
    "LOGOUT": "Logout",
    "NOT_READY": "NotReady",
    "READY": "Ready",
    "RESERVED": "Busy",
    "RESERVED_OUTBOUND": "Busy",
    "RESERVED_OUTBOUND_PREVIEW": "Busy",
    "TALKING": "Busy",
    "HOLD": "Busy",
    "WORK": "NotReady",  # after-call work, times out to NOT_READY
    "WORK_READY": "NotReady",  # after-call work, times out to READY
    "UNKNOWN": "Unknown",
}
#: Finesse participant state (the agent's leg) -> Snapshot ``pyLineState``; absent = line removed.
LINE_STATES = {
    "ALERTING": "Alerting",
    "INITIATING": "Initiate",
    "INITIATED": "Initiate",
    "ACTIVE": "Connected",
    "HELD": "Holding",
    "ACCEPTED": "None",
}
LIVE = frozenset(LINE_STATES.values()) - {"None"} | {"Retrieved"}
#: Finesse participant state -> CallStateEvent ``pyEventName``; ACCEPTED (preview) has none.
CALL_EVENTS = {
    "ALERTING": "Alerting",
    "INITIATING": "Initiated",
    "INITIATED": "Initiated",
    "ACTIVE": "Established",
    "HELD": "Held",
    "DROPPED": "Disconnected",
    "WRAP_UP": "Disconnected",
    "FAILED": "Abandoned",
}
#: Finesse dialog ``mediaProperties.callType`` -> ``pyCallType``.
CALL_TYPES = {
    "ACD_IN": "INBOUND",
    "PREROUTE_ACD_IN": "INBOUND",
    "OUT": "OUTBOUND",
    "OUTBOUND_PREVIEW": "OUTBOUND",
    "AGENT_INSIDE": "INTERNAL",
    "CONSULT": "CONSULT",
}


class FinesseConnector:
    """Forward OpenCTI events for one agent's Finesse session."""

    def __init__(self, forward_event: ForwardEvent) -> None:
        self.forward_event = forward_event
        self.agent_id = ""
        self.extension = ""
        self.user_state = "LOGIN"
        self.reason_code = ""
        self.logged_in = False  # between login and logout; the connector is unsubscribed otherwise
        self.lines: dict[str, str] = {}  # dialog id -> pyLineState, in arrival order

    def login(self, agent_id: str, extension: str) -> None:
        """Pega's ``login`` succeeded: a Snapshot must follow."""
        self.logged_in = True
        self.agent_id, self.extension = agent_id, extension
        self.user_state, self.reason_code, self.lines = "LOGIN", "", {}
        self._snapshot(device="OPENED")

    def logout(self, reason_code_id: int | None = None) -> None:
        """Pega's ``logout`` succeeded: a closing Snapshot must follow."""
        self.logged_in = False
        self.user_state, self.reason_code, self.lines = "LOGOUT", self.reason(reason_code_id), {}
        self._snapshot(device="CLOSED")

    def reason(self, reason_code_id: int | None) -> str:
        """Finesse reason codes are numbers; OpenCTI wants strings (rule S3)."""
        return "" if reason_code_id is None else str(reason_code_id)

    def on_user(self, state: str, reason_code_id: int | None = None) -> None:
        """A Finesse User notification (``state``, ``reasonCodeId``)."""
        if not self.logged_in:
            return
        if state == "LOGOUT":
            self.logout(reason_code_id)
            return
        self.user_state = state
        agent_state = AGENT_STATES[state]
        self.reason_code = "WORK" if state in ("WORK", "WORK_READY") else self.reason(reason_code_id)
        if agent_state != "Busy":  # the agent event has no Busy (Pega erratum E10): Snapshots carry it
            event: Event = {"pyEventType": "AgentStateEvent", "pyEventName": agent_state, "pyMedia": "Phone"}
            if agent_state == "NotReady":
                event["pyReasonCode"] = self.reason_code
                event["pyWorkMode"] = "ACW" if state in ("WORK", "WORK_READY") else "AUX_WORK"
            self.forward_event(event)
        self._snapshot()

    def on_dialog(self, dialog_id: str, state: str, *, call_type: str, other_dn: str) -> None:
        """A Finesse Dialog notification: the agent participant's ``state``."""
        if not self.logged_in:
            return
        was_held = self.lines.get(dialog_id) == "Holding"
        name = "Retrieved" if state == "ACTIVE" and was_held else CALL_EVENTS.get(state)
        if name is not None:
            event: Event = {"pyEventType": "CallStateEvent", "pyEventName": name, "pyCallId": dialog_id, "pyMedia": "Phone"}
            event["pyCallType"] = CALL_TYPES.get(call_type, "UNKNOWN")
            event["pyOtherDN"] = other_dn
            if event["pyCallType"] == "INBOUND":
                event["pyANI"] = other_dn
            self.forward_event(event)
        if state in LINE_STATES:
            self.lines[dialog_id] = "Retrieved" if name == "Retrieved" else LINE_STATES[state]
            self._snapshot()
        else:
            self.lines.pop(dialog_id, None)

    def _snapshot(self, device: str = "OPENED") -> None:
        agent_state = AGENT_STATES[self.user_state]
        if agent_state == "Busy" and not LIVE.intersection(self.lines.values()):
            return  # hold it back until the call shows up: a Busy Snapshot restates its call (rule C5)
        self.forward_event(
            {
                "pyEventType": "SnapshotEvent",
                "pyEventName": "Snapshot",
                "pyAgentId": self.agent_id,
                "pyAgentState": agent_state,
                "pyReasonCode": self.reason_code if agent_state in ("NotReady", "Logout") else "",
                "pyThisDN": self.extension,
                "pyLinkState": "CONNECTED",
                "pyDeviceState": device,
                "pyMedia": "Phone",
                "pyLines": [{"pyCallId": call_id, "pyLineState": line} for call_id, line in self.lines.items()],
            }
        )
