"""The ``lambdalint`` command line."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Any

import click

from lambdalint import __version__

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")
FAIL_LEVELS = ("error", "warning", "note", "never")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def _parse_formats(values: tuple[str, ...], output: str | None) -> list[tuple[str, str | None]]:
    env = os.environ.get("LAMBDALINT_OUTPUT_FORMAT")
    raw: list[str] = list(values) or ([env] if env else ["text"])
    out: list[tuple[str, str | None]] = []
    for item in raw:
        fmt, _, target = item.partition(":")
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise click.BadParameter(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", param_hint="--format")
        out.append((fmt, target or None))
    if output:
        # --output applies to the first format written to stdout
        for i, (name, dest) in enumerate(out):
            if dest is None:
                out[i] = (name, output)
                break
    if sum(1 for _, t in out if t is None) > 1:
        raise click.BadParameter("only one format can go to standard output; give the others a file, "
                                 "e.g. --format sarif:results.sarif", param_hint="--format")
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="lambdalint")
def cli() -> None:
    """Lint AWS Lambda configurations in SAM, CloudFormation and Terraform.

    \b
    Examples:
      lambdalint check                      lint the current directory
      lambdalint check template.yaml        lint one template
      lambdalint check --format sarif:lambdalint.sarif --format text
      lambdalint rules                      list the rules
      lambdalint rule QT002                 explain one rule
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "-f", "formats", multiple=True, metavar="FORMAT[:FILE]",
              help="Output format: text (default), json, sarif, github, junit or gitlab; repeat for several, "
                   "with :FILE to write one to a file. Env: LAMBDALINT_OUTPUT_FORMAT.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default=None,
              help="Exit 1 when a finding at or above this severity remains (default: error, or the config's).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (same as --fail-on never).")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules: ids (QT001), prefixes (QT) or names, comma-separated or repeated.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (ids, prefixes or names).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file (default: nearest lambdalint.toml or pyproject.toml with [tool.lambdalint]).")
@click.option("--today", metavar="YYYY-MM-DD", help="Judge runtime dates as of this day (default: today).")
@click.option("--var-file", "var_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Terraform variable file, loaded after terraform.tfvars and *.auto.tfvars (repeatable).")
@click.option("--show-suppressed", is_flag=True, help="Include suppressed findings in JSON and SARIF output.")
@click.option("--color/--no-color", default=None, help="Color text output (default: when stdout is a terminal).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None, metavar="N",
              help="Read and check inputs in up to N processes (default 0: one per CPU, or the config's "
                   "jobs). Only many inputs are split (32 or more per process); the report is the same.")
@click.option("--baseline", "baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings that are not in this baseline file (or the config's baseline); "
                   "entries that match nothing are reported as LL001.")
@click.option("--sarif-category", metavar="NAME",
              help="Code scanning category of the SARIF run (automationDetails.id NAME/), to upload several "
                   "lambdalint analyses of one commit.")
@click.option("--allow-empty", is_flag=True,
              help="Exit 0 when no template or Terraform module is found, or no rule is enabled "
                   "(default: a warning and exit 2, so that a gate never passes on nothing).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None,
              help="Leave out what .gitignore files ignore when walking folders (default: on, or the config's).")
@click.option("--show-settings", is_flag=True, help="Print the settings each input would use, and where each "
                                                     "came from, and exit.")
