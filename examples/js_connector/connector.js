#!/usr/bin/env node
/*
 * A Pega Call OpenCTI connector in JavaScript, reduced to its event mapping (no dependencies).
 *
 * The CTI side is a TAPI-style ACD: agent states LINEAGENTSTATEEX_* and call states
 * LINECALLSTATE_*. The Pega side is OpenCTI's login(..., forwardEvent) contract: a Snapshot
 * after login, CallStateEvents and Snapshots while calls change, a closing Snapshot after logout.
 *
 * Run it to print one scenario (login, an inbound call with a hold, after-call work,
 * logout) as JSON Lines on stdout, one forwarded event per line, for a Python test, a
 * capture file or the command-line validator to check:
 *
 *     node connector.js --agent 7001 --extension 4411
 *     node connector.js | snapshot-cti validate --profile strict --lifecycle -
 */
"use strict";

// LINEAGENTSTATEEX_* -> pyAgentState (BUSY* -> Busy, RELEASED -> Logout).
const AGENT_STATES = {
  READY: "Ready",
  NOTREADY: "NotReady",
  BUSYACD: "Busy",
  BUSYINCOMING: "Busy",
  BUSYOUTGOING: "Busy",
  RELEASED: "Logout",
  UNKNOWN: "Unknown",
};
// LINECALLSTATE_* -> [pyLineState, CallStateEvent pyEventName]; IDLE/DISCONNECTED remove the line.
const CALL_STATES = {
  OFFERING: ["Alerting", "Alerting"],
  DIALING: ["Initiate", "Initiated"],
  CONNECTED: ["Connected", "Established"],
  ONHOLD: ["Holding", "Held"],
};
const LIVE = new Set(["Alerting", "Initiate", "Connected", "Holding", "Retrieved"]);

function createConnector() {
  let forwardEvent = () => {};
  let agentId = "";
  let thisDN = "";
  let agentState = "Unknown";
  let reasonCode = "";
  const lines = new Map(); // callId -> pyLineState

  function snapshot(deviceState = "OPENED") {
    const live = [...lines.values()].some((state) => LIVE.has(state));
    if (agentState === "Busy" && !live) return; // a Busy Snapshot restates its call (rule C5)
    forwardEvent({
      pyEventType: "SnapshotEvent",
      pyEventName: "Snapshot",
      pyAgentId: agentId,
      pyAgentState: agentState,
      pyReasonCode: agentState === "NotReady" || agentState === "Logout" ? reasonCode : "",
      pyThisDN: thisDN,
      pyLinkState: "CONNECTED",
      pyDeviceState: deviceState,
      pyMedia: "Phone",
      pyLines: [...lines].map(([pyCallId, pyLineState]) => ({ pyCallId, pyLineState })),
    });
  }

  return {
    // OpenCTI: login(agentID, agentPwd, extension, linkDefinition, options, success, failure, forwardEvent)
    login(agentID, agentPwd, extension, linkDefinition, options, success, failure, callback) {
      forwardEvent = callback;
      agentId = String(agentID);
      thisDN = String(extension);
      agentState = "NotReady";
      reasonCode = "";
      lines.clear();
      success();
      snapshot();
    },
    // OpenCTI: logout(agentID, reasonCode, options, success, failure)
    logout(agentID, logoutReason, options, success) {
      agentState = "Logout";
      reasonCode = String(logoutReason ?? "");
      lines.clear();
      success();
      snapshot("CLOSED");
    },
    // The ACD reports the agent's state; reason codes arrive as numbers.
    onAgentState(state, reason) {
      agentState = AGENT_STATES[state] ?? "Unknown";
      reasonCode = reason === undefined ? "" : String(reason);
      if (agentState !== "Busy") {
        const event = { pyEventType: "AgentStateEvent", pyEventName: agentState, pyMedia: "Phone" };
        if (agentState === "NotReady") Object.assign(event, { pyReasonCode: reasonCode, pyWorkMode: reasonCode === "ACW" ? "ACW" : "AUX_WORK" });
        forwardEvent(event);
      }
      snapshot();
    },
    // The ACD reports a call's state on the monitored line; call ids are numbers.
    onCallState(callId, state, otherDN) {
      const id = String(callId);
      const previous = lines.get(id);
      let line;
      let name;
      if (state === "CONNECTED" && previous === "Holding") [line, name] = ["Retrieved", "Retrieved"];
      else if (CALL_STATES[state]) [line, name] = CALL_STATES[state];
      else [line, name] = [undefined, "Disconnected"];
      forwardEvent({ pyEventType: "CallStateEvent", pyEventName: name, pyCallId: id, pyCallType: "INBOUND", pyANI: otherDN, pyOtherDN: otherDN, pyMedia: "Phone" });
      if (line === undefined) lines.delete(id);
      else {
        lines.set(id, line);
        snapshot();
      }
    },
  };
}

function argument(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}

function main() {
  const connector = createConnector();
  const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
  const fail = (error) => {
    process.stderr.write(`${error.errCode}: ${error.errMessage}\n`);
    process.exitCode = 1;
  };
  const agent = argument("agent", "7001");
  connector.login(agent, "", argument("extension", "4411"), {}, {}, () => {}, fail, print);
  connector.onAgentState("READY");
  connector.onCallState(9001, "OFFERING", "16175551212");
  connector.onAgentState("BUSYACD");
  connector.onCallState(9001, "CONNECTED", "16175551212");
  connector.onCallState(9001, "ONHOLD", "16175551212");
  connector.onCallState(9001, "CONNECTED", "16175551212");
  connector.onCallState(9001, "DISCONNECTED", "16175551212");
  connector.onAgentState("NOTREADY", "ACW");
  connector.onAgentState("NOTREADY", 12);
  connector.logout(agent, 3, {}, () => {}, fail);
}

if (require.main === module) main();
module.exports = { createConnector, AGENT_STATES, CALL_STATES };
