/*
 * The Acme ACD connector for Pega Call: an OpenCTI desktop API implementation in plain
 * browser JavaScript, the way Pega Call loads it (no modules, no build step).
 *
 * Pega's side: pega.cti.desktopApi.acme, constructed once, whose methods Pega Call calls
 * with their arguments followed by success, failure (and, for login, forwardEvent).
 * The vendor side: the Acme ACD's browser SDK (`AcmeAcd.connect`), a TAPI-style ACD:
 * agent states LINEAGENTSTATEEX_*, call states LINECALLSTATE_*, numeric call ids.
 * In tests, tests' fake_acd.js stands in for that SDK.
 */
(function () {
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
  // LINECALLSTATE_* -> [pyLineState, CallStateEvent pyEventName]; IDLE/DISCONNECTED end the call.
  const CALL_STATES = {
    OFFERING: ["Alerting", "Alerting"],
    DIALING: ["Initiate", "Initiated"],
    CONNECTED: ["Connected", "Established"],
    ONHOLD: ["Holding", "Held"],
  };
  const LIVE = ["Alerting", "Initiate", "Connected", "Holding", "Retrieved"];
  // The ACD's error names -> Pega Call's default error codes (a message rule each in Pega).
  const ERROR_CODES = {
    AGENT_ELSEWHERE: "OPENCTI_AGENT_LOGGED_IN",
    NOT_LOGGED_IN: "OPENCTI_AGENT_NOT_LOGGED_IN",
    SAME_STATE: "OPENCTI_IN_SAME_STATE",
    BAD_CALL_STATE: "OPENCTI_CF_INVALID_OBJECT_STATE",
    BAD_NUMBER: "OPENCTI_CF_INVALID_DESTINATION",
    BUSY: "OPENCTI_DEST_BUSY",
  };

  function Acme() {
    this.session = null;
    this.forwardEvent = function () {};
    this.agentId = "";
    this.extension = "";
    this.agentState = "Unknown";
    this.reasonCode = "";
    this.link = "CONNECTED";
    this.lines = new Map(); // callId -> {state, type, otherDN}
  }

  // -- requests from Pega Call -----------------------------------------------------------
  // OpenCTI: login(agentID, agentPwd, extension, linkDefinition, options, success, failure, forwardEvent)
  Acme.prototype.login = function (agentId, agentPwd, extension, linkDef, options, success, failure, forwardEvent) {
    const self = this;
    this.forwardEvent = forwardEvent;
    this.agentId = String(agentId);
    this.extension = String(extension);
    this.session = AcmeAcd.connect(linkDef.pyPrimaryHost, {
      agentState: function (state, reason) { self.onAgentState(state, reason); },
      callState: function (callId, state, otherDN, direction) { self.onCallState(callId, state, otherDN, direction); },
      link: function (up) { self.onLink(up); },
    });
    this.send("login", { agentId: this.agentId, password: agentPwd, extension: this.extension }, failure, function () {
      self.agentState = "NotReady"; // Acme puts a fresh login in NOTREADY
      self.reasonCode = "";
      success();
      self.snapshot(); // OpenCTI: a Snapshot must follow a successful login
    });
  };

  // OpenCTI: logout(agentID, reasonCode, options, success, failure)
  Acme.prototype.logout = function (agentId, reasonCode, options, success, failure) {
    const self = this;
    this.send("logout", { reason: reasonCode }, failure, function () {
      self.agentState = "Logout";
      self.reasonCode = reasonCode === undefined || reasonCode === null ? "" : String(reasonCode);
      self.lines.clear();
      success();
      self.snapshot("CLOSED"); // OpenCTI: a Snapshot must follow a successful logout
    });
  };

  Acme.prototype.agentReady = function (agentId, workMode, options, success, failure) {
    this.send("setState", { state: "READY" }, failure, success);
  };

  Acme.prototype.agentNotReady = function (agentId, workMode, reasonCode, linkDef, options, success, failure) {
    this.send("setState", { state: "NOTREADY", reason: reasonCode }, failure, success);
  };

  Acme.prototype.answerCall = function (callId, options, success, failure) {
    this.send("answer", { callId: Number(callId) }, failure, success);
  };

  Acme.prototype.holdCall = function (callId, options, success, failure) {
    this.send("hold", { callId: Number(callId) }, failure, success);
  };

  Acme.prototype.retrieveCall = function (callId, options, success, failure) {
    this.send("retrieve", { callId: Number(callId) }, failure, success);
  };

  Acme.prototype.hangUpCall = function (callId, options, success, failure) {
    this.send("drop", { callId: Number(callId) }, failure, success);
  };

  Acme.prototype.makeCall = function (destination, options, success, failure) {
    this.send("dial", { number: String(destination) }, failure, success);
  };

  Acme.prototype.send = function (request, data, failure, done) {
    const self = this;
    if (this.session === null) {
      this.fail(failure, "NOT_LOGGED_IN", "Log in first.");
      return;
    }
    this.session.request(request, data, function (error, detail) {
      if (error) self.fail(failure, error, detail);
      else done();
    });
  };

  /** failure gets Pega's error object: errCode (a default code when one fits) and errMessage. */
  Acme.prototype.fail = function (failure, acdError, detail) {
    failure({ errCode: ERROR_CODES[acdError] || "ACME_" + acdError, errMessage: detail || acdError });
  };

  // -- events from the ACD -----------------------------------------------------------------
  Acme.prototype.onAgentState = function (state, reason) {
    this.agentState = AGENT_STATES[state] || "Unknown";
    this.reasonCode = reason === undefined || reason === null ? "" : String(reason); // the ACD sends numbers
    if (this.agentState !== "Busy") {
      // AgentStateEvent has no Busy (Pega erratum E10): a Busy agent is told by Snapshots only.
      const event = { pyEventType: "AgentStateEvent", pyEventName: this.agentState, pyMedia: "Phone" };
      if (this.agentState === "NotReady") {
        event.pyReasonCode = this.reasonCode;
        event.pyWorkMode = this.reasonCode === "ACW" ? "ACW" : "AUX_WORK";
      }
      this.forwardEvent(event);
    }
    this.snapshot();
  };

  Acme.prototype.onCallState = function (callId, state, otherDN, direction) {
    const id = String(callId); // the ACD's ids are numbers; Pega's are strings (rule S3)
    const previous = this.lines.get(id);
    const type = direction === "OUT" ? "OUTBOUND" : "INBOUND";
    let line;
    let name;
    if (state === "CONNECTED" && previous && previous.state === "Holding") {
      line = "Retrieved";
      name = "Retrieved";
    } else if (CALL_STATES[state]) {
      line = CALL_STATES[state][0];
      name = CALL_STATES[state][1];
    } else {
      name = previous && previous.state === "Alerting" ? "Abandoned" : "Disconnected"; // ended while ringing: missed
    }
    this.forwardEvent({ pyEventType: "CallStateEvent", pyEventName: name, pyCallId: id, pyCallType: type, pyANI: otherDN, pyOtherDN: otherDN, pyMedia: "Phone" });
    if (line === undefined) this.lines.delete(id);
    else {
      this.lines.set(id, { state: line, otherDN: otherDN });
      this.snapshot();
    }
  };

  Acme.prototype.onLink = function (up) {
    this.link = up ? "CONNECTED" : "DISCONNECTED";
    this.snapshot(); // down: nothing is known (rule C1); up: restate every live call (rule L3)
  };

  Acme.prototype.snapshot = function (deviceState) {
    const down = this.link === "DISCONNECTED";
    const live = [...this.lines.values()].some(function (line) { return LIVE.indexOf(line.state) >= 0; });
    if (this.agentState === "Busy" && !live && !down) return; // a Busy Snapshot restates its call (rule C5)
    const state = down ? "Unknown" : this.agentState;
    this.forwardEvent({
      pyEventType: "SnapshotEvent",
      pyEventName: "Snapshot",
      pyAgentId: this.agentId,
      pyAgentState: state,
      pyReasonCode: state === "NotReady" || state === "Logout" ? this.reasonCode : "",
      pyThisDN: this.extension,
      pyLinkState: this.link,
      pyDeviceState: deviceState || "OPENED",
      pyMedia: "Phone",
      pyLines: down ? [] : [...this.lines].map(function (entry) { return { pyCallId: entry[0], pyLineState: entry[1].state }; }),
    });
  };

  pega.cti.desktopApi.acme = Acme;
})();