@click.option("--show-files", is_flag=True, help="List the files and Terraform modules that would be linted, and exit.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write every finding of this run to FILE as a baseline and exit 0.")
def check(paths: tuple[str, ...], formats: tuple[str, ...], output: str | None, fail_on: str | None,
          exit_zero: bool, select: tuple[str, ...], ignore: tuple[str, ...], config_path: str | None,
          today: str | None, var_files: tuple[str, ...], show_suppressed: bool, color: bool | None,
          jobs: int | None, baseline: str | None, sarif_category: str | None, allow_empty: bool,
          respect_gitignore: bool | None, show_settings: bool, show_files: bool, write_baseline: str | None) -> None:
    """Lint PATHS (files or directories; default: the current directory).

    Exit status: 0 when no finding reaches --fail-on, 1 when one does (a file that cannot be
    parsed counts), 2 for usage, configuration or internal errors.
    """
    from lambdalint.baseline import BaselineError
    from lambdalint.config import ConfigError, parse_date
    from lambdalint.engine import SelectionError
    from lambdalint.runner import plan, run

    outputs = _parse_formats(formats, output)
    selected, ignored = _split(select), _split(ignore)
    config_warnings: list[str] = []

    def adjust(config: Any) -> None:
        """The command line over a configuration file: it wins (``--select`` replaces the
        file's selection and its ignores)."""
        # a configuration that could make a gate pass on anything
        config_warnings.extend(w for w in _config_warnings(config) if w not in config_warnings)
        if selected:
            config.select, config.ignore = selected, []
            config.sources.update({"select": "command line", "ignore": "command line"})
        if ignored:
            config.ignore = config.ignore + ignored
            config.sources["ignore"] = "command line"
        if day is not None:
            config.today = day
            config.sources["today"] = "command line"
        if var_files:
            config.var_files = config.var_files + [os.path.abspath(v) for v in var_files]
            config.trusted_var_files = [os.path.abspath(v) for v in var_files]
            config.sources["var-files"] = "command line"
        if jobs is not None:
            config.jobs = jobs
            config.sources["jobs"] = "command line"
        if baseline:
            config.baseline = os.path.abspath(baseline)
            config.sources["baseline"] = "command line"
        if write_baseline:  # the baseline written holds every finding: none is filtered by an old one
            config.baseline = None
        if respect_gitignore is not None:
            config.respect_gitignore = respect_gitignore
            config.sources["respect-gitignore"] = "command line"
        if fail_on or exit_zero:
            config.fail_on = "never" if exit_zero else str(fail_on)
            config.sources["fail-on"] = "command line"

    try:
        day = parse_date(today, "--today") if today else None
        if show_settings or show_files:
            groups, missing, _ = plan(list(paths) or ["."], config_path=config_path, adjust=adjust)
            _show(groups, missing, settings=show_settings)
        done = run(list(paths), config_path=config_path, adjust=adjust)
    except (ConfigError, SelectionError, BaselineError) as exc:
        click.echo(f"lambdalint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    for warning in config_warnings:
        click.echo(f"lambdalint: warning: {warning}", err=True)
    result, missing = done.result, done.missing
    if write_baseline:
        _write_baseline(write_baseline, done)

    from lambdalint.reporters import render

    use_color = _color(color)
    for fmt, target in outputs:
        text = render(fmt, result, color=use_color and target is None, show_suppressed=show_suppressed,
                      sarif_category=sarif_category)
        if fmt == "sarif":
            _warn_sarif_cap(result, show_suppressed)
        if target is None:
            if text:
                click.echo(text, nl=not text.endswith("\n"), color=use_color)
        else:
            try:
                with open(target, "w", encoding="utf-8") as fh:
                    fh.write(text)
            except OSError as exc:
                click.echo(f"lambdalint: error: cannot write {target}: {exc.strerror}", err=True)
                sys.exit(EXIT_ERROR)
    if any(fmt == "github" for fmt, _ in outputs) and os.environ.get("GITHUB_STEP_SUMMARY"):
        _step_summary(os.environ["GITHUB_STEP_SUMMARY"], result)
    for m in missing:
        click.echo(f"lambdalint: error: path not found: {_show_path(m)}", err=True)
    for warning in done.warnings:
        click.echo(f"lambdalint: warning: {warning}", err=True)
    for err in done.errors:
        click.echo(f"lambdalint: {err}", err=True)
    if missing or done.errors:
        sys.exit(EXIT_ERROR)
    # several configurations (a monorepo): the strictest fail-on of those used decides
    level = min((c.fail_on for c in done.configs), key=FAIL_LEVELS.index, default="error")
    nothing = _nothing_checked(result)
    if nothing and not allow_empty:
        click.echo(f"lambdalint: warning: {nothing}; pass --allow-empty if that is expected", err=True)
        if level != "never":
            sys.exit(EXIT_ERROR)
    sys.exit(exit_code(result.findings, level))


def _nothing_checked(result: Any) -> str | None:
    """Why the run judged nothing, if it did not: a gate must not pass on that."""
    if not result.rules:
        return "the selection enables no rule, so nothing was checked"
    if not result.files:
        return "no template, Terraform module or plan was found, so nothing was checked"
    return None


def _step_summary(target: str, result: Any) -> None:
    """Append the Markdown summary to the GitHub job summary file (the annotations show only
    ten errors and ten warnings per step)."""
    from lambdalint.reporters.github import step_summary

    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(step_summary(result))
    except OSError as exc:
        click.echo(f"lambdalint: warning: cannot write the job summary: {exc.strerror}", err=True)


def _color(flag: bool | None) -> bool:
    """--color/--no-color, else NO_COLOR (off) and FORCE_COLOR (on) when set and not empty
    (no-color.org, force-color.org), else whether stdout is a terminal."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _warn_sarif_cap(result: Any, show_suppressed: bool) -> None:
    from lambdalint.reporters.sarif import MAX_RESULTS

    total = len(result.findings) + (len(result.suppressed) if show_suppressed else 0)
    if total > MAX_RESULTS:
        click.echo(f"lambdalint: warning: the SARIF report holds the {MAX_RESULTS:,} most severe of {total:,} "
                   "results (code scanning accepts no more per run)", err=True)


def _write_baseline(target: str, done: Any) -> None:
    """Write the run's findings as a baseline and exit: 0, or 2 when the run was incomplete
    (a baseline of a run that failed would accept less than the repository has)."""
    from lambdalint.baseline import relative, render

    for m in done.missing:
        click.echo(f"lambdalint: error: path not found: {_show_path(m)}", err=True)
    for err in done.errors:
        click.echo(f"lambdalint: {err}", err=True)
    if done.missing or done.errors:
        click.echo(f"lambdalint: error: the run was incomplete; {target} was not written", err=True)
        sys.exit(EXIT_ERROR)
    base = os.path.dirname(os.path.abspath(target))
    findings = [relative(f, done.result.root, base) for f in done.result.findings]
    try:
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(render(findings))
    except OSError as exc:
        click.echo(f"lambdalint: error: cannot write {target}: {exc.strerror}", err=True)
        sys.exit(EXIT_ERROR)
    for warning in done.warnings:
        click.echo(f"lambdalint: warning: {warning}", err=True)
    count = len(findings)
    click.echo(f"lambdalint: wrote {count} finding{'s' if count != 1 else ''} to the baseline {target}", err=True)
    sys.exit(EXIT_CLEAN)


def _show(groups: list[Any], missing: list[str], *, settings: bool) -> None:
    """--show-settings: each configuration in use, every setting with where it came from;
    --show-files: what would be linted, with its configuration. Then exit."""
    from lambdalint.config import KEYS, Config
    from lambdalint.loading import display_path

    root = os.getcwd()
    defaults = Config()
    for config, candidates in groups:
        where = display_path(config.path, root) if config.path else "defaults (no config file found)"
        if settings:
            click.echo(f"# settings from {where}")
            for key in KEYS:
                value = getattr(config, key.replace("-", "_"))
                source = config.sources.get(key)
                shown = display_path(source, root) if source and source != "command line" else source
                origin = shown or ("default" if value == getattr(defaults, key.replace("-", "_")) else "")
                click.echo(f"{key} = {_toml_value(value)}  # {origin}")
        else:
            for cand in candidates:
                kind = "terraform module" if cand.kind == "terraform" else "file"
                click.echo(f"{display_path(cand.path, root)}  ({kind}; settings: {where})")
    for m in missing:
        click.echo(f"lambdalint: error: path not found: {_show_path(m)}", err=True)
    sys.exit(EXIT_ERROR if missing else EXIT_CLEAN)


def _toml_value(value: Any) -> str:
    import json
    from datetime import date

    if value is None:
        return '""'
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def _show_path(path: str) -> str:
    """``path`` fit for one line of a terminal: undecodable bytes replaced, quoted when it
    holds control characters."""
    shown = click.format_filename(path)
    return shown if shown.isprintable() else repr(shown)


def exit_code(findings: list, level: str) -> int:  # type: ignore[type-arg]
    if level == "never":
        return EXIT_CLEAN
    threshold = {"error": 3, "warning": 2, "note": 1}[level]
    return EXIT_FINDINGS if any(f.severity.rank >= threshold for f in findings) else EXIT_CLEAN


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              help="text (default), json, or a markdown table.")
def rules_cmd(fmt: str) -> None:
    """List every rule: id, name, default severity and title."""
    from lambdalint.registry import all_rules

    rules = all_rules()
    if fmt == "json":
        import json

        click.echo(json.dumps([{"id": r.id, "name": r.name, "severity": r.severity.value, "kind": r.kind,
                                "title": r.title(), "references": list(r.references)} for r in rules], indent=2))
    elif fmt == "markdown":
        from lambdalint.docs import rules_table

        click.echo(rules_table(rules))
    else:
        for r in rules:
            click.echo(f"{r.id}  {r.name:<40} {r.severity.value:<8} {r.title()}")


@cli.command("rule")
@click.argument("key")
def rule_cmd(key: str) -> None:
    """Explain one rule, by id (QT002) or name (timeout-out-of-range)."""
    from lambdalint.docs import rule_text
    from lambdalint.registry import find_rule

    rule = find_rule(key)
    if rule is None:
        click.echo(f"lambdalint: error: no rule {key!r}; `lambdalint rules` lists them", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(rule_text(rule))


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: raised from the signal handler (click turns a KeyboardInterrupt into
    "Aborted!" and exit 1; an interrupted run exits 128 + the signal's number, like a shell)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def _config_warnings(config: Any) -> list[str]:
    """What a configuration file turns off that makes a run pass whatever the input: LL000
    (files that cannot be read). A selection of no rule at all is reported after the run."""
    from lambdalint.engine import SelectionError, select_rules

    if config.select == ["ALL"] and not config.ignore:
        return []
    try:
        enabled = {r.id for r in select_rules(config.select, config.ignore)}
    except SelectionError:
        return []  # reported as an error by the engine
    if enabled and "LL000" not in enabled:  # no rule at all: the run itself says so
        return ["the configuration turns off LL000: files that cannot be read pass silently"]
    return []


def main() -> None:
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)
    try:
        cli(prog_name="lambdalint")
    except (Interrupted, KeyboardInterrupt) as stop:
        click.echo("lambdalint: interrupted", err=True)
        code = 128 + stop.signum if isinstance(stop, Interrupted) else 130
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        # leave at once: the worker pool's threads would otherwise report the pipes closed
        # under them while the interpreter shuts down
        os._exit(code)


__all__ = ["cli", "date", "main"]
