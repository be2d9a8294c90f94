/*
 * A fake Acme ACD for tests: the SDK surface the connector uses (AcmeAcd.connect) and the
 * controls a test drives through emit() ("fakeAcd.ring", "fakeAcd.callerHangsUp"...).
 * Loaded before the connector. Like the real ACD it answers each request after a little
 * latency (on the fake clock, so tests never sleep) and reports state changes as events.
 * Like a real ACD, a state the agent asks for during a call waits (the pending state) and
 * is applied when the last call ends; otherwise the agent goes into after-call work.
 */
const fakeAcd = {
  latencyMs: 40,
  ringTimeoutMs: 20000,
  elsewhere: [], // agent ids logged in at another device
  requests: [], // every request the connector sent, in order
  handlers: null,
  agent: null,
  pending: null, // the state asked for during a call: {state, reason}
  nextCallId: null, // the id the next dialled call gets (else the ACD picks one)
  calls: new Map(), // callId (a number, as the ACD has it) -> {state, otherDN, direction, ringTimer}

  // -- what the test makes happen -----------------------------------------------------
  logInElsewhere(agentId) {
    this.elsewhere.push(agentId);
  },
  ring(callId, caller) {
    const id = Number(callId);
    const call = { state: "OFFERING", otherDN: caller, direction: "IN" };
    call.ringTimer = setTimeout(() => this.end(id), this.ringTimeoutMs); // nobody answered: a missed call
    this.calls.set(id, call);
    this.handlers.callState(id, "OFFERING", caller, "IN");
    this.setAgent("BUSYINCOMING");
  },
  callerHangsUp(callId) {
    this.end(Number(callId));
  },
  farEndAnswers(callId) {
    this.move(Number(callId), "CONNECTED");
  },
  numberNextCall(callId) {
    this.nextCallId = Number(callId);
  },
  dropLink() {
    this.handlers.link(false);
  },
  restoreLink() {
    this.handlers.link(true);
  },

  // -- the ACD's behaviour ------------------------------------------------------------
  setAgent(state, reason) {
    this.agent = { state, reason };
    this.handlers.agentState(state, reason);
  },
  move(id, state) {
    const call = this.calls.get(id);
    call.state = state;
    this.handlers.callState(id, state, call.otherDN, call.direction);
  },
  end(id) {
    const call = this.calls.get(id);
    if (!call) return;
    clearTimeout(call.ringTimer);
    this.calls.delete(id);
    const missed = call.state === "OFFERING";
    this.handlers.callState(id, "IDLE", call.otherDN, call.direction);
    if (this.calls.size > 0) return; // still on a call
    const pending = this.pending;
    this.pending = null;
    if (pending) this.setAgent(pending.state, pending.reason);
    else if (missed) this.setAgent("NOTREADY", 99); // Acme's "missed call" reason code
    else this.setAgent("NOTREADY", "ACW"); // after-call work
  },
  handle(name, data) {
    const call = this.calls.get(data.callId);
    switch (name) {
      case "login":
        if (this.elsewhere.includes(data.agentId)) return ["AGENT_ELSEWHERE", "Agent " + data.agentId + " is logged in at another device."];
        this.agent = { state: "NOTREADY" };
        this.pending = null;
        return null;
      case "logout":
        this.agent = null;
        this.pending = null;
        return null;
      case "setState": {
        const now = this.calls.size > 0 ? this.pending : this.agent;
        if (now && now.state === data.state && (now.reason ?? null) === (data.reason ?? null)) return ["SAME_STATE", "Already " + data.state + "."];
        if (this.calls.size > 0) this.pending = { state: data.state, reason: data.reason };
        else this.setAgent(data.state, data.reason);
        return null;
      }
      case "answer":
        if (!call || call.state !== "OFFERING") return ["BAD_CALL_STATE", "No call " + data.callId + " is ringing."];
        clearTimeout(call.ringTimer);
        this.move(data.callId, "CONNECTED");
        this.setAgent("BUSYACD");
        return null;
      case "hold":
        if (!call || call.state !== "CONNECTED") return ["BAD_CALL_STATE", "Call " + data.callId + " is not connected."];
        this.move(data.callId, "ONHOLD");
        return null;
      case "retrieve":
        if (!call || call.state !== "ONHOLD") return ["BAD_CALL_STATE", "Call " + data.callId + " is not on hold."];
        this.move(data.callId, "CONNECTED");
        return null;
      case "drop":
        if (!call) return ["BAD_CALL_STATE", "No call " + data.callId + "."];
        this.end(data.callId);
        return null;
      case "dial": {
        if (!/^\+?\d{3,15}$/.test(data.number)) return ["BAD_NUMBER", "Cannot dial " + data.number + "."];
        const id = this.nextCallId ?? 7000 + this.requests.length;
        this.nextCallId = null;
        this.calls.set(id, { state: "DIALING", otherDN: data.number, direction: "OUT" });
        this.handlers.callState(id, "DIALING", data.number, "OUT");
        this.setAgent("BUSYOUTGOING");
        return null;
      }
      default:
        return ["UNSUPPORTED", "Acme cannot " + name + "."];
    }
  },
};

// The vendor SDK the connector codes against (in production, Acme's own script).
const AcmeAcd = {
  connect(host, handlers) {
    fakeAcd.handlers = handlers;
    return {
      request(name, data, reply) {
        fakeAcd.requests.push(name);
        setTimeout(() => {
          const error = fakeAcd.handle(name, data);
          if (error) reply(error[0], error[1]);
          else reply(null);
        }, fakeAcd.latencyMs);
      },
    };
  },
};
