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


def _list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _validation_message(exc: Exception, section: dict[str, Any]) -> str:
    """msgspec's ``Expected `int`, got `str` - at `$.jobs``` as ``'jobs': expected int, got
    str``; in a table (``$.severity[...]``) the entry at fault is named (``severity.LL001``)."""
    import msgspec

    from lambdalint.schemas import ConfigFile

    text = str(exc)
    message, _, where = text.partition(" - at `$")
    key = where.rstrip("`").lstrip(".").replace("`", "")
    table = key.removesuffix("[...]")
    if table != key and isinstance(section.get(table), dict):
        for name, value in section[table].items():
            try:
                msgspec.convert({table: {name: value}}, ConfigFile, strict=True)
            except msgspec.ValidationError as inner:
                message = str(inner).partition(" - at `$")[0]
                key = f"{table}.{name}"
                break
    message = message.replace("`", "")
    return f"'{key}': {message[:1].lower()}{message[1:]}" if key else message


def parse_config(section: Any, path: str) -> Config:
    """The settings of a config file's section, checked against :class:`lambdalint.schemas.ConfigFile`
    (the same definition the published JSON Schema comes from)."""
    import msgspec

    from lambdalint.schemas import ConfigFile

    where = path
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [tool.lambdalint] must be a table")
    for key in section:
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key '{key}' (known keys: {', '.join(KEYS)})")
    try:
        typed = msgspec.convert(section, ConfigFile, strict=True)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{where}: {_validation_message(exc, section)}") from None
    base = os.path.dirname(os.path.abspath(path))
    cfg = Config(path=path, sources={key: path for key in section})
    unset = msgspec.UNSET
    if typed.select is not unset:
        cfg.select = _list(typed.select)
    if typed.ignore is not unset:
        cfg.ignore = _list(typed.ignore)
    if typed.exclude is not unset:
        cfg.exclude = _list(typed.exclude)
    if typed.var_files is not unset:
        cfg.var_files = [os.path.join(base, v) for v in _list(typed.var_files)]
    if typed.per_file_ignores is not unset:
        cfg.per_file_ignores = {glob: _list(rules) for glob, rules in typed.per_file_ignores.items()}
    if typed.severity is not unset:
        cfg.severity = dict(typed.severity)
    if typed.quotas is not unset:
        cfg.quotas = dict(typed.quotas)
    if typed.today is not unset:
        cfg.today = parse_date(typed.today, f"{where}: 'today'")
    if typed.fail_on is not unset:
        cfg.fail_on = typed.fail_on
    if typed.jobs is not unset:
        cfg.jobs = typed.jobs
    if typed.respect_gitignore is not unset:
        cfg.respect_gitignore = typed.respect_gitignore
    if typed.baseline is not unset:
        cfg.baseline = os.path.join(base, typed.baseline)
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
