"""What the installed-but-unused plugin adds to pytest start-up, measured side by side.

In a throw-away project with one trivial test, this runs ``pytest --version`` and
``pytest -q`` with the plugin (default) and with ``-p no:cti``, interleaved so machine
noise hits both alike, and prints medians and the difference. It measures twice: with
bytecode caching (``.pyc`` written to a private ``PYTHONPYCACHEPREFIX`` after a warm-up)
and without it (``PYTHONDONTWRITEBYTECODE=1``: every module is compiled on each run, as
in this project's CI environment). Target: under 10 ms added.

    python benchmarks/bench_startup.py [--rounds 15] [--bytecode both|on|off]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TRIVIAL_TEST = "def test_trivial():\n    assert 1 + 1 == 2\n"
CASES = {
    "pytest --version": ["--version"],
    "pytest -q (1 trivial test)": ["-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
}


def run_once(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0,):
        raise SystemExit(
            f"pytest {' '.join(args)} failed ({completed.returncode}):\n{completed.stdout.decode()}{completed.stderr.decode()}"
        )
    return elapsed


def environment(bytecode: bool, cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTEST_ADDOPTS", None)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def measure(project: Path, bytecode: bool, rounds: int, cache: Path) -> None:
    env = environment(bytecode, cache)
    label = "bytecode cached (.pyc)" if bytecode else "no bytecode cache (PYTHONDONTWRITEBYTECODE=1)"
    print(f"\n== {label}, {rounds} interleaved rounds ==")
    for name, args in CASES.items():
        for _ in range(2):  # warm-up: fills the .pyc cache and the OS file cache
            run_once(args, project, env)
            run_once([*args, "-p", "no:cti"], project, env)
        with_plugin: list[float] = []
        without: list[float] = []
        for _ in range(rounds):
            with_plugin.append(run_once(args, project, env))
            without.append(run_once([*args, "-p", "no:cti"], project, env))
        a, b = statistics.median(with_plugin), statistics.median(without)
        low = (min(with_plugin) - min(without)) * 1000
        print(
            f"{name:<28} with plugin {a * 1000:7.1f} ms | -p no:cti {b * 1000:7.1f} ms | "
            f"added {(a - b) * 1000:+6.1f} ms median, {low:+6.1f} ms best-of ({a / b:.3f}x)"
        )
    imports = [import_cost(env) for _ in range(rounds)]
    print(
        f"{'import of the plugin module':<28} {statistics.median(imports):7.2f} ms median, {min(imports):6.2f} ms best (pytest already loaded)"
    )


IMPORT_PROBE = (
    "import time, pytest; t = time.perf_counter(); import pytest_snapshot_cti.plugin; "
    "import sys; heavy = [m for m in ('jsonschema', 'hypothesis', 'faker', 'referencing') if m in sys.modules]; "
    "print((time.perf_counter() - t) * 1000, ','.join(heavy))"
)


def import_cost(env: dict[str, str]) -> float:
    """Milliseconds to import the plugin module once pytest is loaded (the noise-free part of the cost)."""
    out = subprocess.run([sys.executable, "-c", IMPORT_PROBE], env=env, capture_output=True, text=True, check=True).stdout.split()
    if len(out) > 1:
        raise SystemExit(f"the plugin module imported heavy dependencies: {out[1]}")
    return float(out[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--bytecode", choices=["both", "on", "off"], default="both")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cti-startup-") as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        (project / "test_trivial.py").write_text(TRIVIAL_TEST, encoding="utf-8")
        (project / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        print(f"python {sys.version.split()[0]}, project {project}")
        modes = {"both": (True, False), "on": (True,), "off": (False,)}[options.bytecode]
        for bytecode in modes:
            measure(project, bytecode, options.rounds, Path(tmp) / "pycache")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
