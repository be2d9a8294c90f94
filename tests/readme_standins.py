"""Stand-ins for the placeholders README's snippets use (``my_connector``, ``my_panel``…).

Each behaves as the snippet assumes of a team's real object, so a snippet that is wrong about
*our* API fails its test. Only placeholder names live here: a snippet that forgets an import of a
real library (``pytest``, ``hypothesis``) still fails.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from pytest_snapshot_cti import load_contract

SNAPSHOT: dict[str, Any] = {
    "pyEventType": "SnapshotEvent",
    "pyEventName": "Snapshot",
    "pyAgentId": "5501",
    "pyAgentState": "Ready",
    "pyThisDN": "8808",
    "pyLinkState": "CONNECTED",
    "pyDeviceState": "OPENED",
    "pyLines": [],
    "pyReasonCode": "",
}


class InvalidEvent(Exception):
    """What a team's own parser raises for an event that breaks the contract."""


class Parser:
    def parse(self, document: Any) -> Any:
        if not load_contract("strict").is_valid(document):
            raise InvalidEvent(document)
        return document


class Connector:
    """Forwards a Snapshot after login, as OpenCTI's login() must."""

    def build_login_snapshot(self, *, agent: str, extension: str) -> dict[str, Any]:
        return {**SNAPSHOT, "pyAgentId": agent, "pyThisDN": extension}

    def login(self, agent: str, password: str, extension: str, *, forward_event: Any) -> None:
        forward_event(self.build_login_snapshot(agent=agent, extension=extension))


class Panel:
    """A consumer: renders Snapshots, follows a stream, tells the agent state it ended in."""

    def __init__(self) -> None:
        self.state: str | None = None
        self.calls: dict[str, str] = {}

    def render(self, snapshot: Any) -> None:
        assert isinstance(snapshot, dict)

    def on_event(self, event: Any) -> None:
        if event.get("pyEventType") == "SnapshotEvent":
            self.state = event.get("pyAgentState")
            self.calls = {line["pyCallId"]: line["pyLineState"] for line in event.get("pyLines", []) if line.get("pyLineState") != "None"}
        elif event.get("pyEventType") == "CallStateEvent":
            if event.get("pyEventName") in ("Disconnected", "Abandoned"):
                self.calls.pop(event.get("pyCallId"), None)
            else:
                self.calls[event["pyCallId"]] = event["pyEventName"]

    forward = on_event

    def replay(self, events: list[Any]) -> Panel:
        for event in events:
            self.on_event(event)
        return self

    def lines(self) -> dict[str, str]:
        return self.calls


def map_finesse_user_state(user: dict[str, Any]) -> dict[str, Any]:
    """A Finesse user state mapped to an AgentStateEvent."""
    names = {"READY": "Ready", "NOT_READY": "NotReady", "LOGOUT": "Logout"}
    event: dict[str, Any] = {"pyEventType": "AgentStateEvent", "pyEventName": names[user["state"]], "pyMedia": "Phone"}
    if user["state"] != "READY":
        event["pyReasonCode"] = str(user["reasonCodeId"])
    return event


def finesse_user_events() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"state": st.sampled_from(["READY", "NOT_READY", "LOGOUT"]), "reasonCodeId": st.integers(1, 99)})


#: Files README's snippets name as a team's own (``src/acme_cti.js``…): written into the snippet's
#: directory when its code mentions the path. A minimal OpenCTI connector and a fake ACD that calls it.
FILES: dict[str, str] = {
    "tests/fake_acd.js": """
const fakeAcd = {
  listener: null,
  ring(call) { setTimeout(() => this.listener(call), 500); },  // the ACD reports after 0.5 s
};
""",
    "src/acme_cti.js": """
pega.cti.desktopApi.acme = function () {};
pega.cti.desktopApi.acme.prototype.login = function (agentId, agentPwd, extension, linkDef, options, success, failure, forwardEvent) {
  forwardEvent({ pyEventType: "SnapshotEvent", pyEventName: "Snapshot", pyAgentId: agentId, pyThisDN: extension,
                 pyAgentState: "Ready", pyLinkState: "CONNECTED", pyDeviceState: "OPENED", pyLines: [] });
  fakeAcd.listener = (call) => forwardEvent({ pyEventType: "CallStateEvent", pyEventName: "Offering",
                                              pyCallId: call.callId, pyCallType: "INBOUND", pyANI: call.caller });
  success();
};
""",
}


def _template_connector() -> Any:
    """The connector template's ``AcmeConnector`` (README's conformance snippet drives it)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples" / "connector_template" / "src"))
    from acme_connector import AcmeConnector

    return AcmeConnector


def standins() -> dict[str, Any]:
    """Placeholder name -> stand-in; each snippet module sees these as builtins."""
    panel = Panel()
    return {
        "AcmeConnector": _template_connector(),
        "my_connector": Connector(),
        "MyConnector": Connector,
        "my_panel": panel,
        "panel": panel,
        "router": panel,
        "softphone": Panel(),
        "my_parser": Parser(),
        "InvalidEvent": InvalidEvent,
        "clean_snapshot": dict(SNAPSHOT),
        "map_finesse_user_state": map_finesse_user_state,
        "finesse_user_events": finesse_user_events,
    }
