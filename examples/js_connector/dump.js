#!/usr/bin/env node
/*
 * The pipe path, for teams that already have event dumps: run the connector outside any test
 * framework and print every event it forwards as one JSON line, then check them:
 *
 *     node examples/js_connector/dump.js | snapshot-cti validate --profile strict --lifecycle -
 *
 * It loads the fake ACD and the connector into a vm context with the few globals they use
 * (pega.cti, console, timers on a clock this script moves) and drives one shift.
 */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

let now = 0;
let nextId = 1;
const timers = new Map();
const context = vm.createContext({
  pega: { cti: { desktopApi: {} } },
  console: { log() {}, info() {}, warn: console.warn, error: console.error },
  setTimeout: (callback, delay, ...args) => {
    timers.set(nextId, { due: now + (Number(delay) || 0), callback, args });
    return nextId++;
  },
  clearTimeout: (id) => timers.delete(id),
});
for (const file of ["fake_acd.js", "acme_cti.js"]) {
  vm.runInContext(fs.readFileSync(path.join(__dirname, file), "utf8"), context, { filename: file });
}

/** Run every timer due within `ms`, in order (the ACD answers after its latency). */
function advance(ms) {
  const end = now + ms;
  for (;;) {
    const due = [...timers].filter(([, timer]) => timer.due <= end).sort((a, b) => a[1].due - b[1].due || a[0] - b[0]);
    if (due.length === 0) break;
    const [id, timer] = due[0];
    timers.delete(id);
    now = timer.due;
    timer.callback(...timer.args);
  }
  now = end;
}

const acme = new context.pega.cti.desktopApi.acme();
const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const fail = (error) => {
  process.stderr.write(`${error.errCode}: ${error.errMessage}\n`);
  process.exitCode = 1;
};
const ok = () => {};
const fakeAcd = vm.runInContext("fakeAcd", context);
const [agent, extension] = ["7001", "4411"];

acme.login(agent, "secret", extension, { pyPrimaryHost: "acd.example.invalid" }, {}, ok, fail, print);
advance(1000);
acme.agentReady(agent, "MODE_AUTO_IN", {}, ok, fail);
advance(1000);
fakeAcd.ring(9001, "16175551212");
acme.answerCall("9001", {}, ok, fail);
advance(1000);
acme.holdCall("9001", {}, ok, fail);
advance(1000);
acme.retrieveCall("9001", {}, ok, fail);
advance(1000);
fakeAcd.callerHangsUp(9001);
acme.agentNotReady(agent, "AUX_WORK", 12, {}, {}, ok, fail);
advance(1000);
acme.logout(agent, 3, {}, ok, fail);
advance(1000);
