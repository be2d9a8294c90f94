"""Amazon Connect (Streams / CCP) -> Pega Call OpenCTI: the state-mapping half of a connector.

Streams reports the agent's state as ``(AgentStateType, name)`` and each voice contact's
agent connection as a ``ConnectionStateType``; this class turns them into the events Pega
Call expects through ``forwardEvent``; a lost CCP WebSocket
(``agent.onWebSocketConnectionLost`` / ``onWebSocketConnectionGained``) is a link drop.
Vendor values are Connect's own; the mapping follows the project's reference tables. Tests
call the ``on_*`` methods with what Streams would have reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Event = dict[str, Any]
ForwardEvent = Callable[[Event], None]

AGENT_STATE_TYPES = ("INIT", "ROUTABLE", "NOT_ROUTABLE", "OFFLINE")
#: System state names Connect puts a NOT_ROUTABLE agent in while a contact is offered or up.
BUSY_STATES = frozenset({"PendingBusy", "Busy", "CallingCustomer", "Pending"})
#: System state names after a contact failed to reach the agent: routing stops until Available.
BLOCKED_STATES = frozenset({"MissedCallAgent", "FailedConnectAgent", "FailedConnectCustomer"})
CONNECTION_STATES = ("init", "connecting", "connected", "hold", "disconnected")
LIVE = frozenset({"Alerting", "Initiate", "Connected", "Holding", "Retrieved"})


class ConnectConnector:
    """Forward OpenCTI events for one agent's CCP session."""

    def __init__(self, forward_event: ForwardEvent) -> None:
        self.forward_event = forward_event
        self.agent_id = ""
        self.phone_number = ""
        self.state = ("INIT", "Init")
        self.link = "CONNECTED"  # the CCP's WebSocket to Connect
        self.logged_in = False  # between login and logout; the connector is unsubscribed otherwise
        self.lines: dict[str, str] = {}  # contactId -> pyLineState
        self.inbound: dict[str, bool] = {}

    def login(self, agent_id: str, phone_number: str) -> None:
        """Pega's ``login`` succeeded. Until the CCP reports a state the agent is Unknown."""
        self.logged_in = True
        self.agent_id, self.phone_number = agent_id, phone_number
        self.state, self.link, self.lines = ("INIT", "Init"), "CONNECTED", {}
        self._snapshot()

    def logout(self) -> None:
        """Pega's ``logout`` succeeded: the closing Snapshot (agent Offline, device closed)."""
        self.logged_in = False
        self.state, self.lines = ("OFFLINE", "Offline"), {}
        self._snapshot(device="CLOSED")

    def agent_state(self, state_type: str, name: str) -> tuple[str, str]:
        """``(pyAgentState, pyReasonCode)`` for a Connect agent state."""
        if state_type == "INIT":
            return "Unknown", ""
        if state_type == "OFFLINE":
            return "Logout", ""
        if state_type == "ROUTABLE":
            return "Ready", ""
        if name in BUSY_STATES:
            return "Busy", ""
        # AfterCallWork, missed/failed contacts and custom statuses (Lunch, Break…):
        # NotReady, with the status name as the reason code.
        return "NotReady", name

    def on_agent_state(self, state_type: str, name: str) -> None:
        """``agent.onStateChange``: the new ``(type, name)``."""
        if not self.logged_in:
            return
        if state_type == "OFFLINE":  # the agent went Offline in the CCP: that is a logout
            self.logout()
            return
        self.state = (state_type, name)
        agent_state, reason = self.agent_state(state_type, name)
        if agent_state != "Busy":  # the agent event has no Busy (Pega erratum E10): Snapshots carry it
            event: Event = {"pyEventType": "AgentStateEvent", "pyEventName": agent_state, "pyMedia": "Phone"}
            if agent_state == "NotReady":
                event["pyReasonCode"] = reason
                event["pyWorkMode"] = "ACW" if name == "AfterCallWork" else "AUX_WORK"
            self.forward_event(event)
        self._snapshot()

    def on_connection(self, contact_id: str, state: str, *, inbound: bool, other_number: str) -> None:
        """The agent connection of voice contact ``contact_id`` changed to ``state``."""
        if not self.logged_in:
            return
        self.inbound.setdefault(contact_id, inbound)
        previous = self.lines.get(contact_id)
        if state == "connecting":
            line, name = ("Alerting", "Alerting") if inbound else ("Initiate", "Initiated")
        elif state == "connected":
            line, name = ("Retrieved", "Retrieved") if previous == "Holding" else ("Connected", "Established")
        elif state == "hold":
            line, name = "Holding", "Held"
        elif state == "disconnected":
            self._end(contact_id, "Disconnected", other_number)
            return
        else:  # init: nothing observable yet
            return
        self._call_event(contact_id, name, other_number)
        self.lines[contact_id] = line
        self._snapshot()

    def on_contact(self, contact_id: str, state: str, *, other_number: str) -> None:
        """A contact-level state: ``missed`` (or ``error``) ends it unanswered; ``ended`` after a hang-up."""
        if not self.logged_in:
            return
        if state in ("missed", "error"):
            self._end(contact_id, "Abandoned", other_number)
        elif state == "ended":
            self._end(contact_id, "Disconnected", other_number)

    def on_websocket(self, connected: bool) -> None:
        """``agent.onWebSocketConnectionLost`` / ``onWebSocketConnectionGained``: Snapshot either way (rules C1, L3)."""
        if not self.logged_in:
            return
        self.link = "CONNECTED" if connected else "DISCONNECTED"
        self._snapshot()

    def _end(self, contact_id: str, name: str, other_number: str) -> None:
        if self.lines.pop(contact_id, None) is not None:
            self._call_event(contact_id, name, other_number)

    def _call_event(self, contact_id: str, name: str, other_number: str) -> None:
        inbound = self.inbound.get(contact_id, True)
        event: Event = {
            "pyEventType": "CallStateEvent",
            "pyEventName": name,
            "pyCallId": contact_id,  # contactId: already a string (a UUID)
            "pyCallType": "INBOUND" if inbound else "OUTBOUND",
            "pyOtherDN": other_number,
            "pyMedia": "Phone",
        }
        if inbound:
            event["pyANI"] = other_number
        self.forward_event(event)

    def _snapshot(self, device: str = "OPENED") -> None:
        down = self.link == "DISCONNECTED"
        agent_state, reason = ("Unknown", "") if down else self.agent_state(*self.state)  # nothing is known (rule C1)
        if agent_state == "Busy" and not LIVE.intersection(self.lines.values()):
            return  # hold it back until the contact shows up: a Busy Snapshot restates its call (rule C5)
        self.forward_event(
            {
                "pyEventType": "SnapshotEvent",
                "pyEventName": "Snapshot",
                "pyAgentId": self.agent_id,
                "pyAgentState": agent_state,
                "pyReasonCode": reason,
                "pyThisDN": self.phone_number,  # a softphone has no extension: the agent's number stands in
                "pyLinkState": self.link,
                "pyDeviceState": device,
                "pyMedia": "Phone",
                "pyLines": [] if down else [{"pyCallId": call_id, "pyLineState": line} for call_id, line in self.lines.items()],
            }
        )
