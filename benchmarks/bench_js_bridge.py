"""How much the JavaScript bridge costs: 10,000 forwarded events through it vs a bare echo of the same lines.

Bridge: a connector in the Node host forwards 10,000 events (one ``emit`` call); each crosses
as ``JSON.stringify`` text (checked for what JSON cannot carry), the stdio pipe and the line
protocol, and lands in an ``EventRecorder``. Echo: a Node process that copies stdin to stdout;
Python writes the same 10,000 lines into it, reads them back over the same kind of pipe and hands
each to an ``EventRecorder`` too. Both sides are timed in the same run, alternately, several
rounds; the ratio of medians is the measure (target <= 2.0). Also printed: the median round
trip of ``call`` (Python -> JavaScript method -> ``success`` -> Python).

    python benchmarks/bench_js_bridge.py [--events 10000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pytest_snapshot_cti import EventRecorder
from pytest_snapshot_cti.factories import EventFactory
from pytest_snapshot_cti.js import JsConnector, find_node

CONNECTOR = """
pega.cti.desktopApi.bench = function () { pega.cti.desktopApi.bench.last = this; this.events = []; };
pega.cti.desktopApi.bench.prototype.login = function (a, p, e, l, o, success, failure, forwardEvent) { this.forward = forwardEvent; success(); };
pega.cti.desktopApi.bench.prototype.ping = function (success) { success("pong"); };
const bench = {
  load(events) { pega.cti.desktopApi.bench.last.events = events; return events.length; },
  burst() { const c = pega.cti.desktopApi.bench.last; for (const event of c.events) c.forward(event); return c.events.length; },
};
"""

ECHO = """
process.stdin.pipe(process.stdout);
"""


def events(count: int) -> list[dict[str, object]]:
    """Factory events, a Snapshot, an AgentStateEvent and a CallStateEvent in turn (seeded)."""
    factory = EventFactory(seed=20240101)
    makers = [factory.snapshot, factory.agent_event, factory.call_event]
    return [dict(makers[i % 3]()) for i in range(count)]


def bridge_round(connector: JsConnector, recorder: EventRecorder, count: int) -> float:
    recorder.clear()
    started = time.perf_counter()
    assert connector.emit("bench.burst", timeout=120) == count
    elapsed = time.perf_counter() - started
    assert len(recorder.events) == count
    return elapsed


def echo_round(node: str, script: Path, lines: list[bytes], recorder: EventRecorder) -> float:
    recorder.clear()
    process = subprocess.Popen([node, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None
    assert process.stdout is not None
    payload = b"".join(line + b"\n" for line in lines)
    time.sleep(0.3)  # let Node start: the bridge's start-up is not timed either

    def feed() -> None:
        assert process.stdin is not None
        process.stdin.write(payload)
        process.stdin.close()

    started = time.perf_counter()
    writer = threading.Thread(target=feed)
    writer.start()
    rest = b""
    while True:
        chunk = process.stdout.read1(1 << 16)
        if not chunk:
            break
        parts = (rest + chunk).split(b"\n")
        rest = parts.pop()
        for line in parts:
            recorder(line)
    elapsed = time.perf_counter() - started
    writer.join()
    process.wait()
    process.stdout.close()
    assert len(recorder.events) == len(lines)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    node = find_node()
    data = events(options.events)
    with tempfile.TemporaryDirectory() as folder:
        connector_file = Path(folder) / "bench.js"
        connector_file.write_text(CONNECTOR, encoding="utf-8")
        echo_file = Path(folder) / "echo.js"
        echo_file.write_text(ECHO, encoding="utf-8")
        # The exact lines the bridge carries, captured once, are what the echo carries.
        captured: list[str] = []
        with JsConnector(connector_file, forward_event=captured.append) as capture:
            capture.call("login", "1", "", "", {}, {})
            capture.emit("bench.load", data, timeout=60)
            capture.emit("bench.burst", timeout=120)
        lines = [text.encode("utf-8") for text in captured]
        recorder = EventRecorder()
        with JsConnector(connector_file, forward_event=recorder) as connector:
            connector.call("login", "1", "", "", {}, {})
            connector.emit("bench.load", data, timeout=60)
            bridge_round(connector, recorder, options.events)  # warm-up
            echo_round(node, echo_file, lines, EventRecorder())
            bridge: list[float] = []
            echo: list[float] = []
            for _ in range(options.rounds):
                bridge.append(bridge_round(connector, recorder, options.events))
                echo.append(echo_round(node, echo_file, lines, EventRecorder()))
            trips = []
            for _ in range(1000):
                started = time.perf_counter()
                connector.call("ping")
                trips.append(time.perf_counter() - started)
    size = sum(len(line) for line in lines) / len(lines)
    print(f"{options.events:,} events ({size:.0f} bytes a line), {options.rounds} rounds, Node {subprocess.run([node, '--version'], capture_output=True, text=True, check=False).stdout.strip()}, Python {sys.version.split()[0]}")
    print(f"  bridge into the recorder: median {statistics.median(bridge) * 1000:8.1f} ms  ({options.events / statistics.median(bridge):,.0f} events/s)")
    print(f"  echo into the recorder:   median {statistics.median(echo) * 1000:8.1f} ms  ({options.events / statistics.median(echo):,.0f} events/s)")
    ratios = [b / e for b, e in zip(bridge, echo, strict=True)]
    print(f"  ratio bridge / echo: {statistics.median(bridge) / statistics.median(echo):.2f} (per round: {', '.join(f'{r:.2f}' for r in ratios)}; target <= 2.0)")
    print(f"  call() round trip: median {statistics.median(trips) * 1e6:.0f} us, p90 {sorted(trips)[len(trips) * 9 // 10] * 1e6:.0f} us (1,000 calls)")


if __name__ == "__main__":
    main()
