#!/usr/bin/env node
/*
 * pytest-snapshot-cti's Node host: runs a team's OpenCTI connector (plain browser-style
 * JavaScript) in a `vm` context that stands in for Pega Call's client runtime, driven
 * from Python over stdio. Plain JavaScript, Node >= 18, no npm dependencies.
 *
 * Why a vm context per connector: the connector sees what a browser page gives it (the
 * `pega.cti` namespaces, `console`, timers, `Date`), never Node's `require` or `process`.
 * Why `microtaskMode: 'afterEvaluate'` and a timeout on every entry: promise jobs run
 * before the host answers, and an endless loop (even one in a promise chain) is cut off
 * by V8 instead of hanging the test.
 *
 * Protocol (one message a line, both ways):
 *   in   {"op": "open"|"call"|"emit"|"advance"|"get"|"dispose", "id": N, "ctx": C, ...}
 *   out  E<C> <text>    an event forwarded by context C, exactly as JSON.stringify wrote it
 *        {"t": ...}     anything else: "event" (with what JSON cannot carry), "console",
 *                       "late" (a callback after its request was answered), "reply"
 * Every message an operation causes is written before its reply, in order.
 */
"use strict";

const vm = require("node:vm");
const fs = require("node:fs");
const util = require("node:util");

const START = Date.UTC(2024, 0, 1, 9, 0, 0); // the fake clock's epoch: Monday 2024-01-01 09:00 UTC
const MAX_DEPTH = 512; // deeper than the contract's 256 (json.depth), shallower than V8's stack
const MAX_TIMER_RUNS = 100000; // timers that keep re-arming at one instant would never let time move

// -- output ---------------------------------------------------------------------------------
let pending = [];
let pendingBytes = 0;

function send(line) {
  pending.push(line);
  pendingBytes += line.length;
  if (pendingBytes > 1 << 20) flush();
}

function flush() {
  if (pending.length === 0) return;
  const text = pending.join("\n") + "\n";
  pending = [];
  pendingBytes = 0;
  process.stdout.write(text);
}

function message(object) {
  send(JSON.stringify(object));
}

// -- JSON as the browser writes it, and what it cannot carry ----------------------------------
const NOT_JSON_HINT = "send null, a string or a number, or leave the field out";

function errorText(error) {
  if (error && typeof error === "object" && typeof error.message === "string") return `${error.name || "Error"}: ${error.message}`;
  return util.inspect(error);
}

/**
 * JSON.stringify's output for `root`, and every place where that output is not the value:
 * dropped (undefined, functions, symbols), replaced by null (NaN, Infinity, holes) or where
 * JSON.stringify would throw (cycles, BigInt), written as null here so the event still arrives.
 * Each problem is [path, message, hint], the path a list of keys and indexes.
 */
