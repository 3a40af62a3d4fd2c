"""Run the rules: discover inputs, load them, check, suppress, sort.

The engine knows no specific rule: it runs every enabled :class:`FunctionRule` on every
function, every :class:`ApplicationRule` on every application, and every
:class:`SuppressionRule` on what the suppression stage saw.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from lambdalint.config import Config
from lambdalint.containment import boundary, inside, repository_root
from lambdalint.data import DataStore
from lambdalint.discover import Candidate, discover, has_terraform
from lambdalint.loading import _problem_app, display_path, load_file, load_terraform
from lambdalint.model import Application, Suppression, replace
from lambdalint.paths import GitIgnore, matches, relative_to
from lambdalint.registry import all_rules, pack_names, resolve_selector
from lambdalint.result import RunResult
from lambdalint.rule import (
    ApplicationRule,
    Context,
    Finding,
    FunctionRule,
    Related,
    Rule,
    Severity,
    SuppressionReport,
    SuppressionRule,
)
from lambdalint.safe_text import safe
from lambdalint.suppress import Matcher, comment_suppressions
from lambdalint.values import SourceRef


class SelectionError(Exception):
    pass


def select_rules(select: Iterable[str], ignore: Iterable[str]) -> list[type[Rule]]:
    rules = all_rules()
    chosen: dict[str, type[Rule]] = {}
    for sel in select:
        matched = resolve_selector(sel, rules)
        if not matched:
            raise SelectionError(f"unknown rule selector {sel!r} (use an id like QT001, a prefix like QT, or a name)")
        chosen.update((r.id, r) for r in matched)
    for sel in ignore:
        matched = resolve_selector(sel, rules)
        if not matched:
            raise SelectionError(f"unknown rule selector {sel!r} in ignore")
        for r in matched:
            chosen.pop(r.id, None)
    return [chosen[k] for k in sorted(chosen)]


def build_quotas(data: DataStore, overrides: dict[str, int]) -> dict[str, int]:
    table = data.quotas()
    quotas = {k: int(v["value"]) for k, v in table.items()}
    for key, value in overrides.items():
        entry = table.get(key)
        if entry is None:
            raise SelectionError(f"unknown quota {key!r} in [quotas] (known: {', '.join(sorted(table))})")
        if not entry.get("adjustable"):
            raise SelectionError(f"quota {key!r} is fixed by AWS and cannot be overridden")
        quotas[key] = value
    return quotas


def _severity_overrides(severity: dict[str, str]) -> dict[str, str]:
    """Rule id -> level; a key is an id, a name or a prefix, and the more specific key wins."""
    rules = all_rules()
    resolved: list[tuple[int, str, str]] = []
    for key, level in severity.items():
        matched = resolve_selector(key, rules)
        if not matched:
            raise SelectionError(f"unknown rule {key!r} in [severity] "
                                 "(use an id like QT001, a prefix like QT, or a name)")
        resolved.extend((len(matched), r.id, level) for r in matched)
    out: dict[str, str] = {}
    for _, rule_id, level in sorted(resolved, key=lambda t: -t[0]):
        out[rule_id] = level
    return out


def _per_file_ignores(table: dict[str, list[str]]) -> list[tuple[str, frozenset[str]]]:
    rules = all_rules()
    out: list[tuple[str, frozenset[str]]] = []
    for pattern, selectors in table.items():
        ids: set[str] = set()
        for sel in selectors:
            matched = resolve_selector(sel, rules)
            if not matched:
                raise SelectionError(f"unknown rule selector {sel!r} in per-file-ignores for {pattern!r}")
            ids.update(r.id for r in matched)
        out.append((pattern, frozenset(ids)))
    return out


def _once_per_block(findings: list[Finding]) -> list[Finding]:
    """Instances of one Terraform ``for_each``/``count`` block (``f["a"]``, ``f["b"]``) that
    fail the same way at the same place are one mistake: report it once."""
    seen: set[tuple[str, str, int, int, str]] = set()
    out = []
    for f in findings:
        if f.resource is None or "[" not in f.resource:
            out.append(f)
            continue
        s = f.source
        key = (f.rule_id, s.path, s.line, s.column, f.resource.split("[", 1)[0])
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")


def _printable(f: Finding) -> Finding:
    """The finding with the text that came from the input made safe for every output format
    (no control characters, no lone surrogates, bounded messages)."""
    message = safe(f.message)
    path = safe(f.source.path, None)
    pointer = safe(f.source.pointer)
    resource = safe(f.resource) if f.resource is not None else None
    related = tuple(Related(r.source, safe(r.message)) for r in f.related)
    if (message == f.message and path == f.source.path and pointer == f.source.pointer and related == f.related
            and resource == f.resource):
        return f
    source = f.source if (path, pointer) == (f.source.path, f.source.pointer) else replace(
        f.source, path=path, pointer=pointer)
    return replace(f, message=message, source=source, related=related, resource=resource)


def _with_caller(f: Finding, calls: Mapping[str, SourceRef]) -> Finding:
    """A finding about a resource of a called module, with the module call that creates it as
    a related location (``called as module.orders``), unless it is there already."""
    if f.resource is None or not f.resource.startswith("module."):
        return f
    owner = max((c for c in calls if f.resource.startswith(c + ".")), key=len, default=None)
    if owner is None or (calls[owner].path == f.source.path and calls[owner].line == f.source.line):
        return f
    caller = Related(calls[owner], f"called as {owner}")
    return f if caller in f.related else replace(f, related=(*f.related, caller))


def _once(findings: list[Finding]) -> list[Finding]:
    """The same finding read twice (a plan beside its configuration, a module two roots call
    with the same arguments) is reported once, with the related locations of every reading
    (so each root that calls the module is named)."""
    first: dict[tuple[str, str, int, int, int, int, str], int] = {}
    out: list[Finding] = []
    for f in findings:
        s = f.source
        key = (f.rule_id, s.path, s.line, s.column, s.end_line, s.end_column, f.message)
        at = first.get(key)
        if at is None:
            first[key] = len(out)
            out.append(f)
            continue
        kept = out[at]
        extra = tuple(r for r in f.related if r not in kept.related)
        if extra:
            out[at] = replace(kept, related=(*kept.related, *extra))
    return out


_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.{1,2}/[^"$]*)"', re.MULTILINE)


def excluded(config: Config, path: str, root: str, folder: bool = False) -> bool:
    """The config's ``exclude`` covers ``path`` (patterns are relative to the config file's
    folder; ``path`` is absolute or relative to ``root``); a ``folder`` also when the pattern
    covers everything in it (``pgdata/*``)."""
    if not config.exclude:
        return False
    rel = relative_to(os.path.join(root, path), config.folder(root))
    if rel is None:
        return False
    names = (rel, rel + "/") if folder else (rel,)
    return any(matches(pattern, name) for pattern in config.exclude for name in names)


def called_modules(modules: list[Candidate]) -> set[str]:
    """The module directories of the run that another directory of the run calls with a
    local ``source``: they are read as part of their callers (with the arguments the callers
    pass), not again as roots of their own. Of modules that only call each other (a ring no
    other module reaches), the first is read as a root, so none is dropped."""
    real = {os.path.realpath(c.path): c for c in modules}
    calls: dict[str, set[str]] = {directory: set() for directory in real}
    for directory in real:
        try:
            names = [n for n in os.listdir(directory) if n.endswith(".tf")]
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as fh:
                    text = fh.read(1 << 20)
            except OSError:
                continue
            for source in _LOCAL_SOURCE.findall(text):
                target = os.path.realpath(os.path.join(directory, source))
                if target != directory and target in real:
                    calls[directory].add(target)
    # the roots: modules no other calls; then, for modules that call each other in a ring no
    # root reaches, the first of the ring (in name order), so that every module is read once
    called = set().union(*calls.values()) if calls else set()
    roots = [d for d in sorted(calls) if d not in called]
    reached: set[str] = set()
    for start in [*roots, *sorted(called)]:
        if start in reached:
            continue
        if start in called and start not in roots:
            roots.append(start)
        todo = [start]
        while todo:
            here = todo.pop()
            if here not in reached:
                reached.add(here)
                todo.extend(calls[here] - reached)
    return set(calls) - set(roots)


class Engine:
    def __init__(self, config: Config, *, today: date | None = None, root: str | None = None) -> None:
        self.config = config
        self.root = root or os.getcwd()
        self.rules = select_rules(config.select, config.ignore)
        self.enabled = {r.id for r in self.rules}
        self.all_names = {r.id: r.name for r in all_rules()}
        self.data = DataStore(pack_names())
        self.quotas = build_quotas(self.data, config.quotas)
        self.today = today or config.today or date.today()
        self.instances = [r() for r in self.rules]
        self.severity_overrides = _severity_overrides(config.severity)
        self.per_file_ignores = _per_file_ignores(config.per_file_ignores)
        #: the folder the config's paths and patterns are relative to
        self.config_dir = config.folder(self.root)
        #: baseline entries (``--baseline``), and the folder their paths are relative to
        self.baseline: list[Suppression] = []
        self.baseline_dir = self.root
        if config.baseline:
            from lambdalint.baseline import load

            self.baseline_dir = os.path.dirname(os.path.abspath(config.baseline))
            self.baseline = load(config.baseline, display_path(os.path.abspath(config.baseline), self.root))
        self.errors: list[str] = []
        #: problems worth telling that do not change the exit status (a directory that cannot be read)
        self.warnings: list[str] = []

    # -- one application ---------------------------------------------------------------

    def check_app(self, app: Application) -> list[Finding]:
        ctx = Context(app=app, today=self.today, quotas=self.quotas, data=self.data)
        out: list[Finding] = []
        for rule in self.instances:
            try:
                if isinstance(rule, FunctionRule):
                    for fn in app.functions.values():
                        out.extend(rule.check(fn, ctx))
                elif isinstance(rule, ApplicationRule):
                    out.extend(rule.check(app, ctx))
            except Exception as exc:  # a rule bug must not hide other findings
                self.errors.append(f"internal error in rule {rule.id} on {app.path}: {type(exc).__name__}: {exc}")
        if app.module_calls:
            out = [_with_caller(f, app.module_calls) for f in out]
        return _once_per_block(out)

    # -- a whole run -------------------------------------------------------------------

    def run(self, paths: list[str], candidates: list[Candidate] | None = None) -> tuple[RunResult, list[str]]:
        """Lint ``paths`` (found with :func:`discover`), or exactly ``candidates`` when given."""
        # The document trees and model are acyclic and freed by reference counting when a file
        # is done; the cyclic collector would only rescan them again and again (it tripled the
        # time of a 5 MB template), so it runs once between files instead of during them.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._run(paths, candidates)
        finally:
            if enabled:
                gc.enable()

    def _run(self, paths: list[str], given: list[Candidate] | None) -> tuple[RunResult, list[str]]:
        unreadable: list[tuple[str, str]] = []
        missing: list[str] = []
        if given is None:
            var_files = {os.path.abspath(v): self.config_dir for v in self.config.var_files}
            candidates, missing = discover(paths, unreadable, var_files)
        else:
            candidates = given
        for directory, reason in unreadable:
            if not self._excluded(directory, folder=True):
                self.warnings.append(f"cannot read directory {display_path(directory, self.root)}: {reason}")
        ignore = GitIgnore(repository_root(self.root, self.root)) if self.config.respect_gitignore else None
        work = [(cand, display_path(cand.path, self.root)) for cand in candidates
                if not self._excluded(cand.path, folder=cand.kind == "terraform")
                and (ignore is None or cand.explicit or not ignore.ignored(cand.path, cand.kind == "terraform"))]
        # a module another root of the run calls is read through that root (not excluded ones)
        called = called_modules([c for c, _ in work if c.kind == "terraform"])
        work = [(c, d) for c, d in work if not (c.kind == "terraform" and os.path.realpath(c.path) in called)]
        jobs = min(self.processes(), len(work) // MIN_PER_PROCESS)
        part = self._in_processes(work, jobs) if jobs > 1 else None
        if part is None:
            part = self.check_inputs(work)
        findings, suppressions, files = part
        return self.finish(findings, suppressions, files), missing

    def processes(self) -> int:
        """The processes to use: ``jobs``, or one per usable CPU for 0; never more than the
        usable CPUs (more would only compete for them)."""
        usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        cpus = len(usable) if usable else os.cpu_count() or 1
        return min(self.config.jobs, cpus) if self.config.jobs else cpus

    def _in_processes(self, work: list[tuple[Candidate, str]], jobs: int) -> Part | None:
        """The inputs read and checked by ``jobs`` worker processes, in the order given (each
        worker builds its own engine from the same configuration); None when the processes
        cannot be started, so that the run goes on in this one."""
        import concurrent.futures
        import multiprocessing

        # several chunks per process, so that one large input does not keep the others waiting
        size = max(1, len(work) // (jobs * 4))
        chunks = [work[i:i + size] for i in range(0, len(work), size)]
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        findings: list[Finding] = []
        suppressions: list[Suppression] = []
        files: list[str] = []
        errors: list[str] = []
        warnings: list[str] = []
        pool: concurrent.futures.ProcessPoolExecutor | None = None
        try:
            pool = concurrent.futures.ProcessPoolExecutor(
                jobs, mp_context=multiprocessing.get_context(method), initializer=_start_worker,
                initargs=(self.config, self.today, self.root))
            for (found, suppressed, read), failed, warned in pool.map(_check_chunk, chunks):
                findings.extend(found)
                suppressions.extend(suppressed)
                files.extend(read)
                errors.extend(failed)
                warnings.extend(w for w in warned if w not in warnings)
            pool.shutdown()
        except Exception:  # no processes here (a sandbox without /dev/shm, a daemon
            # process, a worker that died): nothing of it is kept, the run starts again in this one
            _stop_workers(pool)
            return None
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): the workers stop with this process
            _stop_workers(pool)
            raise
        self.errors.extend(errors)
        self.warnings.extend(w for w in warnings if w not in self.warnings)
        return findings, suppressions, files

    def check_inputs(self, work: list[tuple[Candidate, str]]) -> Part:
        """Read and check each input: its findings, its suppressions and the files read."""
        findings: list[Finding] = []
        suppressions: list[Suppression] = []
        files: list[str] = []
        for n, (cand, display) in enumerate(work, start=1):
            if n % 256 == 0:
                gc.collect(1)
            app: Application | None
            try:
                if cand.kind == "terraform":
                    app, texts = load_terraform(cand.path, self.root, self._var_files(cand.path),
                                                frozenset(self.config.trusted_var_files))
                elif not inside(cand.path, boundary(os.path.dirname(os.path.abspath(cand.path)), self.root)):
                    # a link that leads outside the repository: refused, its contents never read
                    self.warnings.append(f"{display} leads outside the repository and is not read")
                    continue
                else:
                    app, text = load_file(cand.path, display)
                    texts = {display: text}
            except Exception as exc:  # never a traceback for bad input, and never a silent drop:
                # the file is reported (LL000) and the run fails (exit 2, SARIF executionSuccessful false)
                self.errors.append(f"internal error reading {display}: {type(exc).__name__}: {exc}")
                app, texts = _problem_app(display, f"lambdalint failed on this input ({type(exc).__name__}); "
                                                   "it was not checked"), {}
            if app is None:
                continue
            files.extend(texts)
            self.warnings.extend(n for n in app.notes if n not in self.warnings)
            findings.extend(self.check_app(app))
            suppressions.extend(app.suppressions)
            for shown, text in texts.items():
                suppressions.extend(comment_suppressions(text, shown))
        return findings, suppressions, files

    def finish(self, findings: list[Finding], suppressions: list[Suppression], files: list[str]) -> RunResult:
        findings = [_printable(f) for f in _once(findings)]
        files = list(dict.fromkeys(files))
        matcher = Matcher(suppressions, self.all_names)
        baseline = self._baseline_index()
        matched: set[int] = set()
        kept: list[Finding] = []
        dropped: list[tuple[Finding, Suppression | None]] = []  # None: the config's per-file-ignores
        for f in findings:
            if self._per_file_ignored(f):
                dropped.append((f, None))
            elif by := matcher.suppresses(f):
                dropped.append((f, by))
            elif baseline and (hit := baseline.get(self._baseline_key(f))) is not None:
                matched.add(hit)
                dropped.append((f, self.baseline[hit]))
            else:
                kept.append(f)
        report = SuppressionReport(
            unused=tuple(matcher.unused(self.enabled)) + self._stale_baseline(matched, files),
            all=tuple(suppressions) + tuple(self.baseline),
            enabled_rules=frozenset(self.enabled),
        )
        for rule in self.instances:
            if isinstance(rule, SuppressionRule):
                kept.extend(_printable(f) for f in rule.check_suppressions(report) if not self._per_file_ignored(f))
        kept = [self._severity(f) for f in kept]
        kept.sort(key=Finding.sort_key)
        dropped.sort(key=lambda pair: pair[0].sort_key())
        self.warnings = [safe(w) for w in self.warnings]
        # an exception's text may hold a memory address, which changes from run to run
        self.errors = [safe(_ADDRESS.sub("0x…", e)) for e in self.errors]
        return RunResult(findings=kept, rules=list(self.rules), suppressed=[f for f, _ in dropped],
                         suppressed_by=[by for _, by in dropped], files=files, root=self.root,
                         repository=repository_root(self.root, self.root),
                         errors=list(self.errors))

    # -- the baseline ------------------------------------------------------------------

    def _baseline_key(self, f: Finding) -> tuple[str, str, str | None, str]:
        from lambdalint.baseline import relative
        from lambdalint.fingerprint import fingerprint

        moved = relative(f, self.root, self.baseline_dir)
        return moved.source.path, f.rule_id, f.resource, fingerprint(moved)

    def _baseline_index(self) -> dict[tuple[str, str, str | None, str], int]:
        return {(s.path or "", s.rule.upper(), s.resource, s.fingerprint or ""): i
                for i, s in enumerate(self.baseline)}

    def _stale_baseline(self, matched: set[int], files: list[str]) -> tuple[Suppression, ...]:
        """Baseline entries that matched nothing, among the files this run checked and the
        rules it enabled (a run over part of the repository judges only that part)."""
        if not self.baseline:
            return ()
        from lambdalint.baseline import relative_path

        checked = {relative_path(path, self.root, self.baseline_dir) for path in files}
        return tuple(s for i, s in enumerate(self.baseline)
                     if i not in matched and s.path in checked and s.rule.upper() in self.enabled)

    def _severity(self, f: Finding) -> Finding:
        override = self.severity_overrides.get(f.rule_id)
        if override:
            return replace(f, severity=Severity(override))
        return f

    def _per_file_ignored(self, f: Finding) -> bool:
        if not self.per_file_ignores:
            return False
        rel = relative_to(os.path.join(self.root, f.source.path), self.config_dir)
        return rel is not None and any(f.rule_id in ids and matches(pattern, rel)
                                       for pattern, ids in self.per_file_ignores)

    def _excluded(self, path: str, folder: bool = False) -> bool:
        return excluded(self.config, path, self.root, folder)

    def _var_files(self, module: str) -> tuple[str, ...]:
        """The config's variable files for the module in ``module``: a file beside a module is
        that module's alone; one with no module beside it (``env/prod.tfvars``) and the files
        named on the command line go to every module, as Terraform's ``-var-file``."""
        here = os.path.abspath(module)
        out = []
        for var_file in self.config.var_files:
            beside = os.path.dirname(os.path.abspath(var_file))
            if var_file in self.config.trusted_var_files or beside == here or not has_terraform(beside):
                out.append(var_file)
        return tuple(out)


#: inputs per process below which extra processes cost more than they save (starting one and
#: importing the rules takes about 0.1 s, as long as checking a few dozen templates)
MIN_PER_PROCESS = 32

#: what checking some inputs gives: findings, suppressions, and the files read
Part = tuple[list[Finding], list[Suppression], list[str]]

_worker: Engine | None = None


def _stop_workers(pool: Any) -> None:
    """End the worker processes of ``pool`` at once (the run was interrupted)."""
    if pool is None:
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.terminate()
        except Exception:  # noqa: S110 - already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def _start_worker(config: Config, today: date, root: str) -> None:
    global _worker
    import signal

    # Ctrl-C reaches the whole process group: the main process handles it and ends the workers,
    # which must not print tracebacks of their own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.disable()  # as in Engine.run: the trees are freed by reference counting
    _worker = Engine(replace(config, baseline=None), today=today, root=root)  # the main process applies it


def _check_chunk(work: list[tuple[Candidate, str]]) -> tuple[Part, list[str], list[str]]:
    assert _worker is not None
    _worker.errors = []
    _worker.warnings = []
    part = _worker.check_inputs(work)
    return part, _worker.errors, _worker.warnings


def lint(paths: list[str], config: Config | None = None, *, today: date | None = None) -> RunResult:
    """Lint ``paths`` and return the result (library entry point)."""
    engine = Engine(config or Config(), today=today)
    result, missing = engine.run(paths)
    for m in missing:
        print(f"lambdalint: path not found: {m}", file=sys.stderr)
    for warning in engine.warnings:
        print(f"lambdalint: warning: {warning}", file=sys.stderr)
    return result
