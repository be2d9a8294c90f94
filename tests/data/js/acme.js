// A small pega.cti.desktopApi implementation for the suite: a Snapshot after login, call events, a Logout Snapshot.
pega.cti.desktopApi.acme = function () {
  this.agent = "";
  this.extension = "";
  this.state = "NotReady";
  this.lines = [];
  this.forward = null;
};

pega.cti.desktopApi.acme.prototype.snapshot = function (state, device) {
  this.forward({
    pyEventType: "SnapshotEvent",
    pyEventName: "Snapshot",
    pyAgentId: this.agent,
    pyAgentState: state || this.state,
    pyThisDN: this.extension,
    pyLinkState: "CONNECTED",
    pyDeviceState: device || "OPENED",
    pyLines: this.lines.map((id) => ({ pyCallId: id, pyLineState: "Alerting" })),
  });
};

pega.cti.desktopApi.acme.prototype.login = function (agentId, agentPwd, extension, linkDef, options, success, failure, forwardEvent) {
  const self = this;
  self.agent = agentId;
  self.extension = extension;
  self.forward = forwardEvent;
  acd.connect(function (event) {
    if (event.kind === "call") {
      self.lines.push(event.callId);
      self.forward({ pyEventType: "CallStateEvent", pyEventName: "Alerting", pyCallId: event.callId, pyCallType: "INBOUND", pyANI: event.caller });
      self.snapshot();
    }
  });
  acd.request("login", { agentId }, function (error) {
    if (error) {
      failure({ errCode: "OPENCTI_AGENT_LOGGED_IN", errMessage: "An agent is logged in from another device." });
      return;
    }
    success({ agentId: agentId, since: Date.now() });
    self.snapshot();
  });
};

pega.cti.desktopApi.acme.prototype.logout = function (agentId, reasonCode, options, success, failure) {
  this.lines = [];
  success();
  this.snapshot("Logout", "CLOSED");
};

pega.cti.desktopApi.acme.prototype.answerCall = function (callId, options, success, failure) {
  if (this.lines.indexOf(callId) < 0) {
    failure({ errCode: "OPENCTI_CF_INVALID_OBJECT_STATE", errMessage: "No call " + callId + " is ringing." });
    return;
  }
  success();
};
