"""Where the plugin's settings come from: command line > ini > default, and a ``cti`` marker on top.

Resolution is cheap on purpose: the default configuration touches neither the rule table
nor the schemas, so a project that installs the plugin but never uses it pays almost
nothing at start-up. Bad values raise :class:`ContractUsageError` with one clear line;
the plugin turns that into ``pytest.UsageError`` (exit code 4, no traceback).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

from .violations import ContractUsageError

if TYPE_CHECKING:
    from .contract import Contract

#: Mirrors ``rules.PROFILES`` (checked by the suite) so start-up never compiles the rule table.
PROFILE_NAMES: Final[tuple[str, ...]] = ("published", "strict")
#: Mirrors the order of ``schemas.KINDS``: the bundled set's sha256 is computed over these files.
BUNDLED_FILES: Final[tuple[str, ...]] = ("Snapshot.json", "AgentEvent.json", "CallEvent.json", "PartyInfoEvent.json")
DEFAULT_CAPTURE_GLOBS: Final = "*.cti.json *.cti.jsonl"
MARKER_ARGS: Final = frozenset({"profile", "disable", "fail_on_warnings", "allow_extra"})


@dataclass(frozen=True)
class CtiSettings:
    """One resolved configuration; equal settings share one :class:`Contract`."""

    profile: str = "published"
    contracts_dir: str | None = None
    disable: frozenset[str] = field(default_factory=frozenset)
    allow_extra: tuple[str, ...] = ()
    fail_on_warnings: bool = False

    @property
    def key(self) -> tuple[str, str | None, tuple[str, ...], tuple[str, ...]]:
        return (self.profile, self.contracts_dir, tuple(sorted(self.disable)), self.allow_extra)


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("cti", "Pega OpenCTI contract (pytest-snapshot-cti)")
    group.addoption(
        "--cti-profile",
        metavar="NAME",
        default=None,
        help="contract profile: published (Pega's schema as published, rules warn) or strict (required fields, closed objects, rules fail). Default: published.",
    )
    group.addoption("--cti-contracts", metavar="DIR", default=None, help="directory of contract schemas replacing the bundled ones")
    group.addoption(
        "--cti-disable",
        metavar="IDS",
        action="append",
        default=None,
        help="comma-separated rule ids to switch off (repeatable), e.g. C5,C7",
    )
    group.addoption(
        "--cti-allow-extra",
        metavar="NAMES",
        action="append",
        default=None,
        help="comma-separated extra property names the strict profile accepts (repeatable)",
    )
    group.addoption("--cti-fail-on-warnings", action="store_true", default=None, help="contract warnings fail tests too")
    group.addoption("--cti-report", metavar="PATH", default=None, help="write the contract report (counts, findings, coverage) as JSON")
    parser.addini("cti_profile", "contract profile: published or strict", default="")
    parser.addini("cti_contracts", "directory of contract schemas (relative to the ini file)", default="")
    parser.addini("cti_disable", "rule ids to switch off (space or comma separated)", type="args", default=[])
    parser.addini("cti_allow_extra", "extra property names the strict profile accepts", type="args", default=[])
    parser.addini("cti_fail_on_warnings", "contract warnings fail tests too", type="bool", default=False)
    parser.addini(
        "cti_capture_files",
        "glob patterns of capture files collected as contract tests",
        type="args",
        default=DEFAULT_CAPTURE_GLOBS.split(),
    )


def split_ids(values: Iterable[str] | str | None) -> list[str]:
    """``["C5,C7", "S2"]`` or ``"C5, C7"`` -> ``["C5", "C7", "S2"]``."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in str(value).replace(",", " ").split() if part.strip()]


def _ini_dir(config: pytest.Config) -> Path:
    return config.inipath.parent if config.inipath is not None else config.rootpath


