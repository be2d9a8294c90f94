"""What the conformance kit's checks cost: the same state machine with the checks on and off, in one run.

1,000 shifts of up to 20 steps through the connector template's ``AcmeConnector`` (the driver of
``examples/connector_template/tests/test_conformance.py``), timed back to back, rounds
interleaved (the machine is noisy): with every check (contract per event, stream rules L1–L5,
the model oracle) against the same machine whose shifts skip them. Target: the checks at most
double the run (ratio <= 2.0).

    python benchmarks/bench_conformance.py [--shifts 1000] [--steps 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "examples" / "connector_template" / "src"), str(ROOT / "examples" / "connector_template" / "tests")]


def run(shifts: int, steps: int, checks: bool) -> tuple[float, int]:
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis.stateful import run_state_machine_as_test
    from test_conformance import AcmeDriver, TestAcmeConformance

    from pytest_snapshot_cti import load_contract
    from pytest_snapshot_cti.shift_machine import RunLog, shift_machine

    log = RunLog()
    machine = shift_machine(
        AcmeDriver,
        agent_id=TestAcmeConformance.agent_id,
        extension=TestAcmeConformance.extension,
        contract=load_contract("published"),
        fail_on_warnings=False,
        log=log,
        name="BenchShift",
        checks=checks,
    )
    chosen = settings(
        max_examples=shifts,
        stateful_step_count=steps,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    start = time.perf_counter()
    run_state_machine_as_test(machine, settings=chosen)
    return time.perf_counter() - start, len(log.transitions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shifts", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    run(20, args.steps, True)  # warm up: imports, compiled validators
    on: list[float] = []
    off: list[float] = []
    steps_on = steps_off = 0
    for _ in range(args.rounds):
        seconds, steps_off = run(args.shifts, args.steps, False)
        off.append(seconds)
        seconds, steps_on = run(args.shifts, args.steps, True)
        on.append(seconds)
    ratios = [a / b for a, b in zip(on, off, strict=True)]
    print(f"{args.shifts:,} shifts of up to {args.steps} steps, {args.rounds} interleaved rounds")
    print(f"checks off: {statistics.median(off):.2f} s median ({steps_off:,} steps in the last round)")
    print(f"checks on:  {statistics.median(on):.2f} s median ({steps_on:,} steps in the last round)")
    print(f"per step with checks: {statistics.median(on) / max(steps_on, 1) * 1e6:.0f} us")
    print(f"ratio checks on / off: {statistics.median(ratios):.2f} (rounds: {', '.join(f'{r:.2f}' for r in ratios)}; target <= 2.0)")


if __name__ == "__main__":
    main()
