"""Shared settings for the project's own suite.

Hypothesis deadlines are off: CI machines are noisy and timing belongs in benchmarks/.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("cti-suite", deadline=None)
settings.load_profile("cti-suite")
