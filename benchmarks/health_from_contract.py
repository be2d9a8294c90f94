"""``from_contract(kind, profile)`` within every Hypothesis health check at 1,000 examples.

Run: ``python benchmarks/health_from_contract.py [N]`` (default 1000 examples). For each kind x
profile it runs a plain ``@given`` test with Hypothesis's default health checks (nothing
suppressed, no deadline: timing belongs here, not in the suite) and prints the examples drawn,
the rate and ``OK`` or the health check that failed. Exits 1 if any failed. The suite runs the
same check with a small budget (tests/test_strategies.py); this script proves the full one.
"""

from __future__ import annotations

import sys
import time

from hypothesis import given, settings
from hypothesis.errors import FailedHealthCheck

from pytest_snapshot_cti import strategies as cti
from pytest_snapshot_cti.schemas import KINDS


def check(kind: str, profile: str, n: int) -> tuple[bool, int, float, str]:
    drawn = 0

    @settings(max_examples=n, database=None, deadline=None)
    @given(cti.from_contract(kind, profile))
    def run(document: object) -> None:
        nonlocal drawn
        drawn += 1

    start = time.perf_counter()
    try:
        run()
    except FailedHealthCheck as err:
        return False, drawn, time.perf_counter() - start, str(err).splitlines()[0]
    return True, drawn, time.perf_counter() - start, "OK"


def main(argv: list[str]) -> int:
    import hypothesis

    n = int(argv[0]) if argv else 1000
    print(f"hypothesis {hypothesis.__version__}, max_examples={n}, default health checks")
    failed = 0
    for profile in ("published", "strict"):
        for kind in KINDS:
            ok, drawn, seconds, verdict = check(kind, profile, n)
            failed += not ok
            print(f"  from_contract({kind!r}, {profile!r}): {drawn:5d} examples in {seconds:6.1f} s ({drawn / seconds:6.1f}/s)  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
