"""Every ``python`` block of README.md runs, as a team pasting it would run it.

Blocks are found automatically (a block added tomorrow is tested tomorrow), placeholders such as
``my_connector`` are replaced by the stand-ins of ``tests/readme_standins.py``, and each block runs
as its own test module in a fresh pytest process (its tests must pass; a block without tests must
import cleanly). A block opts out only with a visible, justified marker on the line before it:
``<!-- snippet-not-run: <why> -->``.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from readme_standins import FILES

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^(?P<indent>[ \t]*)```python\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.S | re.M)
OPT_OUT = re.compile(r"<!-- snippet-not-run: (?P<why>.+?) -->\s*$")

CONFTEST = f"""
import builtins
import sys

sys.path.insert(0, {str(Path(__file__).parent)!r})
from readme_standins import standins

for name, value in standins().items():
    setattr(builtins, name, value)

# As the project's own suite does: a shared CI machine must not turn a slow example into a failure.
from hypothesis import settings

settings.register_profile("readme-snippets", deadline=None)
settings.load_profile("readme-snippets")
"""


def blocks() -> list[tuple[int, str, str | None]]:
    """``(line, code, why_not_run)`` for every python block, indented ones (list items) included."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        previous = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        opt_out = OPT_OUT.search(previous)
        found.append((line, textwrap.dedent(match["body"]), opt_out["why"] if opt_out else None))
    return found


BLOCKS = blocks()


def test_readme_has_python_blocks_and_every_opt_out_says_why() -> None:
    assert len(BLOCKS) >= 8
    for line, _, why in BLOCKS:
        assert why is None or len(why.split()) >= 5, f"README.md:{line}: say why the block is not run"
    assert sum(why is None for _, _, why in BLOCKS) >= len(BLOCKS) - 3  # opting out stays the exception


@pytest.mark.parametrize(("line", "code"), [pytest.param(line, code, id=f"README.md:{line}") for line, code, why in BLOCKS if why is None])
def test_readme_block_runs(pytester: pytest.Pytester, line: int, code: str) -> None:
    pytester.makeconftest(CONFTEST)
    for path, text in FILES.items():
        if path in code:
            target = pytester.path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text), encoding="utf-8")
    pytester.makepyfile(**{f"test_readme_{line}": code})
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", "-q")
    output = result.stdout.str() + result.stderr.str()
    if "def test_" in code or re.search(r"^class Test", code, flags=re.M):  # a test, or a class that contributes tests
        assert result.ret == pytest.ExitCode.OK, output
        assert "passed" in result.outlines[-1], output
    else:
        assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED, output  # imported and ran without error
