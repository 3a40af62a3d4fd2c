"""Helpers shared by the reporters."""

from __future__ import annotations

from collections.abc import Callable

from lambdalint.fingerprint import normalize_path
from lambdalint.result import RunResult
from lambdalint.rule import Finding, Related, Rule, Severity
from lambdalint.values import SourceRef


def in_repository(result: RunResult) -> Callable[[Finding], Finding]:
    """A function that gives a finding with every path (its own, related places, flow steps)
    relative to the repository root, links resolved; paths outside it stay as they are."""
    import os

    from lambdalint.model import replace

    repository = os.path.realpath(result.repository or result.root)
    root = os.path.abspath(result.root)
    seen: dict[str, str] = {}

    def path(shown: str) -> str:
        if shown not in seen:
            real = os.path.realpath(os.path.join(root, shown))
            try:
                inside = os.path.commonpath([real, repository]) == repository
            except ValueError:  # another drive
                inside = False
            seen[shown] = normalize_path(os.path.relpath(real, repository)) if inside else shown
        return seen[shown]

    def move(f: Finding) -> Finding:
        def at(src: SourceRef) -> SourceRef:
            return src if path(src.path) == src.path else replace(src, path=path(src.path))

        return replace(f, source=at(f.source),
                       related=tuple(Related(at(r.source), r.message) for r in f.related),
                       flow=tuple(Related(at(r.source), r.message) for r in f.flow))

    return move


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
