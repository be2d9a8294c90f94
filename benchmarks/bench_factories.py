"""Snapshots per second: EventFactory.snapshots(n) against a naive Faker-per-field factory.

Both make the same shapes (every preset, same id styles, same E.164-like numbers), measured
side by side in one run; the figure that matters is the ratio (target: at least 4x).

    python benchmarks/bench_factories.py [--n 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from faker import Faker

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti.factories import _PRESET_TABLE, PRESETS, EventFactory

AUX = ("Break", "Lunch", "Meeting", "Training", "Coaching", "Personal", "Email", "Outbound")


class NaiveFactory:
    """What one writes first: a Faker call for every field of every Snapshot."""

    def __init__(self, seed: int) -> None:
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)

    def _reason(self, kind: str) -> str:
        fake = self.fake
        if kind == "aux":
            return fake.random_element(AUX)
        if kind == "acw":
            return fake.random_element(("AfterCallWork", "ACW", "WrapUp"))
        if kind == "logout":
            return fake.numerify("5#")
        return fake.random_element(("", "0"))

    def snapshot(self) -> dict[str, Any]:
        fake = self.fake
        spec = _PRESET_TABLE[fake.random_element(PRESETS)]
        return {
            "pyEventType": "SnapshotEvent",
            "pyEventName": "Snapshot",
            "pyAgentId": fake.numerify("%###"),
            "pyThisDN": fake.numerify("%###"),
            "pyAgentState": spec.agent,
            "pyReasonCode": self._reason(spec.reason),
            "pyLinkState": spec.link,
            "pyDeviceState": spec.device,
            "pyMedia": "Phone",
            "pyLines": [{"pyCallId": "" if state == "None" else fake.uuid4(), "pyLineState": state} for state in spec.lines],
        }

    def snapshots(self, n: int) -> list[dict[str, Any]]:
        return [self.snapshot() for _ in range(n)]


def rate(make: Any, n: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        make(n)
        best = min(best, time.perf_counter() - start)
    return n / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    naive, ours = NaiveFactory(1), EventFactory(1)
    strict = load_contract("strict")
    assert all(strict.validate(s) == [] for s in naive.snapshots(200)), "the naive factory must be just as valid"
    assert all(strict.validate(s) == [] for s in ours.snapshots(200))
    naive_rate = rate(naive.snapshots, args.n, args.repeat)
    ours_rate = rate(ours.snapshots, args.n, args.repeat)
    print(f"naive Faker-per-field factory: {naive_rate:12,.0f} snapshots/s")
    print(f"EventFactory.snapshots(n):     {ours_rate:12,.0f} snapshots/s")
    print(f"ratio: {ours_rate / naive_rate:.1f}x (target >= 4x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