def session_settings(config: pytest.Config) -> CtiSettings:
    """The run's settings; raises :class:`ContractUsageError` naming the bad value and where it came from."""
    profile = config.getoption("cti_profile")
    source = "--cti-profile"
    if profile is None:
        profile, source = str(config.getini("cti_profile")).strip() or "published", "ini cti_profile"
    contracts = config.getoption("cti_contracts")
    if contracts is not None:
        contracts_dir: str | None = str(config.invocation_params.dir / os.path.expanduser(contracts))
        contracts_source = "--cti-contracts"
    else:
        ini_value = str(config.getini("cti_contracts")).strip()
        contracts_dir = str(_ini_dir(config) / os.path.expanduser(ini_value)) if ini_value else None
        contracts_source = "ini cti_contracts"
    cli_disable = config.getoption("cti_disable")
    disable = split_ids(cli_disable if cli_disable is not None else config.getini("cti_disable"))
    disable_source = "--cti-disable" if cli_disable is not None else "ini cti_disable"
    cli_extra = config.getoption("cti_allow_extra")
    allow_extra = split_ids(cli_extra if cli_extra is not None else config.getini("cti_allow_extra"))
    fail = config.getoption("cti_fail_on_warnings")
    if fail is None:
        try:
            fail = bool(config.getini("cti_fail_on_warnings"))
        except (ValueError, pytest.UsageError) as err:  # pytest 8 raises ValueError, pytest 9 UsageError
            raise ContractUsageError(f"ini cti_fail_on_warnings: {err} (use true or false)") from None
    settings = CtiSettings(profile, contracts_dir, frozenset(disable), tuple(sorted(set(allow_extra))), bool(fail))
    check(settings, profile_source=source, disable_source=disable_source, contracts_source=contracts_source)
    return settings


def check(settings: CtiSettings, *, profile_source: str, disable_source: str, contracts_source: str) -> None:
    """Fail fast on a bad value; the default configuration imports nothing to do so."""
    if settings.profile not in PROFILE_NAMES:
        raise ContractUsageError(f"{profile_source}: unknown profile {settings.profile!r}; choose one of {', '.join(PROFILE_NAMES)}")
    if settings.disable:
        from .rules import is_known_rule

        unknown = sorted(rule for rule in settings.disable if not is_known_rule(rule))
        if unknown:
            ids = "ids" if len(unknown) > 1 else "id"
            suggestions = [f"{rule} -> {guess}" for rule in unknown if (guess := suggest_rule(rule)) is not None]
            advice = f"did you mean {'; '.join(suggestions)}? " if suggestions else ""
            raise ContractUsageError(
                f"{disable_source}: unknown rule {ids} {', '.join(unknown)} ({advice}run `snapshot-cti rules` to list the ids)"
            )
    if settings.contracts_dir is not None:
        from .contract import _schema_set

        try:
            _schema_set(str(Path(settings.contracts_dir).resolve()))
        except ContractUsageError as err:
            raise ContractUsageError(f"{contracts_source}: {err}") from None


def suggest_rule(rule_id: str) -> str | None:
    """The known id ``rule_id`` was probably meant to be (``c5`` -> ``C5``, ``json.nan`` spelled ``JSON.NaN``)."""
    from .rules import OTHER_RULE_IDS, RULES

    known = [*RULES, *sorted(OTHER_RULE_IDS)]
    folded = rule_id.strip().casefold()
    matches = [candidate for candidate in known if candidate.casefold() == folded]
    if matches:
        return matches[0]
    import difflib

    close = difflib.get_close_matches(rule_id, known, n=1, cutoff=0.75)
    return close[0] if close else None


def _marker_names(name: str, value: Any) -> list[str]:
    """``disable=`` / ``allow_extra=``: a string (``"C5,C7"``) or a list, tuple or set of strings; nothing else."""
    if isinstance(value, str):
        return split_ids(value)
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(item, str) for item in value):
        return split_ids(sorted(value) if isinstance(value, (set, frozenset)) else list(value))
    raise ContractUsageError(
        f"@pytest.mark.cti({name}=...): expected a string or a list of strings such as ['C5', 'C7'], got {_shown(value)}"
    )


