"""Genesys Cloud -> Pega Call OpenCTI: the state-mapping half of a connector.

Genesys Cloud reports an agent as a presence plus a routing status, and each call as the
agent participant's call state (with a ``held`` flag); this class turns them into the
events Pega Call expects through ``forwardEvent``. Presence and routing values are
Genesys Cloud's own, mapped as the project's reference tables say. The call states
(``alerting``, ``dialing``, ``contacting``, ``connected``, ``disconnected``,
``terminated``) come from the Genesys Cloud conversation API and are mapped like the
T-Library events of the reference table (``EventRinging`` -> Alerting and so on).

After-call work is the decision point: Genesys keeps the routing status ``INTERACTING``
while the agent wraps up, but a Snapshot has no work mode and a Busy agent must have a
call (rule C5), so ACW is forwarded as NotReady with reason ``"ACW"``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Event = dict[str, Any]
ForwardEvent = Callable[[Event], None]

PRESENCES = ("Available", "Busy", "Away", "Break", "Meal", "Meeting", "Training", "Out of Office", "On Queue", "Idle", "Offline")
ROUTING_STATUSES = ("OFF_QUEUE", "IDLE", "INTERACTING", "NOT_RESPONDING", "COMMUNICATING")
CALL_STATES = ("alerting", "dialing", "contacting", "connected", "disconnected", "terminated")
LIVE = frozenset({"Alerting", "Initiate", "Connected", "Holding", "Retrieved"})


class GenesysCloudConnector:
    """Forward OpenCTI events for one Genesys Cloud user and station."""

    def __init__(self, forward_event: ForwardEvent) -> None:
        self.forward_event = forward_event
        self.user_id = ""
        self.station = ""
        self.presence, self.routing = "Available", "OFF_QUEUE"
        self.link = "CONNECTED"
        self.logged_in = False  # between login and logout; the connector is unsubscribed otherwise
        self.lines: dict[str, str] = {}  # conversationId -> pyLineState
        self.direction: dict[str, str] = {}

    def login(self, user_id: str, station: str, *, presence: str = "On Queue", routing: str = "IDLE") -> None:
        """Pega's ``login`` succeeded: Snapshot the user's current presence and routing status."""
        self.logged_in = True
        self.user_id, self.station = user_id, station
        self.presence, self.routing, self.link, self.lines = presence, routing, "CONNECTED", {}
        self._snapshot()

    def logout(self) -> None:
        """Pega's ``logout`` succeeded: the closing Snapshot."""
        self.logged_in = False
        self.presence, self.routing, self.lines = "Offline", "OFF_QUEUE", {}
        self._snapshot(device="CLOSED")

    def agent_state(self) -> tuple[str, str]:
        """``(pyAgentState, pyReasonCode)`` for the current presence, routing status and calls."""
        if self.link == "DISCONNECTED":
            return "Unknown", ""  # the platform cannot be asked (rule C1)
        if self.presence == "Offline":
            return "Logout", ""
        if self.presence != "On Queue":
            return "NotReady", self.presence
        if self.routing in ("INTERACTING", "COMMUNICATING"):
            return ("Busy", "") if LIVE.intersection(self.lines.values()) else ("NotReady", "ACW")
        if self.routing == "NOT_RESPONDING":
            return "NotReady", "NOT_RESPONDING"
        return "Ready", ""

    def on_presence(self, presence: str) -> None:
        if not self.logged_in:
            return
        if presence == "Offline":  # the user signed out of Genesys Cloud: that is a logout
            self.logout()
            return
        self.presence = presence
        self._agent_changed()

    def on_routing_status(self, status: str) -> None:
        if not self.logged_in:
            return
        self.routing = status
        self._agent_changed()

    def on_call(self, conversation_id: str, state: str, *, held: bool = False, direction: str = "inbound", other_number: str = "") -> None:
        """The agent participant's call in ``conversation_id`` changed (``state``, ``held``)."""
        if not self.logged_in:
            return
        self.direction.setdefault(conversation_id, direction)
        previous = self.lines.get(conversation_id)
        if state in ("disconnected", "terminated"):
            if self.lines.pop(conversation_id, None) is not None:
                self._call_event(conversation_id, "Disconnected", other_number)
                self._agent_changed()  # still INTERACTING with no call left: after-call work
            return
        if state == "alerting":
            line, name = "Alerting", "Alerting"
        elif state in ("dialing", "contacting"):
            line, name = "Initiate", "Initiated"
        elif held:
            line, name = "Holding", "Held"
        elif previous == "Holding":
            line, name = "Retrieved", "Retrieved"
        else:
            line, name = "Connected", "Established"
        if line != previous:
            self.lines[conversation_id] = line
            self._call_event(conversation_id, name, other_number)
            self._snapshot()

    def on_link(self, connected: bool) -> None:
        """The notification channel dropped or came back: Snapshot either way (rules C1, L3)."""
        if not self.logged_in:
            return
        self.link = "CONNECTED" if connected else "DISCONNECTED"
        self._snapshot()

    def _agent_changed(self) -> None:
        agent_state, reason = self.agent_state()
        if agent_state != "Busy":  # the agent event has no Busy (Pega erratum E10): Snapshots carry it
            event: Event = {"pyEventType": "AgentStateEvent", "pyEventName": agent_state, "pyMedia": "Phone"}
            if agent_state == "NotReady":
                event["pyReasonCode"] = reason
                event["pyWorkMode"] = "ACW" if reason == "ACW" else "AUX_WORK"
            self.forward_event(event)
        self._snapshot()

    def _call_event(self, conversation_id: str, name: str, other_number: str) -> None:
        inbound = self.direction.get(conversation_id) == "inbound"
        event: Event = {
            "pyEventType": "CallStateEvent",
            "pyEventName": name,
            "pyCallId": conversation_id,
            "pyCallType": "INBOUND" if inbound else "OUTBOUND",
            "pyOtherDN": other_number,
            "pyMedia": "Phone",
        }
        if inbound:
            event["pyANI"] = other_number
        self.forward_event(event)

    def _snapshot(self, device: str = "OPENED") -> None:
        agent_state, reason = self.agent_state()
        visible = self.link == "CONNECTED" and device == "OPENED"
        self.forward_event(
            {
                "pyEventType": "SnapshotEvent",
                "pyEventName": "Snapshot",
                "pyAgentId": self.user_id,
                "pyAgentState": agent_state,
                "pyReasonCode": reason,
                "pyThisDN": self.station,
                "pyLinkState": self.link,
                "pyDeviceState": device,
                "pyMedia": "Phone",
                "pyLines": [{"pyCallId": c, "pyLineState": s} for c, s in self.lines.items()] if visible else [],
            }
        )
