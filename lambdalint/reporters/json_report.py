"""JSON: a stable, versioned document (``docs/json-output.md``; typed by
:class:`lambdalint.schemas.Report`, published as ``schemas/report.schema.json``).

``version`` is bumped only for incompatible changes; new keys may be added within a version,
so consumers must ignore keys they do not know.
"""

from __future__ import annotations

from typing import Any, Literal

from lambdalint.fingerprint import fingerprint, normalize_path
from lambdalint.reporters._common import counts, entries, files_with_findings, in_repository, rule_map
from lambdalint.result import RunResult
from lambdalint.rule import Related, Severity
from lambdalint.schemas import Place, Report, ReportFinding, ReportTool, Summary

SCHEMA_VERSION: Literal[1] = 1


def _related(items: tuple[Related, ...]) -> list[Place]:
    return [Place(normalize_path(r.source.path), r.source.line, r.source.column, r.message) for r in items]


def report(result: RunResult, *, show_suppressed: bool = False) -> Report:
    """The report, typed by :class:`lambdalint.schemas.Report` (the published schema's source)."""
    from lambdalint import __version__

    rules = rule_map(result)
    move = in_repository(result)  # fingerprints use the repository-relative path, as in SARIF
    findings: list[ReportFinding] = []
    for f, suppressed in entries(result, show_suppressed):
        src = f.source
        rule = rules.get(f.rule_id)
        findings.append(ReportFinding(
            rule=f.rule_id, name=rule.name if rule is not None else None, severity=f.severity.value,
            message=f.message, path=normalize_path(src.path), line=src.line, column=src.column,
            end_line=src.end_line, end_column=src.end_column, pointer=src.pointer, resource=f.resource,
            related=_related(f.related), flow=_related(f.flow), fingerprint=fingerprint(move(f)),
            suppressed=suppressed))
    by_severity = counts(result.findings)
    return Report(
        version=SCHEMA_VERSION,
        tool=ReportTool(name="lambdalint", version=__version__),
        findings=findings,
        summary=Summary(errors=by_severity[Severity.ERROR], warnings=by_severity[Severity.WARNING],
                        notes=by_severity[Severity.NOTE], files=files_with_findings(result.findings),
                        files_checked=len(result.files), suppressed=len(result.suppressed)),
        errors=list(result.errors),
    )


def document(result: RunResult, *, show_suppressed: bool = False) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    import msgspec

    doc: dict[str, Any] = msgspec.to_builtins(report(result, show_suppressed=show_suppressed))
    return doc


def render(result: RunResult, *, color: bool = False, show_suppressed: bool = False) -> str:
    import json

    return json.dumps(document(result, show_suppressed=show_suppressed), indent=2, ensure_ascii=False) + "\n"