function serialize(root) {
  const problems = [];
  const path = [];
  const stack = [];
  const problem = (text, hint) => problems.push([path.slice(), text, hint]);

  function write(holder, key, value, inArray) {
    if (value !== null && (typeof value === "object" || typeof value === "bigint")) {
      let toJSON;
      try {
        toJSON = value.toJSON;
      } catch (error) {
        problem(`reading toJSON threw ${errorText(error)}`, "forward plain data");
        return inArray ? "null" : undefined;
      }
      if (typeof toJSON === "function") {
        try {
          value = toJSON.call(value, key);
        } catch (error) {
          problem(`toJSON() threw ${errorText(error)}`, "forward plain data");
          return inArray ? "null" : undefined;
        }
      }
    }
    switch (typeof value) {
      case "string":
        return JSON.stringify(value);
      case "boolean":
        return value ? "true" : "false";
      case "number":
        if (Number.isFinite(value)) return JSON.stringify(value);
        problem(`${value} is not valid JSON: JSON.stringify writes null`, NOT_JSON_HINT);
        return "null";
      case "bigint":
        problem(`a BigInt (${value}n) is not JSON: JSON.stringify throws on it`, "send it as a string: String(value)");
        return "null";
      case "undefined":
      case "function":
      case "symbol": {
        const what = typeof value === "undefined" ? "undefined" : typeof value === "function" ? "a function" : "a symbol";
        const fate = inArray ? "writes null in its place" : path.length ? "drops the property" : "writes nothing at all";
        problem(`${what} is not JSON: JSON.stringify ${fate}`, NOT_JSON_HINT);
        return inArray || !path.length ? "null" : undefined;
      }
      default:
        break;
    }
    if (value === null) return "null";
    const tag = Object.prototype.toString.call(value);
    if (tag === "[object Number]" || tag === "[object String]" || tag === "[object Boolean]") {
      return write(holder, key, value.valueOf(), inArray); // boxed primitives: JSON.stringify unwraps them
    }
    if (tag === "[object BigInt]") return write(holder, key, value.valueOf(), inArray);
    if (stack.includes(value)) {
      problem("a cycle: the value contains itself, and JSON.stringify throws on it", "forward a plain copy of the data, not the live object");
      return "null";
    }
    if (stack.length >= MAX_DEPTH) {
      problem(`nested more than ${MAX_DEPTH} levels deep`, "flatten the data");
      return "null";
    }
    const lossy = {
      "[object Map]": ["a Map", "Object.fromEntries(map)"],
      "[object Set]": ["a Set", "[...set]"],
      "[object WeakMap]": ["a WeakMap", "a plain object"],
      "[object WeakSet]": ["a WeakSet", "an array"],
      "[object RegExp]": ["a RegExp", "its source as a string"],
      "[object Error]": ["an Error", "{errCode, errMessage} strings"],
      "[object Promise]": ["a Promise", "its settled value"],
    }[tag];
    if (lossy) problem(`${lossy[0]} is not JSON: JSON.stringify writes {} and loses what it holds`, `send ${lossy[1]} instead`);
    else if (ArrayBuffer.isView(value) || tag === "[object ArrayBuffer]") {
      problem(`a ${tag.slice(8, -1)} is not JSON: JSON.stringify writes its bytes as an object keyed by index`, "send an array or a base64 string");
    }
    stack.push(value);
    let text;
    if (Array.isArray(value)) {
      const parts = [];
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        if (!(index in value)) {
          problem("a hole in a sparse array is not JSON: JSON.stringify writes null", NOT_JSON_HINT);
          parts.push("null");
        } else {
          parts.push(write(value, String(index), value[index], true));
        }
        path.pop();
      }
      text = `[${parts.join(",")}]`;
    } else {
      const parts = [];
      for (const name of Object.keys(value)) {
        path.push(name);
        let item;
        let readable = true;
        try {
          item = value[name];
        } catch (error) {
          problem(`reading the property threw ${errorText(error)}`, "forward plain data");
          readable = false;
        }
        if (readable) {
          const written = write(value, name, item, false);
          if (written !== undefined) parts.push(`${JSON.stringify(name)}:${written}`);
        }
        path.pop();
      }
      text = `{${parts.join(",")}}`;
    }
    stack.pop();
    return text;
  }

  const text = write({ "": root }, "", root, false);
  return { text: text === undefined ? "null" : text, problems };
}

/**
 * The same result for the common case, faster: a walk that only looks (plain objects and
 * arrays of this realm, strings, finite numbers, booleans, null), then the native
 * JSON.stringify. Anything else (toJSON, a class instance, a Map, NaN, a cycle...) takes
 * the careful path above.
 */
function serializeFast(root, plainObject, plainArray) {
  function plain(value, depth) {
    switch (typeof value) {
      case "string":
      case "boolean":
        return true;
      case "number":
        return Number.isFinite(value);
      case "object": {
        if (value === null) return true;
        if (depth > 64) return false;
        const prototype = Object.getPrototypeOf(value);
        if (prototype === plainArray) {
          for (let index = 0; index < value.length; index++) {
            if (!(index in value) || !plain(value[index], depth + 1)) return false;
          }
          return true;
        }
        if (prototype !== plainObject && prototype !== null) return false;
        if (typeof value.toJSON === "function") return false;
        for (const key in value) {
          if (Object.prototype.hasOwnProperty.call(value, key) && !plain(value[key], depth + 1)) return false;
        }
        return true;
      }
      default:
        return false;
    }
  }
  try {
    if (root !== null && typeof root === "object" && plain(root, 0)) return { text: JSON.stringify(root), problems: [] };
  } catch (_) {
    // a getter or proxy that throws: the careful path reports it at its path
  }
  return serialize(root);
}

