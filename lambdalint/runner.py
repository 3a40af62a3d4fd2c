"""A whole run over paths, each input with the configuration nearest to it.

Without ``--config``, every input (a template file, a Terraform module folder) takes the
nearest ``lambdalint.toml`` or ``pyproject.toml`` with ``[tool.lambdalint]`` above it, as ruff
does, so that a monorepo's folders keep their own settings whatever directory lambdalint runs
from. Inputs that share a configuration are checked by one :class:`~lambdalint.engine.Engine`;
the results are merged into one report. Command-line settings apply on top of every
configuration (they win over the files).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from msgspec import Struct, field

from lambdalint.config import Config, ConfigFinder, load_config
from lambdalint.discover import Candidate, discover
from lambdalint.engine import Engine, excluded
from lambdalint.loading import display_path
from lambdalint.result import RunResult


class Run(Struct):
    result: RunResult
    #: paths given that do not exist
    missing: list[str]
    #: one engine per configuration used, in the order of the inputs
    engines: list[Engine]
    #: the inputs and the config file each was checked with (None: the defaults)
    inputs: list[tuple[Candidate, str | None]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return list(dict.fromkeys(w for e in self.engines for w in e.warnings))

    @property
    def errors(self) -> list[str]:
        return [e for engine in self.engines for e in engine.errors]

    @property
    def configs(self) -> list[Config]:
        return [e.config for e in self.engines]


Adjust = Callable[[Config], None]


def plan(paths: list[str], *, config_path: str | None = None, adjust: Adjust | None = None,
         root: str | None = None) -> tuple[list[tuple[Config, list[Candidate]]], list[str], list[tuple[str, str]]]:
    """The inputs under ``paths`` grouped by the configuration each takes (with ``adjust``,
    the command line's settings, applied), the paths that do not exist, and the folders that
    could not be listed."""
    where = root or os.getcwd()
    unreadable: list[tuple[str, str]] = []
    if config_path is not None:
        config = load_config(config_path, start=where)
        if adjust is not None:
            adjust(config)
        given = {os.path.abspath(v): config.folder(where) for v in config.var_files}
        candidates, missing = discover(paths, unreadable, given)
        unreadable = [(folder, reason) for folder, reason in unreadable
                      if not excluded(config, folder, where, folder=True)]
        return [(config, candidates)], missing, unreadable
    finder = ConfigFinder()
    configs: dict[str | None, Config] = {}

    def settings(path: str | None) -> Config:
        if path not in configs:
            configs[path] = finder.config(path)
            if adjust is not None:
                adjust(configs[path])
        return configs[path]

    # a variable file named alone stands for the module its configuration gives it to
    var_files: dict[str, str] = {}
    for raw in paths:
        folder = raw if os.path.isdir(raw) else os.path.dirname(raw) or "."
        chosen = settings(finder.path_for(folder))
        var_files.update((os.path.abspath(v), chosen.folder(where)) for v in chosen.var_files)
    candidates, missing = discover(paths, unreadable, var_files)
    groups: dict[str | None, list[Candidate]] = {}
    for cand in candidates:
        folder = cand.path if cand.kind == "terraform" else os.path.dirname(cand.path) or "."
        groups.setdefault(finder.path_for(folder), []).append(cand)
    if not groups:  # nothing found: the settings of the working directory still say how to run
        groups[finder.path_for(where)] = []
    unreadable = [(folder, reason) for folder, reason in unreadable
                  if not excluded(settings(finder.path_for(folder)), folder, where, folder=True)]
    return [(settings(path), group) for path, group in groups.items()], missing, unreadable


def run(paths: list[str], *, config_path: str | None = None, adjust: Adjust | None = None,
        root: str | None = None) -> Run:
    """Check ``paths`` (default: the working directory). Raises ``ConfigError`` or
    ``SelectionError`` for a configuration that cannot be used."""
    where = root or os.getcwd()
    groups, missing, unreadable = plan(paths or ["."], config_path=config_path, adjust=adjust, root=where)
    engines = [Engine(config, root=where) for config, _ in groups]
    results = []
    inputs: list[tuple[Candidate, str | None]] = []
    for engine, (config, group) in zip(engines, groups):
        result, _ = engine.run([], candidates=group)
        results.append(result)
        inputs.extend((cand, config.path) for cand in group)
    for folder, reason in unreadable:
        engines[0].warnings.append(f"cannot read directory {display_path(folder, where)}: {reason}")
    return Run(merge(results), missing, engines, inputs)


def merge(results: list[RunResult]) -> RunResult:
    """One report of several runs over disjoint inputs."""
    if len(results) == 1:
        return results[0]
    pairs = sorted(((f, by) for r in results for f, by in zip(r.suppressed, r.suppressed_by or [None] * len(
        r.suppressed))), key=lambda pair: pair[0].sort_key())
    rules = {rule.id: rule for r in results for rule in r.rules}
    return RunResult(
        findings=sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key()),
        rules=[rules[k] for k in sorted(rules)],
        suppressed=[f for f, _ in pairs],
        suppressed_by=[by for _, by in pairs],
        files=list(dict.fromkeys(path for r in results for path in r.files)),
        root=results[0].root,
        repository=results[0].repository,
        errors=[e for r in results for e in r.errors],
    )
