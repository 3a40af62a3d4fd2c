"""The Python API: ``from lambdalint import lint``.

>>> from lambdalint import lint
>>> result = lint(["template.yaml"], select=["QT", "IM"])  # doctest: +SKIP
>>> for finding in result.findings:  # doctest: +SKIP
...     print(finding.source.path, finding.source.line, finding.rule_id, finding.message)

The run is the one ``lambdalint check`` makes, with the same configuration search (or
``config``), and the result is what the reporters see (:class:`lambdalint.result.RunResult`).
Unlike the command line, which prints problems and sets its exit status, the API raises.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date

from lambdalint.config import Config, ConfigError
from lambdalint.result import RunResult

__all__ = ["ConfigError", "LintError", "lint"]


class LintError(RuntimeError):
    """lambdalint failed on part of the input (an internal error): the result is incomplete.
    ``result`` holds what was found anyway, ``errors`` the messages."""

    def __init__(self, errors: list[str], result: RunResult) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors
        self.result = result


def lint(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
         select: Iterable[str] | None = None, ignore: Iterable[str] = (), config: str | None = None,
         today: date | None = None, var_files: Iterable[str] = (), baseline: str | None = None,
         jobs: int = 1, root: str | None = None) -> RunResult:
    """Lint files and directories; return the findings that count, sorted by place.

    ``select``/``ignore`` take rule ids, prefixes or names and replace/extend the config's;
    ``config`` names a config file (default: the nearest one above each input); ``root`` is the
    directory paths are reported relative to (default: the working directory); ``jobs`` is the
    number of processes (default 1: this one; 0: one per CPU).

    Raises :class:`FileNotFoundError` for a path that does not exist, :class:`ConfigError` for
    an invalid configuration or selection (``lambdalint.config.ConfigError``; a baseline that
    cannot be read raises ``lambdalint.baseline.BaselineError``), and :class:`LintError` when
    lambdalint failed on an input. Findings in templates that cannot be parsed are ``LL000``
    findings, not exceptions.
    """
    from lambdalint.engine import SelectionError
    from lambdalint.runner import run

    named = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    where = os.path.abspath(root) if root is not None else os.getcwd()
    trusted = [os.path.abspath(v) for v in var_files]

    def adjust(settings: Config) -> None:
        if select is not None:
            settings.select, settings.ignore = list(select), []
        settings.ignore = [*settings.ignore, *ignore]
        settings.var_files = [*settings.var_files, *trusted]
        settings.trusted_var_files = trusted
        if baseline is not None:
            settings.baseline = os.path.abspath(baseline)
        if today is not None:
            settings.today = today
        settings.jobs = jobs

    try:
        done = run([os.fspath(p) for p in named], config_path=config, adjust=adjust, root=where)
    except SelectionError as exc:
        raise ConfigError(str(exc)) from None
    if done.missing:
        raise FileNotFoundError(f"path not found: {', '.join(done.missing)}")
    if done.errors:
        raise LintError(done.errors, done.result)
    return done.result