// -- stacks -------------------------------------------------------------------------------
const FRAME_LOCATION = /\(?([^()\s]+?):(\d+):(\d+)\)?$/;

/** The error's first line(s) and only the frames in the team's files (host internals hidden). */
function describeError(error, files) {
  if (!error || (typeof error !== "object" && typeof error !== "function")) {
    return { name: "thrown", message: `a non-Error value was thrown: ${util.inspect(error)}`, stack: "", where: null };
  }
  let name = "Error";
  let text = "";
  let stack = "";
  try {
    name = String(error.name || "Error");
    text = String(error.message === undefined ? util.inspect(error) : error.message);
    stack = typeof error.stack === "string" ? error.stack : "";
  } catch (_) {
    text = "an error whose properties cannot be read";
  }
  const frames = [];
  let where = null;
  for (const line of stack.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("at ")) continue;
    const found = FRAME_LOCATION.exec(trimmed);
    if (found && files.has(found[1])) {
      frames.push(trimmed);
      if (where === null) where = `${found[1]}:${found[2]}:${found[3]}`;
    }
  }
  return { name, message: text, stack: frames.join("\n"), where };
}

/** Where a console call came from: the first frame in the team's files. */
function callerFrames(files) {
  const holder = {};
  Error.captureStackTrace(holder);
  return describeError({ name: "", message: "", stack: holder.stack }, files);
}

// -- one connector: a vm context with a fake clock ----------------------------------------------
class Runtime {
  constructor(id, request) {
    this.id = id;
    this.files = new Set(request.files.map(([, shown]) => shown));
    this.now = START;
    this.timers = new Map();
    this.nextTimer = 1;
    this.order = 0;
    this.calls = 0;
    this.uncaught = [];
    this.tracked = null;
    this.context = vm.createContext({}, { name: `cti ${id}`, microtaskMode: "afterEvaluate" });
    this.entry = new vm.Script("__cti_step()", { filename: "cti-host" });
    this.forwardEvent = (event) => this.forward(event);
    this.installRuntime(request.seed >>> 0);
    this.json = vm.runInContext("JSON", this.context);
    this.plainObject = vm.runInContext("Object.prototype", this.context);
    this.plainArray = vm.runInContext("Array.prototype", this.context);
  }

  installRuntime(seed) {
    const host = {
      console: (level, args) => this.console(level, args),
      setTimer: (callback, delay, args, repeat) => this.setTimer(callback, delay, args, repeat),
      clearTimer: (id) => this.timers.delete(id),
      now: () => this.now,
      start: START,
      seed,
      forward: (event) => this.forward(event),
    };
    const prelude = new vm.Script(
      `(function (host) {
        "use strict";
        const g = globalThis;
        g.window = g;
        g.self = g;
        const log = (level) => (...args) => host.console(level, args);
        g.console = { log: log("log"), info: log("info"), debug: log("debug"), warn: log("warn"), error: log("error"), trace: log("trace") };
        g.setTimeout = (callback, delay, ...args) => host.setTimer(callback, delay, args, false);
        g.setInterval = (callback, delay, ...args) => host.setTimer(callback, delay, args, true);
        g.clearTimeout = (id) => host.clearTimer(id);
        g.clearInterval = (id) => host.clearTimer(id);
        g.queueMicrotask = (callback) => { Promise.resolve().then(callback); };
        const RealDate = Date;
        function FakeDate(...args) {
          if (!new.target) return new RealDate(host.now()).toString();
          return args.length ? new RealDate(...args) : new RealDate(host.now());
        }
        FakeDate.prototype = RealDate.prototype;
        FakeDate.now = () => host.now();
        FakeDate.parse = RealDate.parse;
        FakeDate.UTC = RealDate.UTC;
        g.Date = FakeDate;
        g.performance = { now: () => host.now() - host.start, timeOrigin: host.start };
        let state = host.seed;
        Math.random = function random() {
          state = (state + 0x6d2b79f5) >>> 0;
          let t = state;
          t = Math.imul(t ^ (t >>> 15), t | 1);
          t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
          return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        };
        const logger = { log: log("log"), debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
        // Promise jobs run on the queue of their handler's realm: track results with this realm's functions.
        host.track = (promise, record) => {
          Promise.resolve(promise).then(
            (value) => { record.state = "fulfilled"; record.value = value; },
            (error) => { record.state = "rejected"; record.error = error; },
          );
        };
        g.pega = { cti: { desktopApi: {}, embeddedApi: {}, Logger: logger, embeddedEventHandler: { applyCallTreatment: (event) => host.forward(event) } } };
      })`,
      { filename: "cti-host" },
    );
    prelude.runInContext(this.context)(host);
    this.host = host;
    for (const name of ["TextEncoder", "TextDecoder", "URL", "URLSearchParams", "atob", "btoa"]) {
      if (globalThis[name] !== undefined) this.context[name] = globalThis[name];
    }
  }

