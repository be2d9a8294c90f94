"""Fixtures for the connector's contract suite.

pytest-snapshot-cti registers itself (``cti_recorder``, ``cti_factory``, the ``cti``
marker, capture-file collection); this file only wires our connector to the recorder.
"""

from __future__ import annotations

import pytest
from acme_connector import AcmeConnector
from hypothesis import settings

# CI machines are noisy: no Hypothesis deadlines (pytest-snapshot-cti never sets a profile for you).
settings.register_profile("contract", deadline=None)
settings.load_profile("contract")

AGENT, EXTENSION = "5501", "8808"


@pytest.fixture
def connector(cti_recorder) -> AcmeConnector:
    """Our connector forwarding to ``cti_recorder``, already logged in (and the recorder told so)."""
    cti_recorder.expect_login(agent_id=AGENT, extension=EXTENSION)
    connector = AcmeConnector(cti_recorder)
    connector.login(AGENT, EXTENSION)
    return connector
