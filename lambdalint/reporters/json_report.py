"""JSON: a stable, versioned document (schema in ``docs/json-output.md``).

``version`` is bumped only for incompatible changes; new keys may be added within a version,
so consumers must ignore keys they do not know.
"""

from __future__ import annotations

from typing import Any

from lambdalint.fingerprint import fingerprint, normalize_path
from lambdalint.reporters._common import counts, entries, files_with_findings, in_repository, rule_map
from lambdalint.result import RunResult
from lambdalint.rule import Related, Severity

SCHEMA_VERSION = 1


def _related(items: tuple[Related, ...]) -> list[dict[str, Any]]:
    return [
        {
            "path": normalize_path(r.source.path),
            "line": r.source.line,
            "column": r.source.column,
            "message": r.message,
        }
        for r in items
    ]


def document(result: RunResult, *, show_suppressed: bool = False) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    from lambdalint import __version__

    rules = rule_map(result)
    move = in_repository(result)  # fingerprints use the repository-relative path, as in SARIF
    findings: list[dict[str, Any]] = []
    for f, suppressed in entries(result, show_suppressed):
        src = f.source
        rule = rules.get(f.rule_id)
        findings.append({
            "rule": f.rule_id,
            "name": rule.name if rule is not None else None,
            "severity": f.severity.value,
            "message": f.message,
            "path": normalize_path(src.path),
            "line": src.line,
            "column": src.column,
            "end_line": src.end_line,
            "end_column": src.end_column,
            "pointer": src.pointer,
            "resource": f.resource,
            "related": _related(f.related),
            "flow": _related(f.flow),
            "fingerprint": fingerprint(move(f)),
            "suppressed": suppressed,
        })
    by_severity = counts(result.findings)
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "lambdalint", "version": __version__},
        "findings": findings,
        "summary": {
            "errors": by_severity[Severity.ERROR],
            "warnings": by_severity[Severity.WARNING],
            "notes": by_severity[Severity.NOTE],
            "files": files_with_findings(result.findings),
            "files_checked": len(result.files),
            "suppressed": len(result.suppressed),
        },
        "errors": list(result.errors),
    }


def render(result: RunResult, *, color: bool = False, show_suppressed: bool = False) -> str:
    import json

    return json.dumps(document(result, show_suppressed=show_suppressed), indent=2, ensure_ascii=False) + "\n"
