"""The ``cti_factory`` / ``cti_session_factory`` fixtures and the hook that shows their seed.

Light at import (pytest only): Faker and the contract engine load in the fixture body.
The plugin module re-exports these names so pytest registers them.

Seeding follows Faker's own pytest plugin, so pytest-randomly keeps working: the user's
``faker_seed`` fixture when one is defined (pytest-randomly defines it per test from
``--randomly-seed``), else a stable hash of the test's node id; ``faker_locale`` picks the
locale. A failing test that used a factory shows ``cti_factory seed: N`` in its report.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Final

import pytest

if TYPE_CHECKING:
    from .contract import Contract
    from .factories import EventFactory

SEEDS_KEY: Final = pytest.StashKey[list[tuple[str, int, str]]]()
SESSION_SEED_KEY: Final = pytest.StashKey[tuple[int, str]]()
SECTION: Final = "pytest-snapshot-cti factory seed"


def _optional_fixture(request: pytest.FixtureRequest, name: str) -> Any:
    try:
        return request.getfixturevalue(name)
    except pytest.FixtureLookupError:
        return None


def _as_seed(value: Any) -> int:
    from .factories import stable_seed

    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return stable_seed(repr(value))


def _contract(request: pytest.FixtureRequest) -> Contract | None:
    """The test's configured contract (profile, disabled rules, marker) when the plugin offers one."""
    from .contract import Contract

    contract = _optional_fixture(request, "cti_contract")
    return contract if isinstance(contract, Contract) else None


def _remember(node: pytest.Item | pytest.Collector, fixture: str, factory: EventFactory) -> None:
    node.stash.setdefault(SEEDS_KEY, []).append((fixture, factory.seed, factory.locale))
    if isinstance(node, pytest.Item):
        node.user_properties.append(("cti_seed", factory.seed))


@pytest.fixture
def cti_factory(request: pytest.FixtureRequest) -> EventFactory:
    """An :class:`EventFactory` seeded from ``faker_seed`` (if defined) or the test's node id.

    Honours ``faker_locale``; re-validates overrides under the test's configured contract
    (``--cti-profile``, ``--cti-disable``, the ``cti`` marker).
    """
    from .factories import EventFactory, stable_seed

    chosen = _optional_fixture(request, "faker_seed")
    seed = stable_seed(request.node.nodeid) if chosen is None else _as_seed(chosen)
    factory = EventFactory(seed=seed, locale=_optional_fixture(request, "faker_locale"), contract=_contract(request))
    _remember(request.node, "cti_factory", factory)
    return factory


@pytest.fixture(scope="session")
def cti_session_factory(request: pytest.FixtureRequest) -> EventFactory:
    """One :class:`EventFactory` for the whole run (around ``@given`` tests, session fixtures).

    Seeded from ``--randomly-seed`` when pytest-randomly is active, else a fixed seed;
    honours a session-scoped ``faker_session_locale`` fixture.
    """
    from .factories import EventFactory, stable_seed

    randomly = request.config.getoption("randomly_seed", None)
    seed = randomly if isinstance(randomly, int) and not isinstance(randomly, bool) else stable_seed("cti_session_factory")
    factory = EventFactory(seed=seed, locale=_optional_fixture(request, "faker_session_locale"))
    request.config.stash[SESSION_SEED_KEY] = (factory.seed, factory.locale)
    return factory


@pytest.hookimpl(wrapper=True, specname="pytest_runtest_makereport")
def pytest_runtest_makereport_cti_seed(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On failure, add the factory seed to the report (so the failing events can be rebuilt)."""
    report = yield
    if report.failed:
        lines = [f"{name} seed: {seed} (locale {locale})" for name, seed, locale in item.stash.get(SEEDS_KEY, [])]
        if "cti_session_factory" in getattr(item, "fixturenames", ()) and SESSION_SEED_KEY in item.config.stash:
            seed, locale = item.config.stash[SESSION_SEED_KEY]
            lines.append(f"cti_session_factory seed: {seed} (locale {locale})")
        if lines:
            report.sections.append((SECTION, "\n".join(lines)))
    return report
