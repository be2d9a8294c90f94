"""Finding a Node.js the host can run on: ``$CTI_NODE``, else ``node`` on ``PATH``; version 18 or newer."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import lru_cache
from typing import Final

from .errors import NodeNotFoundError

MINIMUM_MAJOR: Final = 18
#: Set to the path of a ``node`` executable to use that one.
NODE_VARIABLE: Final = "CTI_NODE"
#: Set to ``1`` to make a missing Node a failure instead of a skip (CI, where Node is part of the job).
REQUIRE_VARIABLE: Final = "CTI_REQUIRE_NODE"


def node_required() -> bool:
    return os.environ.get(REQUIRE_VARIABLE, "").strip() == "1"


def find_node(explicit: str | None = None) -> str:
    """The path of a usable ``node``; :class:`NodeNotFoundError` saying why there is none."""
    chosen = explicit or os.environ.get(NODE_VARIABLE) or None
    if chosen:
        found = shutil.which(chosen)
        if found is None:
            source = "" if explicit else f"{NODE_VARIABLE}="
            raise NodeNotFoundError(
                f"{source}{chosen} is not an executable Node.js: JavaScript connectors need Node.js {MINIMUM_MAJOR} or newer"
            )
    else:
        found = shutil.which("node")
        if found is None:
            raise NodeNotFoundError(
                f"`node` is not on PATH: JavaScript connectors need Node.js {MINIMUM_MAJOR} or newer (or set {NODE_VARIABLE} to its path)"
            )
    version = _version(found)
    match = re.match(r"v?(\d+)\.", version)
    if match is None or int(match.group(1)) < MINIMUM_MAJOR:
        raise NodeNotFoundError(
            f"{found} is Node.js {version or '(version unknown)'}: JavaScript connectors need Node.js {MINIMUM_MAJOR} or newer"
        )
    return found


@lru_cache(maxsize=8)
def _version(executable: str) -> str:
    """``node --version``, once per executable per process."""
    try:
        done = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()
