"""Bulk validation speed and memory, measured side by side in one run (issue 6, point 5).

    python benchmarks/bench_validate.py [--events 100000] [--keep DIR]

Builds a realistic, mostly-valid JSONL capture from the factories (Snapshots, call, agent and
party events; 0.1 % labelled mutants), then times on the same file:

* parse only: ``json.loads`` and ``msgspec.json.decode`` per line (the parsers we ship), and
  ``orjson.loads`` when it happens to be installed (for reference: we no longer ship it);
* the naive loop: ``json.loads`` + jsonschema ``Draft6Validator.iter_errors`` (bundled schema by pyEventType);
* ``snapshot-cti validate`` (in-process, ``main(["validate", "-q", path])``);

and prints events/s and the two target ratios. The same capture with vendor extra keys on every event
(``vendorQueue``, ``vendorSkill``: the published profile allows them, the typed Structs do not, so the
lines take the dict path) is timed against msgspec parse-only the same way. Peak memory: ``snapshot-cti validate`` in a fresh
subprocess on N and 10 x N events, max RSS from ``resource.getrusage(RUSAGE_CHILDREN)``.

``--lifecycle`` (issue 12: it was quadratic) on two 1M-event agent streams, each timed back to back
with the plain run, round by round (the median ratio is the measure; target <= 3x):

* one agent's shifts: the factory scenarios (login, calls, a consult, a missed call, a link drop,
  logout) over and over, one stream, every rule engaged and satisfied;
* random AgentStateEvents (``generate --kind agent``, issue 12's stream): a Login or Logout every
  few events and no Snapshot ever, so L1 and L2 report on 40 % of the events.

Numbers are from this machine at this moment; only the ratios travel.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build_capture(path: Path, events: int, seed: int = 2026) -> None:
    from pytest_snapshot_cti.cli import generate

    mix = {"snapshot": 0.60, "call": 0.20, "agent": 0.15, "party": 0.05}
    lines: list[str] = []
    for n, (kind, share) in enumerate(mix.items()):
        out = io.StringIO()
        generate(out, count=round(events * share), seed=seed + n, kind=kind, invalid=0.001)
        lines.extend(out.getvalue().splitlines())
    random.Random(seed).shuffle(lines)
    path.write_text("\n".join(lines[:events]) + "\n", encoding="utf-8")


def build_vendor_capture(source: Path, path: Path) -> None:
    """``source`` with two vendor extra keys on every event: valid under the published profile, refused by the Structs."""
    with open(source, "rb") as lines, open(path, "wb") as out:
        for line in lines:
            body = line.rstrip(b"\n")
            if body.endswith(b"}"):  # an object (a mutant may be no object): the extra keys go before its last brace
                body = body[:-1] + b',"vendorQueue":"Q17","vendorSkill":"billing"}'
            out.write(body + b"\n")


def dict_path_share(path: Path) -> float:
    """The share of the events the dict path decided (the capture is meant to take that path)."""
    from pytest_snapshot_cti.bulk import BulkValidator
    from pytest_snapshot_cti.contract import load_contract

    validator = BulkValidator(load_contract())
    with open(path, "rb") as stream:
        for _ in validator.validate_stream(stream, path.name):
            pass
    return validator.paths.dict / max(1, validator.tally.events)


def back_to_back_ratios(path: Path, rounds: int) -> list[float]:
    """msgspec parse-only / validate, timed back to back, round by round (sorted)."""
    ratios = []
    for _ in range(rounds):
        parse_seconds = seconds(lambda: parse_msgspec(path))
        validate_seconds = seconds(lambda: cli_validate(path))
        ratios.append(parse_seconds / validate_seconds)
    return sorted(ratios)


def seconds(func: object) -> float:
    started = time.perf_counter()
    func()  # type: ignore[operator]
    return time.perf_counter() - started


def report(label: str, best: float, events: int) -> float:
    per_second = events / best
    print(f"  {label:<44} {per_second:>12,.0f} events/s   ({best:.2f} s for {events:,})")
    return per_second


def rate(label: str, func: object, events: int, repeat: int = 3) -> float:
    return report(label, min(seconds(func) for _ in range(repeat)), events)


def interleaved_best(funcs: list[object], repeat: int = 3) -> list[float]:
    """Best time of each function over ``repeat`` rounds, each round running them all in turn."""
    best = [float("inf")] * len(funcs)
    for _ in range(repeat):
        for index, func in enumerate(funcs):
            best[index] = min(best[index], seconds(func))
    return best


def parse_json(path: Path) -> None:
    with open(path, "rb") as stream:
        for line in stream:
            json.loads(line)


def parse_msgspec(path: Path) -> None:
    import msgspec

    decode = msgspec.json.decode
    with open(path, "rb") as stream:
        for line in stream:
            decode(line)


def parse_orjson(path: Path) -> None:
    import orjson

    with open(path, "rb") as stream:
        for line in stream:
            orjson.loads(line)


def orjson_installed() -> bool:
    try:
        import orjson  # noqa: F401
    except ImportError:
        return False
    return True


def naive_loop(path: Path) -> None:
    from jsonschema import Draft6Validator

    from pytest_snapshot_cti.schemas import KINDS, load_schema_set

    schemas = load_schema_set().schemas
    validators = {event_type: Draft6Validator(schemas[kind]) for kind, (_, event_type) in KINDS.items()}
    with open(path, "rb") as stream:
        for line in stream:
            event = json.loads(line)
            validator = validators.get(event.get("pyEventType"), validators["SnapshotEvent"])
            list(validator.iter_errors(event))


def cli_validate(path: Path) -> None:
    from pytest_snapshot_cti.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        main(["validate", "-q", str(path)])


def build_shifts(path: Path, events: int, seed: int = 2026) -> None:
    """One agent's shifts, over and over: the scenarios in the order a day would have them."""
    from pytest_snapshot_cti.cli import generate

    out = io.StringIO()
    for scenario in ("login", "inbound_call", "outbound_call", "consult_transfer", "missed_call", "link_drop_reconnect", "logout"):
        generate(out, scenario=scenario, count=1, seed=seed)
    shift = out.getvalue().encode()
    path.write_bytes(shift * (events // shift.count(b"\n")))


def build_agent_events(path: Path, events: int, seed: int = 2026) -> None:
    from pytest_snapshot_cti.cli import generate

    out = io.StringIO()
    generate(out, count=min(events, 100_000), seed=seed, kind="agent")
    block = out.getvalue().encode()
    path.write_bytes(block * max(1, events // block.count(b"\n")))


def cli_validate_lifecycle(path: Path) -> None:
    from pytest_snapshot_cti.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        main(["validate", "-q", "--lifecycle", str(path)])


def lifecycle_ratios(path: Path, rounds: int) -> tuple[list[float], float, float]:
    """``--lifecycle`` / plain, timed back to back each round; and the best time of each."""
    ratios, plain, lifecycle = [], float("inf"), float("inf")
    for _ in range(rounds):
        plain_seconds = seconds(lambda: cli_validate(path))
        lifecycle_seconds = seconds(lambda: cli_validate_lifecycle(path))
        ratios.append(lifecycle_seconds / plain_seconds)
        plain, lifecycle = min(plain, plain_seconds), min(lifecycle, lifecycle_seconds)
    return sorted(ratios), plain, lifecycle


def peak_rss_fresh(path: Path) -> float:
    runner = (
        "import resource, subprocess, sys\n"
        "code = \"import sys; from pytest_snapshot_cti.cli import main; sys.exit(main(['validate', '-q', sys.argv[1]]))\"\n"
        "subprocess.run([sys.executable, '-c', code, sys.argv[1]], capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", runner, str(path)], check=True, capture_output=True, text=True).stdout
    return int(out.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--naive-events", type=int, default=10_000, help="the naive loop is slow: time it on a prefix")
    parser.add_argument("--rounds", type=int, default=9, help="back-to-back rounds for the target ratio")
    parser.add_argument("--keep", type=Path, help="write the capture files here instead of a temporary directory")
    parser.add_argument("--lifecycle-events", type=int, default=1_000_000, help="events of each --lifecycle stream")
    parser.add_argument("--lifecycle-rounds", type=int, default=5, help="back-to-back rounds of plain and --lifecycle")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        small = root / "capture-100k.jsonl"
        print(f"building {args.events:,} events from the factories …")
        build_capture(small, args.events)
        prefix = root / "capture-prefix.jsonl"
        with open(small, "rb") as source:
            prefix.write_bytes(b"".join(line for _, line in zip(range(args.naive_events), source, strict=False)))
        big = root / "capture-1m.jsonl"
        data = small.read_bytes()
        big.write_bytes(data * 10)
        size = len(data) / args.events
        print(f"  {args.events:,} events, {size:.0f} bytes per line on average\n")

        print("throughput (best of 3; msgspec parse-only and validate interleaved, round by round):")
        r_json = rate("parse only: json.loads", lambda: parse_json(small), args.events)
        t_msgspec, t_cli = interleaved_best([lambda: parse_msgspec(small), lambda: cli_validate(small)])
        r_msgspec = report("parse only: msgspec.json.decode", t_msgspec, args.events)
        r_orjson = rate("parse only: orjson.loads (not shipped)", lambda: parse_orjson(small), args.events) if orjson_installed() else None
        r_naive = rate("json.loads + Draft6Validator.iter_errors", lambda: naive_loop(prefix), args.naive_events, repeat=1)
        r_cli = report("snapshot-cti validate", t_cli, args.events)
        fastest = max(r_json, r_msgspec)
        print()
        print(f"  validate / naive loop              {r_cli / r_naive:6.1f}x   (target >= 15x)")
        print(f"  validate / fastest parse-only      {r_cli / fastest:6.2f}    (target >= 0.5; the fastest parser shipped: msgspec)")
        if r_orjson is not None:
            print(
                f"  validate / orjson parse-only       {r_cli / r_orjson:6.2f}    (orjson is not shipped; for comparison with earlier runs)"
            )
        print(f"  validate / json.loads parse-only   {r_cli / r_json:6.2f}")

        # The machine's speed drifts within seconds; a ratio from two timings taken back to back,
        # repeated, is steadier than a ratio of two best-ofs taken at different moments.
        print(f"\nthe target ratio, {args.rounds} rounds, each timing msgspec parse-only and validate back to back:")
        ratios = back_to_back_ratios(small, args.rounds)
        print(
            f"  validate / msgspec parse-only      median {statistics.median(ratios):.2f}   (min {ratios[0]:.2f}, max {ratios[-1]:.2f}; target >= 0.5)"
        )

        vendor = root / "capture-vendor-keys.jsonl"
        build_vendor_capture(small, vendor)
        share = dict_path_share(vendor)
        print(f"\nthe same capture with vendor extra keys on every event ({share:.1%} of the events on the dict path), {args.rounds} rounds:")
        ratios = back_to_back_ratios(vendor, args.rounds)
        print(f"  validate / msgspec parse-only      median {statistics.median(ratios):.2f}   (min {ratios[0]:.2f}, max {ratios[-1]:.2f})")

        print("\npeak memory of `snapshot-cti validate -q` (fresh process each):")
        m_small = peak_rss_fresh(small)
        m_big = peak_rss_fresh(big)
        print(f"  {args.events:>10,} events   {m_small:8.1f} MiB")
        print(f"  {args.events * 10:>10,} events   {m_big:8.1f} MiB")
        print(f"  ratio                {m_big / m_small:8.2f}     (target <= 1.2)")

        print(f"\n--lifecycle on {args.lifecycle_events:,}-event agent streams, {args.lifecycle_rounds} rounds, each timing plain and --lifecycle back to back:")
        streams = (
            ("one agent's shifts (scenarios)", build_shifts, "agent-shifts.jsonl"),
            ("random agent events (issue 12's)", build_agent_events, "agent-events.jsonl"),
        )
        for label, build, filename in streams:
            path = root / filename
            build(path, args.lifecycle_events)
            ratios, plain, lifecycle = lifecycle_ratios(path, args.lifecycle_rounds)
            print(
                f"  {label:<34} plain {plain:5.2f} s, --lifecycle {lifecycle:5.2f} s (best); "
                f"--lifecycle / plain median {statistics.median(ratios):.2f} (min {ratios[0]:.2f}, max {ratios[-1]:.2f}; target <= 3)"
            )


if __name__ == "__main__":
    main()
