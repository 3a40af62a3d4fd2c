"""Suppressions: one model, three spellings, each with a reason.

- a comment on the finding's line or on the resource's first line:
  ``# lambdalint: ignore[IM001] reviewed in SEC-123`` (several ids: ``ignore[QT001,QT002]``);
- CloudFormation/SAM ``Metadata: {lambdalint: {ignore: [{rule: QT001, reason: ...}]}}`` on a
  resource or at the template root (read by the template parser);
- ``per-file-ignores`` in the config (applied by the engine).
"""

from __future__ import annotations

import re

from msgspec import Struct, field

from lambdalint.model import Suppression
from lambdalint.rule import Finding
from lambdalint.values import SourceRef

_COMMENT = re.compile(r"#\s*lambdalint:\s*ignore\[([^\]]*)\]([^\n]*)")


def comment_suppressions(text: str, path: str) -> list[Suppression]:
    """The suppression comments of a file: only real comments count, never text inside a
    string value (a JSON ``Description``, a YAML block scalar, an HCL string)."""
    if "lambdalint:" not in text:
        return []
    lines = text.splitlines()
    found = [(lineno, m) for lineno, line in enumerate(lines, start=1)
             if "lambdalint:" in line and (m := _COMMENT.search(line)) is not None]
    if not found:
        return []
    strings = _string_spans(text, path)
    out = []
    for lineno, m in found:
        if strings is not None and _inside(strings, lineno, len(lines[lineno - 1][:m.start()].encode("utf-8"))):
            continue
        # the reason runs to the end of the line or to a further ` #` comment
        reason = re.split(r"\s#", m.group(2))[0].strip() or None
        col = m.start() + 1
        src = SourceRef(path, lineno, col, lineno, m.end() + 1)
        for rule in m.group(1).split(","):
            if rule.strip():
                out.append(Suppression(rule.strip(), reason, src, "line"))
    return out


Span = tuple[tuple[int, int], tuple[int, int]]


def _inside(spans: list[Span], line: int, byte_column: int) -> bool:
    point = (line, byte_column)
    return any(start <= point < end for start, end in spans)


def _string_spans(text: str, path: str) -> list[Span] | None:
    """Where the file's string values are, as ((line, byte column), (line, byte column)) pairs
    (1-based lines); ``None`` when the file cannot be read that way (then every marker counts)."""
    if path.endswith((".tf", ".tfvars")):
        return _hcl_strings(text)
    return _yaml_strings(text)


def _hcl_strings(text: str) -> list[Span] | None:
    from lambdalint.parsers.terraform.hcl import _parser

    data = text.encode("utf-8", "surrogatepass")
    root = _parser().parse(data).root_node
    out: list[Span] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("string_lit", "template_expr", "heredoc_template"):
            (r1, c1), (r2, c2) = node.start_point, node.end_point
            out.append(((r1 + 1, c1), (r2 + 1, c2)))
            continue
        stack.extend(node.children)
    return out


def _yaml_strings(text: str) -> list[Span] | None:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    out: list[Span] = []
    try:
        while loader.check_token():
            token = loader.get_token()
            if isinstance(token, yaml.ScalarToken) and token.start_mark is not None and token.end_mark is not None:
                start, end = token.start_mark, token.end_mark
                out.append(((start.line + 1, _byte_col(text, start)), (end.line + 1, _byte_col(text, end))))
    except yaml.YAMLError:
        return None  # not readable as YAML: every marker counts, as before
    finally:
        loader.dispose()
    return out


def _byte_col(text: str, mark: object) -> int:
    index = getattr(mark, "index", 0)
    column = getattr(mark, "column", 0)
    line_start = index - column
    return len(text[line_start:index].encode("utf-8", "surrogatepass"))


class Matcher(Struct):
    suppressions: list[Suppression]
    #: rule id -> rule name, to accept names in suppressions
    names: dict[str, str]
    used: set[int] = field(default_factory=set)

    def _rule_matches(self, s: Suppression, finding: Finding) -> bool:
        key = s.rule.strip()
        return key.upper() == finding.rule_id or key.lower() == self.names.get(finding.rule_id)

    def suppresses(self, finding: Finding) -> Suppression | None:
        """The first suppression that covers ``finding`` (each one that does counts as used)."""
        hit: Suppression | None = None
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
                hit = hit or s
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
