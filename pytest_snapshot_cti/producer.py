"""Property-test a producer (a mapper from vendor events to OpenCTI events) against the contract.

``assert_producer_honours_contract(producer, inputs)`` runs Hypothesis over ``inputs``, calls
``producer(input)`` and validates what comes back. The failure names the producer, the
shrunk input, the violations and a paste-ready reproduction; a producer that *raises* is
reported as a crash, not as a contract violation. Hypothesis settings are the user's
(profile, database, ``--hypothesis-seed``); only ``max_examples`` is applied when passed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from .violations import ContractUsageError, ContractViolationError, Violation, errors_of, format_report

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from .contract import Contract

_SEEDS: Final = random.Random()  # our own: never disturbs (or is reset by) the global random


class ProducerError(AssertionError):
    """The producer raised instead of returning events; ``__cause__`` is its exception."""


class _Broke(Exception):
    """Raised inside the Hypothesis test so it shrinks; carries what the final report needs."""

    def __init__(self, value: Any, output: Any = None, violations: Sequence[Violation] = (), error: BaseException | None = None) -> None:
        super().__init__("contract violation" if error is None else f"{type(error).__name__}")
        self.value = value
        self.output = output
        self.violations = tuple(violations)
        self.error = error


def producer_name(producer: Callable[..., Any]) -> str:
    """``module.qualname`` of ``producer`` (``functools.partial`` and callables included)."""
    target = getattr(producer, "func", producer)
    qualname = getattr(target, "__qualname__", None) or type(target).__qualname__
    module = getattr(target, "__module__", None) or type(target).__module__
    return f"{module}.{qualname}"


def _events_of(output: Any) -> list[Any]:
    if output is None:
        return []
    if isinstance(output, (list, tuple)):
        return list(output)
    return [output]


class _Stream(NamedTuple):
    """What the lifecycle rules are told about each returned stream (``stream=True``)."""

    login: Mapping[str, str | None] | None
    logout: bool


def _check(contract: Contract, output: Any, kind: str, stream: _Stream | None) -> list[Violation]:
    events = _events_of(output)
    found: list[Violation] = []
    for index, event in enumerate(events):
        where = f"event #{index + 1}" if len(events) > 1 else None
        found.extend(v.at(where) for v in contract.validate(event, kind=kind))
    if stream is not None and events:
        found.extend(contract.check_stream(events, login=stream.login, logout=stream.logout))
    return found


def _seed_plan() -> tuple[Any, int | None]:
    """The seed to run with (``None``: Hypothesis decides) and the one to print for a rerun."""
    from hypothesis import core, settings

    forced = core.global_force_seed
    if forced is not None:
        return None, forced
    current = settings.default
    if current is not None and current.derandomize:
        return None, None
    chosen = _SEEDS.getrandbits(32)
    return chosen, chosen


def assert_producer_honours_contract(
    producer: Callable[[Any], Any],
    inputs: SearchStrategy[Any],
    *,
    profile: str | None = None,
    kind: str = "auto",
    max_examples: int | None = None,
    stream: bool = False,
    contract: Contract | None = None,
    login: Mapping[str, str | None] | None = None,
    logout: bool = False,
) -> None:
    """Fail unless ``producer(x)`` honours the contract for every ``x`` Hypothesis draws from ``inputs``.

    The producer returns one event, a list of events, or ``None`` (nothing forwarded). Each
    event is validated (``kind`` forces a kind); ``stream=True`` also checks L1–L5 over a
    returned list, told (as :meth:`Contract.check_stream` is) that ``login`` succeeded with
    ``{"agent_id": ..., "extension": ...}`` before it (L1, L4) and that ``logout`` was called
    after it (L2, L5). Warnings pass. ``profile`` defaults to ``published`` (or ``contract``'s).
    """
    __tracebackhide__ = True
    from hypothesis import given, seed, settings
    from hypothesis.errors import InvalidArgument
    from hypothesis.strategies import SearchStrategy

    from .contract import KIND_CHOICES, load_contract

    if not callable(producer):
        raise ContractUsageError(f"producer must be callable, got {type(producer).__name__}")
    if not isinstance(inputs, SearchStrategy):
        raise ContractUsageError(f"inputs must be a Hypothesis strategy (e.g. st.builds(...)), got {type(inputs).__name__}")
    if kind not in KIND_CHOICES:
        raise ContractUsageError(f"unknown kind {kind!r}: choose one of {', '.join(KIND_CHOICES)}")
    if (login is not None or logout) and not stream:
        raise ContractUsageError("login= and logout= describe a stream of events: pass stream=True too")
    if contract is None:
        contract = load_contract(profile or "published")
    elif profile is not None and profile != contract.profile:
        raise ContractUsageError(f"profile={profile!r} conflicts with the contract's profile {contract.profile!r}: pass one of them")
    checked = contract
    name = producer_name(producer)
    lifecycle = _Stream(login, logout) if stream else None

    def check_producer(value: Any) -> None:
        try:
            output = producer(value)
        except Exception as err:
            raise _Broke(value, error=err) from err
        violations = _check(checked, output, kind, lifecycle)
        if errors_of(violations):
            raise _Broke(value, output, violations)

    test = given(inputs)(check_producer)
    if max_examples is not None:
        test = settings(max_examples=max_examples)(test)
    run_seed, shown_seed = _seed_plan()
    if run_seed is not None:
        test = seed(run_seed)(test)
    # one Hypothesis database entry per producer, not one shared by every call of this function
    test.hypothesis.inner_test._hypothesis_internal_add_digest = name.encode()  # type: ignore[attr-defined]
    try:
        test()
    except _Broke as broke:
        raise _failure(name, broke, checked, shown_seed) from broke.error
    except InvalidArgument as err:
        raise ContractUsageError(f"cannot run {name} over the inputs: {err}") from None
    except BaseException as err:
        group = getattr(err, "exceptions", None)
        broken = [e for e in group or () if isinstance(e, _Broke)]
        if not broken:
            raise
        first = _failure(name, broken[0], checked, shown_seed)
        if len(broken) > 1:
            others = "\n\n".join(str(_failure(name, b, checked, shown_seed)) for b in broken[1:])
            first.args = (f"{first.args[0]}\n\n(Hypothesis found {len(broken)} distinct failures)\n\n{others}",)
        raise first from broken[0].error


def _reproduction(name: str, value: Any, contract: Contract, shown_seed: int | None) -> list[str]:
    function = name.rsplit(".", 1)[-1]
    lines = [
        "Reproduce:",
        f"  assert_producer_honours_contract({function}, st.just({value!r}), profile={contract.profile!r})",
        f"  or add @example({value!r}) to a @given test over the same inputs",
    ]
    if shown_seed is not None:
        lines.append(f"  or rerun with: pytest --hypothesis-seed={shown_seed}")
    return lines


def _failure(name: str, broke: _Broke, contract: Contract, shown_seed: int | None) -> AssertionError:
    if broke.error is not None:
        err = broke.error
        head = f"producer {name} raised {type(err).__name__}: {err}"
        body = [head, f"Input (shrunk): {broke.value!r}", "This is a crash in the producer, not a contract violation."]
        return ProducerError("\n".join([*body, *_reproduction(name, broke.value, contract, shown_seed)]))
    report = format_report(broke.violations, subject=f"output of {name}", profile=contract.profile)
    body = [
        f"producer {name} broke the Pega OpenCTI contract",
        f"Input (shrunk): {broke.value!r}",
        f"Output: {_short(broke.output)}",
        report,
    ]
    return ContractViolationError("\n".join([*body, *_reproduction(name, broke.value, contract, shown_seed)]), broke.violations)


def _short(output: Any, limit: int = 400) -> str:
    text = repr(dict(output)) if isinstance(output, Mapping) else repr(output)
    return text if len(text) <= limit else text[: limit - 1] + "…"
