"""GitLab Code Quality: the JSON array GitLab reads from ``artifacts:reports:codequality``
(a subset of the Code Climate issue format, docs.gitlab.com/ci/testing/code_quality).

Each finding is ``{description, check_name, fingerprint, severity, location: {path, lines:
{begin, end}}}``; severity maps ``error`` to ``major``, ``warning`` to ``minor`` and ``note``
to ``info``. Paths are relative to the repository root, where GitLab resolves them; the
fingerprint is lambdalint's line-independent one, so GitLab tracks a finding across commits.
Suppressed findings are not reported.
"""

from __future__ import annotations

from typing import Any

from lambdalint.fingerprint import fingerprint
from lambdalint.reporters._common import in_repository, one_line, rule_map
from lambdalint.result import RunResult
from lambdalint.rule import Severity

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}


def document(result: RunResult) -> list[dict[str, Any]]:
    rules = rule_map(result)
    move = in_repository(result)
    out: list[dict[str, Any]] = []
    for f in map(move, result.findings):
        rule = rules.get(f.rule_id)
        out.append({
            "type": "issue",
            "description": one_line(f.message),
            "check_name": f"{f.rule_id} {rule.name}" if rule is not None else f.rule_id,
            "categories": ["Security"] if rule is not None and rule.security_severity else ["Bug Risk"],
            "fingerprint": fingerprint(f),
            "severity": SEVERITY[f.severity],
            "location": {"path": f.source.path,
                         "lines": {"begin": max(1, f.source.line), "end": max(1, f.source.line, f.source.end_line)}},
        })
    return out


def render(result: RunResult, *, color: bool = False, show_suppressed: bool = False) -> str:
    import json

    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
