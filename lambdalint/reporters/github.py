"""GitHub Actions workflow commands: one annotation per finding.

``::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=ID name::message`` (``warning``
for warnings, ``notice`` for notes). Columns are given only for a single-line region, since
GitHub accepts columns only when the annotation starts and ends on the same line. Nothing is
written when there is nothing to report.
"""

from __future__ import annotations

from lambdalint.fingerprint import normalize_path
from lambdalint.reporters._common import rule_map
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
    lines: list[str] = []
    for f in result.findings:
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
