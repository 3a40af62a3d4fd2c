"""Helpers shared by the reporters."""

from __future__ import annotations

from lambdalint.fingerprint import normalize_path
from lambdalint.result import RunResult
from lambdalint.rule import Finding, Rule, Severity


def rule_map(result: RunResult) -> dict[str, type[Rule]]:
    return {r.id: r for r in result.rules}


def entries(result: RunResult, show_suppressed: bool) -> list[tuple[Finding, bool]]:
    """``(finding, suppressed)`` pairs in report order: the findings, and with
    ``show_suppressed`` the suppressed ones too, merged in the same sort order."""
    items = [(f, False) for f in result.findings]
    if show_suppressed:
        items.extend((f, True) for f in result.suppressed)
        items.sort(key=lambda item: (item[0].sort_key(), item[1]))
    return items


def counts(findings: list[Finding]) -> dict[Severity, int]:
    out = {s: 0 for s in Severity}
    for f in findings:
        out[f.severity] += 1
    return out


def files_with_findings(findings: list[Finding]) -> int:
    return len({normalize_path(f.source.path) for f in findings})


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def one_line(text: str) -> str:
    """``text`` with line breaks replaced by spaces (for line-oriented formats)."""
    return " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text
