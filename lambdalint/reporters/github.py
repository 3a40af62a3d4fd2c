"""GitHub Actions workflow commands: one annotation per finding.

``::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=ID name::message`` (``warning``
for warnings, ``notice`` for notes). Columns are given only for a single-line region, since
GitHub accepts columns only when the annotation starts and ends on the same line. Nothing is
written when there is nothing to report. Paths are relative to the repository root, where
GitHub looks for them whatever directory lambdalint ran in.

GitHub shows only 10 error and 10 warning annotations per step, so with ``$GITHUB_STEP_SUMMARY``
set the command line also appends :func:`step_summary`, a Markdown table of every finding, to
the job's summary page.
"""

from __future__ import annotations

from lambdalint.fingerprint import normalize_path
from lambdalint.reporters._common import counts, in_repository, one_line, plural, rule_map
from lambdalint.result import RunResult
from lambdalint.rule import Severity

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (as ``@actions/core`` ``escapeData`` does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (as ``@actions/core`` ``escapeProperty`` does)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult, *, color: bool = False, show_suppressed: bool = False) -> str:
    if not result.findings:
        return ""
    rules = rule_map(result)
    move = in_repository(result)
    lines: list[str] = []
    for f in map(move, result.findings):
        src = f.source
        line = max(1, src.line)
        end_line = max(line, src.end_line)
        props = [("file", normalize_path(src.path)), ("line", str(line))]
        if end_line == line:
            column = max(1, src.column)
            props += [("col", str(column)), ("endLine", str(end_line)),
                      ("endColumn", str(max(column, src.end_column)))]
        else:
            props.append(("endLine", str(end_line)))
        rule = rules.get(f.rule_id)
        props.append(("title", f"{f.rule_id} {rule.name}" if rule is not None else f.rule_id))
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
        lines.append(f"::{COMMAND[f.severity]} {joined}::{escape_data(f.message)}")
    return "\n".join(lines) + "\n"


#: GitHub refuses a step summary above 1 MiB; the table stops well before
SUMMARY_LIMIT = 900 * 1024
_ICON = {Severity.ERROR: "🔴 error", Severity.WARNING: "🟡 warning", Severity.NOTE: "🔵 note"}


def _cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell: one line, no pipes, no HTML."""
    return (one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("`", "'"))


def step_summary(result: RunResult) -> str:
    """The job summary: the counts, then one table row per finding until the size limit."""
    by_severity = counts(result.findings)
    if not result.findings:
        return f"### lambdalint\n\nNo problems in {plural(len(result.files), 'file')} checked.\n"
    parts = ", ".join(plural(n, sev.value) for sev, n in by_severity.items() if n)
    out = [f"### lambdalint\n\nFound {plural(len(result.findings), 'problem')} ({parts}) in "
           f"{plural(len(result.files), 'file')} checked.\n",
           "| severity | rule | location | message |", "|---|---|---|---|"]
    size = sum(len(line) + 1 for line in out)
    rules = rule_map(result)
    move = in_repository(result)
    for n, f in enumerate(map(move, result.findings)):
        rule = rules.get(f.rule_id)
        name = f" {rule.name}" if rule is not None else ""
        row = (f"| {_ICON[f.severity]} | {f.rule_id}{_cell(name)} | "
               f"`{_cell(normalize_path(f.source.path))}:{f.source.line}` | {_cell(f.message)} |")
        if size + len(row.encode("utf-8")) > SUMMARY_LIMIT:
            out.append(f"\n{len(result.findings) - n:,} more not listed (the summary's size limit).")
            break
        out.append(row)
        size += len(row.encode("utf-8")) + 1
    return "\n".join(out) + "\n"
