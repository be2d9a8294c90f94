"""Print (and with ``--output FILE`` write) every dependency pyproject.toml declares (runtime and the `test` extra) pinned to its minimum.

The tox env `lowest` installs these over the package: a floor we do not test is a guess.
`name>=X` becomes `name==X`; a dependency without a floor is an error (it has no minimum to test).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
FLOOR = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*>=\s*(?P<version>[^,;\s]+)")


def main(argv: list[str]) -> int:
    lines: list[str] = []
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    for requirement in requirements:
        match = FLOOR.match(requirement)
        if match is None:
            print(f"lowest_requirements: {requirement!r} declares no minimum (name>=X)", file=sys.stderr)
            return 2
        lines.append(f"{match['name']}=={match['version']}")
    text = "\n".join(lines) + "\n"
    if argv[:1] == ["--output"]:
        Path(argv[1]).write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