  // -- what the connector calls ---------------------------------------------------------
  forward(event) {
    if (typeof event === "string") {
      message({ t: "event", ctx: this.id, json: event, problems: [] }); // JSON text: Python parses it strictly
      return;
    }
    const { text, problems } = serializeFast(event, this.plainObject, this.plainArray);
    if (problems.length === 0) send(`E${this.id} ${text}`);
    else message({ t: "event", ctx: this.id, json: text, problems });
  }

  console(level, args) {
    const caller = callerFrames(this.files);
    let text;
    try {
      text = util.format(...args);
    } catch (error) {
      text = `(console arguments could not be formatted: ${errorText(error)})`;
    }
    if (level === "trace") text = `Trace: ${text}`;
    message({ t: "console", ctx: this.id, level, text, where: caller.where, stack: caller.stack });
  }

  setTimer(callback, delay, args, repeat) {
    const id = this.nextTimer++;
    let ms = Number(delay);
    if (!Number.isFinite(ms) || ms < 0) ms = 0;
    if (repeat && ms < 1) ms = 1;
    this.timers.set(id, { id, due: this.now + ms, order: this.order++, callback, args, repeat: repeat ? ms : 0 });
    return id;
  }

  // -- running the connector's code -------------------------------------------------------
  /** Run `work` as the context's code: timeout-bound, promise jobs drained after it. */
  run(work, deadline) {
    let threw = null;
    this.context.__cti_step = () => {
      try {
        work();
      } catch (error) {
        threw = error;
      }
    };
    const left = Math.max(1, Math.ceil(deadline - performance.now()));
    try {
      this.entry.runInContext(this.context, { timeout: left });
    } catch (error) {
      if (error && error.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return { timedOut: true, threw };
      threw = error;
    } finally {
      delete this.context.__cti_step;
    }
    return { timedOut: false, threw };
  }

  nextDue(limit) {
    let next = null;
    for (const timer of this.timers.values()) {
      if (timer.due <= limit && (next === null || timer.due < next.due || (timer.due === next.due && timer.order < next.order))) next = timer;
    }
    return next;
  }

  /** Run the next timer due by `limit`; false when there is none. */
  runNextTimer(limit, deadline) {
    const timer = this.nextDue(limit);
    if (timer === null) return { ran: false, timedOut: false };
    this.now = Math.max(this.now, timer.due);
    if (timer.repeat) {
      timer.due += timer.repeat;
      timer.order = this.order++;
    } else {
      this.timers.delete(timer.id);
    }
    const callback = timer.callback;
    const outcome = this.run(() => {
      if (typeof callback === "function") callback(...timer.args);
      else vm.runInContext(String(callback), this.context, { filename: "timer" });
    }, deadline);
    if (outcome.threw !== null) this.uncaught.push(describeError(outcome.threw, this.files));
    return { ran: true, timedOut: outcome.timedOut };
  }

  /** Move the clock to `target`, running every timer that falls due on the way, in order. */
  advanceTo(target, deadline, stop) {
    let runs = 0;
    while (!(stop && stop())) {
      const step = this.runNextTimer(target, deadline);
      if (step.timedOut) return "timeout";
      if (!step.ran) break;
      if (++runs > MAX_TIMER_RUNS) return "runaway";
      if (performance.now() > deadline) return "timeout";
    }
    if (!(stop && stop())) this.now = Math.max(this.now, target);
    return "ok";
  }

  lookup(path) {
    const parts = String(path).split(".");
    if (!parts.every((part) => /^[A-Za-z_$][\w$]*$/.test(part))) throw new HostError(`${JSON.stringify(path)} is not a dotted path of names`);
    let holder;
    let value;
    try {
      value = vm.runInContext(`typeof ${parts[0]} === "undefined" ? undefined : ${parts[0]}`, this.context, { filename: "cti-host" });
    } catch (error) {
      throw new HostError(`${parts[0]} cannot be read: ${errorText(error)}`);
    }
    for (let index = 1; index < parts.length; index++) {
      if (value === null || value === undefined) throw new HostError(`${parts.slice(0, index).join(".")} is ${value}, so ${path} does not exist`);
      holder = value;
      value = value[parts[index]];
    }
    return { holder, value };
  }

  settle(result) {
    this.tracked = null;
    if (result !== null && typeof result === "object" && typeof result.then === "function") {
      const tracked = { state: "pending" };
      this.tracked = tracked;
      this.host.track(result, tracked);
    }
  }

  takeUncaught() {
    const found = this.uncaught;
    this.uncaught = [];
    return found;
  }
}

class HostError extends Error {}

// -- operations -------------------------------------------------------------------------------
const runtimes = new Map();

function runtimeOf(request) {
  const runtime = runtimes.get(request.ctx);
  if (!runtime) throw new HostError(`no connector ${request.ctx} (it was closed)`);
  return runtime;
}

function value(raw) {
  return raw === undefined ? null : JSON.parse(serialize(raw).text);
}

const operations = {
  open(request, deadline) {
    const runtime = new Runtime(request.ctx, request);
    runtimes.set(request.ctx, runtime);
    const before = new Set(Object.keys(runtime.context.pega.cti.desktopApi));
    for (const [file, shown] of request.files) {
      let source;
      try {
        source = fs.readFileSync(file, "utf8");
      } catch (error) {
        return { ok: false, kind: "missing", message: `${shown}: cannot be read (${error.code || errorText(error)})` };
      }
      let script;
      try {
        script = new vm.Script(source, { filename: shown });
      } catch (error) {
        return { ok: false, kind: "syntax", message: syntaxLine(error, shown) };
      }
      const outcome = runtime.run(() => script.runInContext(runtime.context), deadline);
      if (outcome.timedOut) return { ok: false, kind: "timeout", message: `${shown} did not finish loading` };
      if (outcome.threw !== null) return { ok: false, kind: "thrown", error: describeError(outcome.threw, runtime.files), file: shown };
    }
    let name = request.implementation;
    const registry = runtime.context.pega && runtime.context.pega.cti && runtime.context.pega.cti.desktopApi;
    if (!name) {
      const added = registry ? Object.keys(registry).filter((key) => !before.has(key) && typeof registry[key] === "function") : [];
      if (added.length !== 1) {
        const found = added.length ? `they registered ${added.map((key) => `pega.cti.desktopApi.${key}`).join(", ")}` : "they registered nothing under pega.cti.desktopApi";
        return { ok: false, kind: "implementation", message: `name the implementation (implementation="pega.cti.desktopApi.<name>"): ${found}` };
      }
      name = `pega.cti.desktopApi.${added[0]}`;
    }
    let found;
    try {
      found = runtime.lookup(name).value;
    } catch (error) {
      return { ok: false, kind: "implementation", message: `${name}: ${error.message}` };
    }
    if (typeof found !== "function" && (found === null || typeof found !== "object")) {
      const known = registry ? Object.keys(registry).map((key) => `pega.cti.desktopApi.${key}`) : [];
      const hint = known.length ? ` (defined: ${known.join(", ")})` : " (nothing is registered under pega.cti.desktopApi)";
      return { ok: false, kind: "implementation", message: `${name} is ${found === undefined ? "not defined" : `a ${typeof found}`} after loading ${request.files.map(([, shown]) => shown).join(", ")}${hint}` };
    }
    let instance = found;
    if (typeof found === "function") {
      const outcome = runtime.run(() => {
        instance = new found();
      }, deadline);
      if (outcome.timedOut) return { ok: false, kind: "timeout", message: `new ${name}() did not return` };
      if (outcome.threw !== null) return { ok: false, kind: "thrown", error: describeError(outcome.threw, runtime.files), file: null };
    }
    runtime.instance = instance;
    runtime.name = name;
    return { ok: true, implementation: name, methods: methodsOf(instance), uncaught: runtime.takeUncaught() };
  },

  call(request, deadline) {
    const runtime = runtimeOf(request);
    const method = runtime.instance[request.name];
    if (typeof method !== "function") {
      return { ok: false, kind: "usage", message: `${runtime.name} has no method ${request.name}() (its methods: ${methodsOf(runtime.instance).join(", ") || "none"})` };
    }
    const number = ++runtime.calls;
    const answers = [];
    let done = false;
    const answer = (kind) => (...args) => {
      const given = { kind, count: args.length, value: kind === "success" ? value(args[0]) : null, error: kind === "failure" ? describeFailure(args) : null };
      if (answers.length === 0 && !done) answers.push(given);
      else {
        answers.push(given);
        message({ t: "late", ctx: runtime.id, call: number, name: request.name, first: answers[0] ? answers[0].kind : null, answer: given });
      }
    };
    const args = runtime.json.parse(request.args);
    args.push(answer("success"), answer("failure"));
    if (request.forward) args.push(runtime.forwardEvent);
    const started = runtime.now;
    let outcome = runtime.run(() => method.apply(runtime.instance, args), deadline);
    let clock = "ok";
    if (!outcome.timedOut && answers.length === 0) {
      clock = runtime.advanceTo(started + request.wait, deadline, () => answers.length > 0);
    }
    done = true;
    return {
      ok: true,
      answer: answers[0] || null,
      waited: (runtime.now - started) / 1000,
      threw: outcome.threw === null ? null : describeError(outcome.threw, runtime.files),
      timedOut: outcome.timedOut || clock === "timeout",
      runaway: clock === "runaway",
      uncaught: runtime.takeUncaught(),
    };
  },

  emit(request, deadline) {
    const runtime = runtimeOf(request);
    let target;
    try {
      target = runtime.lookup(request.path);
    } catch (error) {
      return { ok: false, kind: "usage", message: error.message };
    }
    if (typeof target.value !== "function") {
      return { ok: false, kind: "usage", message: `${request.path} is ${target.value === undefined ? "not defined" : `a ${typeof target.value}, not a function`}` };
    }
    const args = runtime.json.parse(request.args);
    let result;
    const outcome = runtime.run(() => {
      result = target.value.apply(target.holder, args);
      runtime.settle(result);
    }, deadline);
    const tracked = runtime.tracked;
    runtime.tracked = null;
    let threw = outcome.threw;
    let returned = outcome.timedOut || threw !== null ? null : value(result);
    if (tracked && tracked.state === "fulfilled") returned = value(tracked.value);
    else if (tracked && tracked.state === "rejected") threw = tracked.error;
    else if (tracked) returned = null;
    return {
      ok: true,
      value: returned,
      threw: threw === null ? null : describeError(threw, runtime.files),
      timedOut: outcome.timedOut,
      uncaught: runtime.takeUncaught(),
    };
  },

  advance(request, deadline) {
    const runtime = runtimeOf(request);
    const clock = runtime.advanceTo(runtime.now + request.ms, deadline, null);
    return { ok: true, timedOut: clock === "timeout", runaway: clock === "runaway", uncaught: runtime.takeUncaught(), now: runtime.now };
  },

  get(request) {
    const runtime = runtimeOf(request);
    try {
      return { ok: true, value: value(runtime.lookup(request.path).value) };
    } catch (error) {
      return { ok: false, kind: "usage", message: error.message };
    }
  },

  dispose(request) {
    runtimes.delete(request.ctx);
    return { ok: true };
  },
};

function syntaxLine(error, shown) {
  const stack = typeof error.stack === "string" ? error.stack.split("\n") : [];
  let where = shown;
  if (stack.length && stack[0].startsWith(`${shown}:`)) {
    where = stack[0];
    const caret = stack[2] !== undefined ? stack[2].indexOf("^") : -1;
    if (caret >= 0) where += `:${caret + 1}`;
  }
  return `${where}: ${error.name || "SyntaxError"}: ${error.message}`;
}

function methodsOf(instance) {
  const names = new Set();
  for (let object = instance; object && object !== Object.prototype && names.size < 200; object = Object.getPrototypeOf(object)) {
    for (const name of Object.getOwnPropertyNames(object)) {
      if (name === "constructor") continue;
      try {
        if (typeof instance[name] === "function") names.add(name);
      } catch (_) {
        // a getter that throws is not a method
      }
    }
    if (Object.getPrototypeOf(object) === null || Object.getPrototypeOf(object).constructor.name === "Object") break;
  }
  return [...names].sort();
}

/** What `failure` received, described for Python's error-object rules (F1–F4). */
function describeFailure(args) {
  const error = args[0];
  const kind = args.length === 0 ? "none" : error === null ? "null" : Array.isArray(error) ? "array" : typeof error;
  const field = (name) => {
    if (kind !== "object" && kind !== "function") return null;
    let present = false;
    let item;
    try {
      present = name in error;
      item = error[name];
    } catch (problem) {
      return { present: true, type: "unreadable", value: null, text: errorText(problem) };
    }
    const type = item === null ? "null" : Array.isArray(item) ? "array" : typeof item;
    const plain = type === "string" || type === "number" || type === "boolean" || type === "null";
    return { present, type, value: plain ? item : null, text: plain ? JSON.stringify(item) : util.inspect(item, { depth: 1 }) };
  };
  return {
    kind,
    text: args.length === 0 ? "" : util.inspect(error, { depth: 1 }),
    errCode: field("errCode"),
    errMessage: field("errMessage"),
    json: args.length === 0 || error === undefined ? null : serialize(error).text,
  };
}

// -- the loop ---------------------------------------------------------------------------------
let current = null; // the runtime whose operation is running: unhandled rejections are its own

/** One operation: run it, let Node report unhandled rejections (after its microtasks), reply. */
async function handle(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    message({ t: "reply", id: null, ok: false, kind: "protocol", message: `not JSON: ${errorText(error)}` });
    flush();
    return;
  }
  const deadline = performance.now() + (request.timeout || 5000);
  let reply;
  current = runtimes.get(request.ctx) || null;
  try {
    const operation = operations[request.op];
    if (!operation) throw new HostError(`unknown operation ${JSON.stringify(request.op)}`);
    reply = operation(request, deadline);
    current = runtimes.get(request.ctx) || null;
    await new Promise((resolve) => setImmediate(resolve)); // Node reports unhandled rejections before this
    if (current && Array.isArray(reply.uncaught)) reply.uncaught.push(...current.takeUncaught());
  } catch (error) {
    reply = error instanceof HostError ? { ok: false, kind: "usage", message: error.message } : { ok: false, kind: "host", message: errorText(error) };
  }
  current = null;
  reply.t = "reply";
  reply.id = request.id;
  message(reply);
  flush();
}

if (require.main === module) {
  process.on("unhandledRejection", (reason) => {
    if (current) current.uncaught.push(describeError(reason, current.files));
  });
  let buffer = "";
  let queue = Promise.resolve();
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) queue = queue.then(() => handle(line));
    }
  });
  process.stdin.on("end", () => queue.then(() => process.exit(0))); // Python went away: never outlive it
  process.stdout.on("error", () => process.exit(0));
}

module.exports = { serialize, describeError };
