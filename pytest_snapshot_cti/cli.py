"""``snapshot-cti``: validate capture files, generate events, print schemas and the rule table.

For connector teams whose code is not Python, and for a day of production traffic.
Exit codes: 0 all valid, 1 violations found, 2 usage or I/O error (a closed stream, a report cut short:
a validate run whose output was cut short never exits 0). Bad input is data:
it becomes a located message, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import IO, Any

from . import __version__
from .violations import ContractUsageError

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2
KIND_CHOICES = ("auto", "snapshot", "agent", "call", "party")
#: Inputs larger than this get a progress line on stderr (only when stderr is a terminal).
PROGRESS_BYTES = 32 * 1024 * 1024


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with our prefix (argparse already uses 2)."""

    def error(self, message: str) -> Any:  # pragma: no cover - argparse's own path, exercised via main
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"snapshot-cti: error: {message}\n")


def _contract_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", choices=("published", "strict"), default="published", help="contract profile (default: published)")
    parser.add_argument("--contracts", metavar="DIR", help="directory of contract schemas replacing the bundled ones")
    parser.add_argument("--disable", metavar="IDS", action="append", default=[], help="comma-separated rule ids to skip (repeatable)")
    parser.add_argument("--allow-extra", metavar="NAMES", action="append", default=[], help="extra properties the strict profile accepts")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="snapshot-cti", description="Pega Call OpenCTI contract tools: validate, generate, schema, rules.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    validate = sub.add_parser("validate", help="validate capture files (.json/.jsonl), directories or - (stdin)")
    validate.add_argument("inputs", nargs="+", metavar="PATH", help="file, directory (recursive) or - for JSONL on stdin")
    _contract_options(validate)
    validate.add_argument(
        "--kind", choices=KIND_CHOICES, default="auto", help="validate every event as this kind (default: by pyEventType)"
    )
    validate.add_argument("--fail-on-warnings", action="store_true", help="warnings make an event invalid (exit 1)")
    validate.add_argument("--format", choices=("text", "json", "junit"), default="text", help="report format on stdout")
    validate.add_argument("--max-errors", type=_non_negative, metavar="N", help="print at most N findings (all are counted)")
    validate.add_argument("--quiet", "-q", action="store_true", help="text format: print only the summary line")
    validate.add_argument("--lifecycle", action="store_true", help="also apply L1-L5 to each stream (keeps each input's events in memory)")

    generate = sub.add_parser("generate", help="generate events as JSONL on stdout (same seed, same bytes)")
    source = generate.add_mutually_exclusive_group()
    source.add_argument("--preset", metavar="NAME", help="a Snapshot preset (see --list)")
    source.add_argument("--scenario", metavar="NAME", help="a call-centre scenario: an ordered event sequence (see --list)")
    generate.add_argument(
        "--count", type=_non_negative, default=None, metavar="N", help="events (default 10), or scenario repetitions (default 1)"
    )
    generate.add_argument("--seed", type=int, default=None, help="random seed (printed on stderr when not given)")
    generate.add_argument("--kind", choices=KIND_CHOICES[1:], default="snapshot", help="event kind to generate (default: snapshot)")
    generate.add_argument(
        "--invalid",
        type=_ratio,
        nargs="?",
        const=1.0,
        default=0.0,
        metavar="RATIO",
        help="mutate this share of events (default with the flag: all)",
    )
    generate.add_argument("--labels", metavar="FILE", help="write one JSON label per output line (mutation, expected rule ids) to FILE")
    generate.add_argument("--profile", choices=("published", "strict"), default="published", help="profile the mutants are labelled for")
    generate.add_argument("--list", action="store_true", help="list presets, scenarios and mutations, then exit")

    schema = sub.add_parser("schema", help="print the schema of a kind with a profile applied, as JSON")
    schema.add_argument("--kind", choices=KIND_CHOICES[1:], default="snapshot")
    _contract_options(schema)

    rules = sub.add_parser("rules", help="print the rule table: id, severity per profile, rationale")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _split(values: Sequence[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``snapshot-cti`` console script; returns the exit code."""
    if sys.stderr is None:  # started with 2>&-: messages have nowhere to go, the exit code still says it
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code) if isinstance(exit_.code, int) else EXIT_USAGE
    if sys.stdout is None:  # started with >&-
        print("snapshot-cti: error: standard output is closed: there is nowhere to write the output", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "generate":
            return _generate(args)
        if args.command == "schema":
            return _schema(args)
        return _rules(args)
    except ContractUsageError as err:
        print(f"snapshot-cti: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        _discard_stdout()
        if args.command != "validate":  # `snapshot-cti generate | head`: the reader left, which is fine
            return EXIT_OK
        # `snapshot-cti validate bad.jsonl | head -n 1`: the report was cut short, so its verdict never reads as a pass
        with contextlib.suppress(OSError):
            print("snapshot-cti: error: the output was closed before the report was complete (broken pipe)", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("snapshot-cti: interrupted", file=sys.stderr)
        return 130


def _discard_stdout() -> None:
    """Point stdout at the null device: Python's flush at exit would hit the closed pipe again (exit code 120)."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: no real file descriptor (a test's StringIO)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _load(args: argparse.Namespace) -> Any:
    from .contract import load_contract

    return load_contract(args.profile, contracts_dir=args.contracts, disable=_split(args.disable), allow_extra=_split(args.allow_extra))


# -- validate -------------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    from .bulk import BulkValidator
    from .outcomes import InputProblem
    from .reports import make_reporter

    contract = _load(args)
    out = sys.stdout
    progress = None
    if sys.stderr.isatty():
        size = sum(os.path.getsize(p) for p in args.inputs if p != "-" and os.path.isfile(p))
        if size >= PROGRESS_BYTES or "-" in args.inputs:
            progress = _Progress(sys.stderr)
    validator = BulkValidator(
        contract,
        kind=args.kind,
        fail_on_warnings=args.fail_on_warnings,
        lifecycle=args.lifecycle,
        progress=progress,
    )
    reporter = make_reporter(args.format, out, contract=contract, max_errors=args.max_errors, quiet=args.quiet)
    started = time.perf_counter()
    reporter.start()
    for outcome in validator.run(args.inputs):
        if isinstance(outcome, InputProblem):
            if progress is not None:
                progress.clear()
            kind = "error" if outcome.is_error else "note"
            print(f"snapshot-cti: {kind}: {outcome.location}: {outcome.message}", file=sys.stderr)
        reporter.outcome(outcome)
    if progress is not None:
        progress.clear()
    tally = validator.tally
    reporter.finish(tally, time.perf_counter() - started)
    out.flush()
    if tally.io_errors:
        return EXIT_USAGE
    failed = tally.invalid or tally.unreadable or tally.lifecycle_errors
    if failed or (args.fail_on_warnings and tally.lifecycle_warnings):
        return EXIT_VIOLATIONS
    return EXIT_OK


class _Progress:
    """``\\r  1,234,567 events…`` on a terminal's stderr, at most twice a second."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.last = 0.0
        self.shown = False

    def __call__(self, tally: Any) -> None:
        now = time.monotonic()
        if now - self.last >= 0.5:
            self.last = now
            self.shown = True
            self.stream.write(f"\r  {tally.events:,} events, {tally.invalid + tally.unreadable:,} failing…")
            self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


# -- generate -------------------------------------------------------------------------------------


def _listing() -> str:
    from .factories import PRESETS
    from .mutations import MUTATIONS
    from .scenarios import SCENARIOS

    return f"presets: {', '.join(PRESETS)}\nscenarios: {', '.join(SCENARIOS)}\nmutations: {', '.join(MUTATIONS)}\n"


def generate(
    out: IO[str],
    labels: IO[str] | None = None,
    *,
    preset: str | None = None,
    scenario: str | None = None,
    count: int | None = None,
    seed: int | None = None,
    kind: str = "snapshot",
    invalid: float = 0.0,
    profile: str = "published",
) -> int:
    """Write events as JSONL to ``out`` (labels to ``labels``); returns the seed used.

    One ``random.Random(seed)`` decides which events are mutated and how, and the factory
    is seeded with the same seed, so a seed always gives the same bytes.
    """
    import random

    from .factories import PRESETS, EventFactory
    from .mutations import MUTATIONS, apply_mutation
    from .scenarios import SCENARIOS

    if preset is not None and preset not in PRESETS:
        raise ContractUsageError(f"unknown preset {preset!r}: choose one of {', '.join(PRESETS)}")
    if scenario is not None and scenario not in SCENARIOS:
        raise ContractUsageError(f"unknown scenario {scenario!r}: choose one of {', '.join(SCENARIOS)}")
    factory = EventFactory(seed=seed, profile=profile)
    rng = random.Random(factory.seed)
    if scenario is not None:
        events = (event for _ in range(1 if count is None else count) for event in factory.scenario(scenario))
    else:
        makers: dict[str, Callable[[], Any]] = {
            "snapshot": lambda: factory.snapshot(preset),
            "agent": factory.agent_event,
            "call": factory.call_event,
            "party": factory.party_info,
        }
        make = makers[kind]
        events = (make() for _ in range(10 if count is None else count))
    for number, event in enumerate(events, start=1):
        document: Any = event
        label: dict[str, Any] = {"line": number, "mutation": None, "expected_rules": []}
        if invalid and rng.random() < invalid:
            event_kind = _kind_of(event)
            names = [n for n, m in MUTATIONS.items() if event_kind in m.kinds and profile in m.profiles]
            if names:
                case = apply_mutation(rng.choice(names), event, rng.choice, profile=profile)
                document = case.document
                label = {"line": number, "mutation": case.mutation, "expected_rules": sorted(case.expected_rules)}
        out.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
        if labels is not None:
            labels.write(json.dumps(label, separators=(",", ":")) + "\n")
    return factory.seed


def _kind_of(event: Any) -> str | None:
    from .mutations import kind_of

    return kind_of(event)


def _generate(args: argparse.Namespace) -> int:
    if args.list:
        sys.stdout.write(_listing())
        return EXIT_OK
    if args.preset and args.kind != "snapshot":
        raise ContractUsageError(f"--preset names a Snapshot preset; it cannot be combined with --kind {args.kind}")
    labels = None
    try:
        if args.labels:
            labels = open(args.labels, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as err:
        print(f"snapshot-cti: error: cannot write {args.labels}: {err.strerror or err}", file=sys.stderr)
        return EXIT_USAGE
    try:
        seed = generate(
            sys.stdout,
            labels,
            preset=args.preset,
            scenario=args.scenario,
            count=args.count,
            seed=args.seed,
            kind=args.kind,
            invalid=args.invalid,
            profile=args.profile,
        )
    finally:
        if labels is not None:
            labels.close()
    if args.seed is None:
        print(f"snapshot-cti: seed {seed} (pass --seed {seed} to repeat this output)", file=sys.stderr)
    return EXIT_OK


# -- schema / rules -------------------------------------------------------------------------------


def _schema(args: argparse.Namespace) -> int:
    contract = _load(args)
    print(json.dumps(contract.schema(args.kind), indent=2, ensure_ascii=False))
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from .rules import RULES

    rows = [(r.id, r.published or "-", r.strict or "-", r.scope, r.rationale) for r in RULES.values()]
    if args.format == "json":
        keys = ("id", "published", "strict", "scope", "rationale")
        print(json.dumps([dict(zip(keys, row, strict=True)) for row in rows], indent=2, ensure_ascii=False))
        return EXIT_OK
    head = ("rule", "published", "strict", "scope", "rationale")
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(4)]
    for row in [head, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row[:4], widths, strict=True)) + "  " + row[4])
    print("\nAlso reported: schema.<keyword> (errors) and json.<problem> (unreadable input) — see the README.")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
