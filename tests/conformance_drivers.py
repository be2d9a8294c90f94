"""Drivers for the conformance kit's own tests: a correct connector, and connectors with one planted bug each.

The correct connector forwards the reference stream the model's stream writer writes; each
bug variant changes what one transition forwards, as a real connector's bug would.
"""

from __future__ import annotations

from typing import Any

from pytest_snapshot_cti import EventFactory
from pytest_snapshot_cti.conformance import Driver
from pytest_snapshot_cti.scenarios import Script


class ReferenceDriver(Driver):
    """A connector that tells Pega Call what the model's stream writer writes, and a Snapshot after every step."""

    def start(self, forward_event):
        self.forward = forward_event
        self.writer: Script | None = None

    def _do(self, name: str, *args: str) -> None:
        if self.writer is None:
            self.writer = Script(EventFactory(7), args[0], args[1])
        start = len(self.writer.events)
        self.writer.step(name, *args)
        if len(self.writer.events) == start or self.writer.events[-1]["pyEventType"] != "SnapshotEvent":
            self.writer.snapshot()  # a Snapshot per step: Pega Call's agent state follows every change
        for event in self.mutate(name, args, [dict(e) for e in self.writer.events[start:]]):
            self.forward(event)

    def mutate(self, name: str, args: tuple[str, ...], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return events

    def login(self, agent_id, extension):
        self._do("login", agent_id, extension)

    def logout(self, reason_code):
        self._do("logout", reason_code)

    def ready(self):
        self._do("ready")

    def not_ready(self, reason_code):
        self._do("not_ready", reason_code)

    def after_call_work(self):
        self._do("after_call_work")

    def call_offered(self, call_id, caller):
        self._do("call_offered", call_id, caller)

    def answer(self, call_id):
        self._do("answer", call_id)

    def caller_hangs_up(self, call_id):
        self._do("caller_hangs_up", call_id)

    def abandoned(self, call_id):
        self._do("abandoned", call_id)

    def hang_up(self, call_id):
        self._do("hang_up", call_id)

    def hold(self, call_id):
        self._do("hold", call_id)

    def retrieve(self, call_id):
        self._do("retrieve", call_id)

    def dial(self, call_id, number):
        self._do("dial", call_id, number)

    def far_end_answers(self, call_id):
        self._do("far_end_answers", call_id)

    def consult(self, call_id, number):
        self._do("consult", call_id, number)

    def transfer_complete(self, call_id):
        self._do("transfer_complete", call_id)

    def conference_complete(self, call_id):
        self._do("conference_complete", call_id)

    def link_down(self):
        self._do("link_down")

    def link_up(self):
        self._do("link_up")

    def device_closed(self):
        self._do("device_closed")


def _only(name: str, wanted: str, events: list[dict[str, Any]], change: Any) -> list[dict[str, Any]]:
    return [change(e) for e in events] if name == wanted else events


class HoldShowsConnected(ReferenceDriver):
    """After hold, the connector says the call is still talking (its call event and its Snapshot)."""

    def mutate(self, name, args, events):
        def talking(event: dict[str, Any]) -> dict[str, Any]:
            if event["pyEventType"] == "CallStateEvent":
                return {**event, "pyEventName": "Established"}
            lines = [{**line, "pyLineState": "Connected"} if line["pyCallId"] == args[0] else line for line in event["pyLines"]]
            return {**event, "pyLines": lines}

        return _only(name, "hold", events, talking)


class HoldShowsConnectedInbound(HoldShowsConnected):
    """The same bug on a connector that cannot dial out: the shortest shift is an inbound call."""

    dial = Driver.dial


class NeverReportsOfferedCall(ReferenceDriver):
    """A ringing call is never forwarded."""

    def mutate(self, name, args, events):
        return [] if name == "call_offered" else events


class DropsReasonCode(ReferenceDriver):
    """NotReady is forwarded without its reason code."""

    def mutate(self, name, args, events):
        return _only(name, "not_ready", events, lambda e: {**e, "pyReasonCode": ""})


class NoLogoutSnapshot(ReferenceDriver):
    """Logout forwards the AgentStateEvent but not the Snapshot Pega Call must get."""

    def mutate(self, name, args, events):
        return [e for e in events if e["pyEventType"] != "SnapshotEvent"] if name == "logout" else events


class StaleCallAfterHangUp(ReferenceDriver):
    """When the caller hangs up, nothing is forwarded: Pega Call keeps showing the call."""

    def mutate(self, name, args, events):
        return [] if name == "caller_hangs_up" else events


class WrongAgentAfterLinkUp(ReferenceDriver):
    """The reconnect Snapshot swaps Ready and NotReady."""

    def mutate(self, name, args, events):
        swap = {"Ready": "NotReady", "NotReady": "Ready"}
        return _only(name, "link_up", events, lambda e: {**e, "pyAgentState": swap.get(e["pyAgentState"], e["pyAgentState"])})


class NumericCallIds(ReferenceDriver):
    """The vendor's numeric call ids are forwarded as JSON numbers."""

    def mutate(self, name, args, events):
        return [{**e, "pyCallId": int(e["pyCallId"])} if e["pyEventType"] == "CallStateEvent" else e for e in events]


class CrashesOnHold(ReferenceDriver):
    """The driver (the team's code) raises while making the connector hold a call."""

    def hold(self, call_id):
        calls: dict[str, str] = {}
        calls[call_id] += "held"  # KeyError: the team's bug


class LinkDownUntold(ReferenceDriver):
    """A link drop is never forwarded."""

    def mutate(self, name, args, events):
        return [] if name == "link_down" else events


BUGS = {
    # driver -> the rule id the kit must name
    "HoldShowsConnected": "O2",
    "NeverReportsOfferedCall": "O1",
    "DropsReasonCode": "O4",
    "NoLogoutSnapshot": "L2",
    "StaleCallAfterHangUp": "O3",
    "WrongAgentAfterLinkUp": "O4",
    "NumericCallIds": "S3",
    "LinkDownUntold": "O5",
}
