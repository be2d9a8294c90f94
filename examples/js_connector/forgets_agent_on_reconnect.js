/*
 * A bug kept as a test (xfail strict in test_js_connector_conformance.py), one only a sequence
 * shows: when the link drops, this build overwrites the agent's state with "Unknown" (what a
 * DISCONNECTED Snapshot must say, rule C1) and nothing sets it back, so the reconnect Snapshot
 * tells Pega Call the agent is Unknown although the ACD still has them Ready or NotReady.
 */
pega.cti.desktopApi.acmeForgetsAgentOnReconnect = function () {
  pega.cti.desktopApi.acme.call(this);
};
pega.cti.desktopApi.acmeForgetsAgentOnReconnect.prototype = Object.create(pega.cti.desktopApi.acme.prototype);
pega.cti.desktopApi.acmeForgetsAgentOnReconnect.prototype.onLink = function (up) {
  if (!up) this.agentState = "Unknown";
  pega.cti.desktopApi.acme.prototype.onLink.call(this, up);
};
