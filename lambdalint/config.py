"""Configuration: ``[tool.lambdalint]`` in ``pyproject.toml`` or a ``lambdalint.toml``.

Found upward from each linted file (the nearest wins, like ruff; ``--config`` names one file
for every input instead). Precedence: defaults < config file < template Metadata < command
line. Paths in a config file (``exclude``, ``per-file-ignores``, ``var-files``, ``baseline``)
are relative to the file's folder. Every key is checked; an unknown
key or a wrong value raises :class:`ConfigError` naming the key.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Any

from msgspec import Struct, field

FAIL_ON = ("error", "warning", "note", "never")
SEVERITIES = ("error", "warning", "note")
KEYS = ("select", "ignore", "per-file-ignores", "severity", "quotas", "today", "fail-on", "exclude", "var-files",
        "jobs", "baseline", "respect-gitignore")


class ConfigError(Exception):
    pass


class Config(Struct):
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    quotas: dict[str, int] = field(default_factory=dict)
    today: date | None = None
    fail_on: str = "error"
    exclude: list[str] = field(default_factory=list)
    #: Terraform variable files loaded after terraform.tfvars and *.auto.tfvars
    var_files: list[str] = field(default_factory=list)
    #: variable files named on the command line: read wherever they are
    trusted_var_files: list[str] = field(default_factory=list)
    #: processes that read and check the inputs (0: one per usable CPU); used only for inputs
    #: large enough to gain from it
    jobs: int = 0
    #: a baseline file (``lambdalint.baseline``): the findings it lists are suppressed
    baseline: str | None = None
    #: leave out what the repository's .gitignore files ignore when walking folders
    respect_gitignore: bool = True
    #: the file the settings came from (None: defaults)
    path: str | None = None
    #: key (as written in the file) -> where its value came from: the file or "command line"
    sources: dict[str, str] = field(default_factory=dict)

    def folder(self, default: str) -> str:
        """The folder ``exclude``, ``per-file-ignores`` and ``var-files`` are relative to."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path else default