def _shown(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def _marker_kwargs(kwargs: Mapping[str, Any], settings: CtiSettings) -> dict[str, Any]:
    """The settings a marker changes, each value type-checked: ``fail_on_warnings="no"`` is an error, not ``True``."""
    changes: dict[str, Any] = {}
    profile = kwargs.get("profile")
    if profile is not None:
        if not isinstance(profile, str):
            raise ContractUsageError(
                f"@pytest.mark.cti(profile=...): expected a profile name ({', '.join(PROFILE_NAMES)}), got {_shown(profile)}"
            )
        changes["profile"] = profile
    if kwargs.get("disable") is not None:
        disable = _marker_names("disable", kwargs["disable"])
        if disable:
            changes["disable"] = settings.disable | frozenset(disable)
    if kwargs.get("allow_extra") is not None:
        extra = _marker_names("allow_extra", kwargs["allow_extra"])
        if extra:
            changes["allow_extra"] = tuple(sorted({*settings.allow_extra, *extra}))
    fail = kwargs.get("fail_on_warnings")
    if fail is not None:
        if not isinstance(fail, bool):
            raise ContractUsageError(f"@pytest.mark.cti(fail_on_warnings=...): expected True or False, got {_shown(fail)}")
        changes["fail_on_warnings"] = fail
    return changes


def with_marker(settings: CtiSettings, marker: pytest.Mark | None) -> CtiSettings:
    """``@pytest.mark.cti(...)`` on top of the session settings.

    ``profile``, ``fail_on_warnings`` replace; ``disable`` and ``allow_extra`` add to the
    configured sets (a marker relaxes one test, it never re-enables a rule switched off
    for the whole run).
    """
    if marker is None:
        return settings
    if marker.args:
        raise ContractUsageError("@pytest.mark.cti takes keyword arguments only: profile=, disable=, fail_on_warnings=, allow_extra=")
    unknown = sorted(set(marker.kwargs) - MARKER_ARGS)
    if unknown:
        raise ContractUsageError(f"@pytest.mark.cti: unknown argument {', '.join(unknown)}; use {', '.join(sorted(MARKER_ARGS))}")
    changes = _marker_kwargs(marker.kwargs, settings)
    if not changes:
        return settings
    result = replace(settings, **changes)
    check(result, profile_source="@pytest.mark.cti(profile=...)", disable_source="@pytest.mark.cti(disable=...)", contracts_source="")
    return result


SETTINGS_KEY: Final = pytest.StashKey[CtiSettings]()
CONTRACTS_KEY: Final = pytest.StashKey[dict[tuple[str, str | None, tuple[str, ...], tuple[str, ...]], "Contract"]]()


def contract_for(config: pytest.Config, settings: CtiSettings) -> Contract:
    """The :class:`Contract` for ``settings``, built once per distinct configuration per session."""
    cache = config.stash.setdefault(CONTRACTS_KEY, {})
    contract = cache.get(settings.key)
    if contract is None:
        from .contract import load_contract

        contract = load_contract(
            settings.profile, contracts_dir=settings.contracts_dir, disable=settings.disable, allow_extra=settings.allow_extra
        )
        cache[settings.key] = contract
    return contract


def report_problem(path: Path) -> str | None:
    """Why ``--cti-report PATH`` could not be written at the end of the run, or ``None``; checked at start-up."""
    if path.is_dir():
        return f"{path} is a directory; give a file name, e.g. {path / 'cti-report.json'}"
    if path.exists():
        return None if os.access(path, os.W_OK) else f"{path} is not writable"
    parent = path.parent
    while not parent.exists():  # parent directories are created at the end: the nearest existing one decides
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is not a directory, so {path} cannot be created"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot create {path}: {parent} is not writable"
    return None


def matches_capture(path: Path, patterns: Iterable[str], rootpath: Path) -> bool:
    """``fnmatch`` on the file name, or on the rootdir-relative path for patterns with a ``/``."""
    import fnmatch

    for pattern in patterns:
        if "/" in pattern:
            try:
                relative = path.relative_to(rootpath).as_posix()
            except ValueError:
                continue
            if fnmatch.fnmatch(relative, pattern):
                return True
        elif fnmatch.fnmatch(path.name, pattern):
            return True
    return False


def bundled_sha256() -> str:
    """The bundled schema set's sha256, without parsing the schemas (start-up stays cheap)."""
    digest = hashlib.sha256()
    base = resources.files("pytest_snapshot_cti") / "contracts"
    for name in BUNDLED_FILES:
        digest.update((base / name).read_bytes())
    return digest.hexdigest()


def header_line(settings: CtiSettings) -> str:
    """``cti: profile published, contracts bundled (sha256 1a2b3c4d5e6f), disabled: none``."""
    if settings.contracts_dir is None:
        contracts = f"bundled (sha256 {bundled_sha256()[:12]})"
    else:
        from .contract import _schema_set

        schema_set = _schema_set(str(Path(settings.contracts_dir).resolve()))
        contracts = f"{settings.contracts_dir} (sha256 {schema_set.sha256[:12]})"
    disabled = ", ".join(sorted(settings.disable)) or "none"
    text = f"cti: profile {settings.profile}, contracts {contracts}, disabled: {disabled}"
    if settings.allow_extra:
        text += f", allow extra: {', '.join(settings.allow_extra)}"
    if settings.fail_on_warnings:
        text += ", warnings fail"
    return text
