// A fake vendor side for the suite: the connector talks to `acd`; tests make it act through emit().
const acd = {
  latency: 0,
  loggedInElsewhere: false,
  listener: null,
  requests: [],
  connect(listener) {
    this.listener = listener;
  },
  request(name, data, reply) {
    this.requests.push(name);
    const answer = () => reply(name === "login" && this.loggedInElsewhere ? "ELSEWHERE" : null);
    if (this.latency > 0) setTimeout(answer, this.latency);
    else answer();
  },
  ring(callId, caller) {
    this.listener({ kind: "call", callId, state: "OFFERING", caller });
  },
  agentState(state, reason) {
    this.listener({ kind: "agent", state, reason });
  },
};