def _toml(path: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,no-redef]
    try:
        with open(path, "rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except (UnicodeDecodeError, RecursionError, ValueError):  # UTF-16, nesting beyond the parser
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 text, or nested too deeply") from None


def _section(data: dict[str, Any], path: str) -> Any:
    """``[tool.lambdalint]`` of a TOML document (``None`` when absent); a ``tool`` that is not
    a table is a configuration error, never a traceback."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: [tool] must be a table")
    return tool.get("lambdalint")


def config_here(folder: str) -> tuple[str, dict[str, Any]] | None:
    """The config file of ``folder`` itself: ``lambdalint.toml``, else a ``pyproject.toml``
    with ``[tool.lambdalint]``."""
    own = os.path.join(folder, "lambdalint.toml")
    if os.path.isfile(own):
        data = _toml(own)
        section = _section(data, own)
        return own, section if section is not None else data
    pyproject = os.path.join(folder, "pyproject.toml")
    if os.path.isfile(pyproject):
        data = _toml(pyproject)
        section = _section(data, pyproject)
        if section is not None:
            return pyproject, section
    return None


def find_config(start: str) -> tuple[str, dict[str, Any]] | None:
    """The nearest ``lambdalint.toml``, or ``pyproject.toml`` with ``[tool.lambdalint]``."""
    here = os.path.abspath(start)
    while True:
        found = config_here(here)
        if found is not None:
            return found
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


class ConfigFinder:
    """The nearest config of each folder, each file read and checked once per run."""

    def __init__(self) -> None:
        self._by_folder: dict[str, str | None] = {}
        self._configs: dict[str | None, Config] = {None: Config()}

    def path_for(self, folder: str) -> str | None:
        """The nearest config file at or above ``folder`` (None: the defaults)."""
        here = os.path.abspath(folder)
        chain = []
        found: str | None = None
        while here not in self._by_folder:
            chain.append(here)
            own = config_here(here)
            if own is not None:
                found = own[0]
                self._configs.setdefault(found, parse_config(own[1], found))
                break
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
        else:
            found = self._by_folder[here]
        for folder_seen in chain:
            self._by_folder[folder_seen] = found
        return found

    def config(self, path: str | None) -> Config:
        """A fresh copy of the settings of config file ``path`` (None: the defaults)."""
        from lambdalint.model import replace

        base = self._configs[path]
        return replace(base, select=list(base.select), ignore=list(base.ignore), exclude=list(base.exclude),
                       var_files=list(base.var_files), sources=dict(base.sources))


def load_config(explicit: str | None = None, start: str = ".") -> Config:
    if explicit is not None:
        if not os.path.isfile(explicit):
            raise ConfigError(f"config file not found: {explicit}")
        data = _toml(explicit)
        section = _section(data, explicit)
        if section is None and os.path.basename(explicit) == "pyproject.toml":
            return Config(path=explicit)  # a pyproject.toml without [tool.lambdalint]: the defaults
        found: tuple[str, dict[str, Any]] | None = (explicit, section if section is not None else data)
    else:
        found = find_config(start)
    if found is None:
        return Config()
    path, section = found
    return parse_config(section, path)


def _str_list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return list(value)


def parse_config(section: Any, path: str) -> Config:
    where = path
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [tool.lambdalint] must be a table")
    for key in section:
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key '{key}' (known keys: {', '.join(KEYS)})")
    cfg = Config(path=path)
    if "select" in section:
        cfg.select = _str_list(section["select"], "select", where)
    if "ignore" in section:
        cfg.ignore = _str_list(section["ignore"], "ignore", where)
    if "exclude" in section:
        cfg.exclude = _str_list(section["exclude"], "exclude", where)
    if "var-files" in section:
        base = os.path.dirname(os.path.abspath(path))
        cfg.var_files = [os.path.join(base, v) for v in _str_list(section["var-files"], "var-files", where)]
    pfi = section.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{where}: 'per-file-ignores' must be a table of glob = [rules]")
    cfg.per_file_ignores = {g: _str_list(v, f"per-file-ignores.{g}", where) for g, v in pfi.items()}
    sev = section.get("severity", {})
    if not isinstance(sev, dict):
        raise ConfigError(f"{where}: 'severity' must be a table of RULE = \"error\"|\"warning\"|\"note\"")
    for rule, level in sev.items():
        if level not in SEVERITIES:
            raise ConfigError(f"{where}: 'severity.{rule}' must be one of {', '.join(SEVERITIES)}, got {level!r}")
    cfg.severity = dict(sev)
    quotas = section.get("quotas", {})
    if not isinstance(quotas, dict):
        raise ConfigError(f"{where}: 'quotas' must be a table of name = integer")
    for name, value in quotas.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where}: 'quotas.{name}' must be a non-negative integer, got {value!r}")
    cfg.quotas = dict(quotas)
    if "today" in section:
        cfg.today = parse_date(section["today"], f"{where}: 'today'")
    if "fail-on" in section:
        if section["fail-on"] not in FAIL_ON:
            raise ConfigError(f"{where}: 'fail-on' must be one of {', '.join(FAIL_ON)}, got {section['fail-on']!r}")
        cfg.fail_on = section["fail-on"]
    if "jobs" in section:
        jobs = section["jobs"]
        if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
            raise ConfigError(f"{where}: 'jobs' must be a non-negative integer (0: one per CPU), got {jobs!r}")
        cfg.jobs = jobs
    if "respect-gitignore" in section:
        if not isinstance(section["respect-gitignore"], bool):
            raise ConfigError(f"{where}: 'respect-gitignore' must be true or false")
        cfg.respect_gitignore = section["respect-gitignore"]
    if "baseline" in section:
        if not isinstance(section["baseline"], str) or not section["baseline"]:
            raise ConfigError(f"{where}: 'baseline' must be the path of a baseline file")
        cfg.baseline = os.path.join(os.path.dirname(os.path.abspath(path)), section["baseline"])
    cfg.sources = {key: path for key in section}
    return cfg


def parse_date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{what} must be a date like 2026-11-22, got {value!r}")
