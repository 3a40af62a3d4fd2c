"""Suppressions: one model, three spellings, each with a reason.

- a comment on the finding's line or on the resource's first line:
  ``# lambdalint: ignore[IM001] reviewed in SEC-123`` (several ids: ``ignore[QT001,QT002]``);
- CloudFormation/SAM ``Metadata: {lambdalint: {ignore: [{rule: QT001, reason: ...}]}}`` on a
  resource or at the template root (read by the template parser);
- ``per-file-ignores`` in the config (applied by the engine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lambdalint.model import Suppression
from lambdalint.rule import Finding
from lambdalint.values import SourceRef

_COMMENT = re.compile(r"#\s*lambdalint:\s*ignore\[([^\]]*)\]([^\n]*)")


def comment_suppressions(text: str, path: str) -> list[Suppression]:
    if "lambdalint:" not in text:
        return []
    out = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if "lambdalint:" not in line:
            continue
        m = _COMMENT.search(line)
        if not m:
            continue
        # the reason runs to the end of the line or to a further ` #` comment
        reason = re.split(r"\s#", m.group(2))[0].strip() or None
        col = m.start() + 1
        src = SourceRef(path, lineno, col, lineno, m.end() + 1)
        for rule in m.group(1).split(","):
            if rule.strip():
                out.append(Suppression(rule.strip(), reason, src, "line"))
    return out


@dataclass
class Matcher:
    suppressions: list[Suppression]
    #: rule id -> rule name, to accept names in suppressions
    names: dict[str, str]
    used: set[int] = field(default_factory=set)

    def _rule_matches(self, s: Suppression, finding: Finding) -> bool:
        key = s.rule.strip()
        return key.upper() == finding.rule_id or key.lower() == self.names.get(finding.rule_id)

    def suppresses(self, finding: Finding) -> bool:
        hit = False
        for i, s in enumerate(self.suppressions):
            if s.source.path != finding.source.path or not self._rule_matches(s, finding):
                continue
            if s.scope == "line":
                ok = s.source.line == finding.source.line or (
                    finding.resource_source is not None and s.source.line == finding.resource_source.line
                )
            elif s.scope == "resource":
                ok = finding.resource is not None and finding.resource == s.resource
            else:
                ok = True
            if ok:
                self.used.add(i)
                hit = True
        return hit

    def unused(self, enabled: set[str]) -> list[Suppression]:
        out = []
        for i, s in enumerate(self.suppressions):
            if i in self.used:
                continue
            rid = s.rule.strip().upper()
            by_name = [k for k, v in self.names.items() if v == s.rule.strip().lower()]
            if rid in enabled or (by_name and by_name[0] in enabled) or (rid not in self.names and not by_name):
                out.append(s)
        return out
