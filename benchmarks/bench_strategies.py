"""Side by side in one run: raw hypothesis-jsonschema on the published Snapshot schema vs ``strategies.snapshots()``.

Run: ``python benchmarks/bench_strategies.py [N [ROUNDS]]`` (default 300 examples, 3 rounds). Prints examples per
second for each strategy, the ratio (target >= 5x), and the share of documents that carry properties
the schema never mentions (hypothesis-jsonschema invents them because the published schema is open).
Timing lives here, never in the test suite.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_snapshot_cti import load_contract
from pytest_snapshot_cti import strategies as cti


def measure(strategy: st.SearchStrategy[Any], n: int) -> tuple[float, list[Any]]:
    """Examples per second of ``strategy`` in a plain @given loop (no database, no deadline)."""
    seen: list[Any] = []

    @settings(max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(document: Any) -> None:
        seen.append(document)

    start = time.perf_counter()
    run()
    return len(seen) / (time.perf_counter() - start), seen


def main(argv: list[str]) -> int:
    from hypothesis_jsonschema import from_schema

    from pytest_snapshot_cti.hypothesis_jsonschema_compat import ensure_compatible

    ensure_compatible()  # hypothesis-jsonschema 0.23.1 on Hypothesis >= 6.170.10

    n = int(argv[0]) if argv else 300
    rounds = int(argv[1]) if len(argv) > 1 else 3
    schema = load_contract("published").schema("snapshot")
    documented = set(schema["properties"])
    rows = [
        ("hypothesis_jsonschema.from_schema(published Snapshot)", from_schema(schema)),
        ("strategies.snapshots()", cti.snapshots()),
        ("strategies.snapshots(realistic=True)", cti.snapshots(realistic=True)),
        ("strategies.snapshots(profile='strict')", cti.snapshots(profile="strict")),
    ]
    # Interleaved rounds, best rate kept: a busy machine slows whichever strategy runs while it is
    # busy, so one sequential pass can swing the ratio either way.
    best: dict[str, float] = {}
    extra: dict[str, float] = {}
    for _ in range(rounds):
        for label, strategy in rows:
            rate, docs = measure(strategy, n)
            best[label] = max(best.get(label, 0.0), rate)
            extra[label] = sum(1 for d in docs if isinstance(d, dict) and set(d) - documented) / max(len(docs), 1)
    print(f"{n} examples per run, best of {rounds} interleaved runs (@given loop, database=None)")
    for label, _ in rows:
        print(f"  {label:<55} {best[label]:8.1f} examples/s   {extra[label]:6.1%} with invented top-level keys")
    baseline = best[rows[0][0]]
    for label, _ in rows[1:]:
        print(f"ratio {label} / from_schema: {best[label] / baseline:5.1f}x (target >= 5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
