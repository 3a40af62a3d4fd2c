"""Plain text: ``path:line:col: severity: ID [name] message``, one finding a line, then a
summary. The severity word is always there (``error``, ``warning``, ``note``), also without
color, in the shape compilers use, so editors' and CI systems' problem matchers read it.

Nothing at all is written when there is nothing to report, so a clean pre-commit run is
silent. With ``color`` the severity is colored and the path is bold (ANSI).
"""

from __future__ import annotations

from lambdalint.fingerprint import normalize_path
from lambdalint.reporters._common import counts, files_with_findings, one_line, plural, rule_map
from lambdalint.result import RunResult
from lambdalint.rule import Severity

_RESET = "\033[0m"
_BOLD = "\033[1m"
_SEVERITY_COLOR = {
    Severity.ERROR: "\033[31m",  # red
    Severity.WARNING: "\033[33m",  # yellow
    Severity.NOTE: "\033[36m",  # cyan
}


def render(result: RunResult, *, color: bool = False, show_suppressed: bool = False) -> str:
    """The text report; ``""`` when there are no findings. Suppressed findings are never
    listed here (``show_suppressed`` applies to JSON and SARIF)."""
    findings = result.findings
    if not findings:
        return ""
    rules = rule_map(result)
    lines: list[str] = []
    for f in findings:
        src = f.source
        path = normalize_path(src.path)
        rule = rules.get(f.rule_id)
        rule_id = f.rule_id
        if color:
            path = f"{_BOLD}{path}{_RESET}"
        name = f" [{rule.name}]" if rule is not None else ""
        level = f"{_SEVERITY_COLOR[f.severity]}{f.severity.value}{_RESET}" if color else f.severity.value
        lines.append(f"{path}:{src.line}:{src.column}: {level}: {rule_id}{name} {one_line(f.message)}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result: RunResult) -> str:
    """``Found 3 problems (2 errors, 1 warning) in 2 files.``"""
    findings = result.findings
    by_severity = counts(findings)
    parts = [plural(n, sev.value) for sev, n in by_severity.items() if n]
    detail = f" ({', '.join(parts)})" if parts else ""
    return (f"Found {plural(len(findings), 'problem')}{detail} "
            f"in {plural(files_with_findings(findings), 'file')}.")
