"""IAM policy documents, from any dialect, into :class:`PolicyDocument`.

A document reaches the parsers in one of three shapes, all handled here so that every dialect
gives the rules the same statements:

- a resolved mapping (CloudFormation/SAM, Terraform ``jsonencode({...})``);
- JSON text (a Terraform heredoc or string, a plan's ``policy`` attribute): parsed with the
  project's JSON loader so each element keeps its line; a heredoc's lines are mapped back to
  the ``.tf`` file, other strings point at the string itself;
- text with unknown interpolations (``"Resource": "${aws_s3_bucket.b.arn}/*"`` in a heredoc):
  each interpolation becomes an unknown value inside an otherwise readable document.

Anything else is an unresolved document: rules that need the whole policy stay silent.

Dialect-neutral: the parsers of every dialect (``parsers/cfn_iam.py``, ``parsers/terraform/iam.py``,
...) and ``iam/managed.py`` read their documents here (formerly ``lambdalint/parsers/policy.py``).
JSON text is parsed with the parsers' own loader, imported only when a document is text.
"""

from __future__ import annotations

import re
from typing import Any

from lambdalint.model import PolicyDocument, PolicyKind, Statement
from lambdalint.values import Located, SourceRef, Unresolved, UnresolvedEncoding, UnresolvedText

_ELEMENTS = ("Action", "NotAction", "Resource", "NotResource")
_HOLE = "\u2063{}\u2063"  # invisible separator: cannot occur in a policy by accident
_HOLE_RE = re.compile("\u2063(\\d+)\u2063")


def document(loc: Located[Any] | None, name: str, source: SourceRef, kind: PolicyKind = "inline",
             resource: str | None = None) -> PolicyDocument:
    """The policy document ``loc`` holds (``None``: nothing is known of it)."""
    if loc is None:
        return PolicyDocument(name, source, (), True, kind, resource)
    value = loc.value
    if isinstance(value, UnresolvedEncoding) and isinstance(value.structure, Located):
        return document(value.structure, name, source, kind, resource)
    if isinstance(value, UnresolvedText):
        parsed = _from_text(_with_holes(value.parts), loc.source, list(value.parts))
        if parsed is None:
            return PolicyDocument(name, source, (), True, kind, resource)
        return document(parsed, name, source, kind, resource)
    if isinstance(value, str):
        parsed = _from_text(value, loc.source, [])
        if parsed is None:
            return PolicyDocument(name, source, (), True, kind, resource)
        return document(parsed, name, source, kind, resource)
    if not loc.is_known():
        # both branches of a condition: the statements of each, but not a known whole
        statements: list[Statement] = []
        for cand in loc.candidates:
            for known in cand.possible():
                statements.extend(document(known, name, source, kind, resource).statements)
        return PolicyDocument(name, source, tuple(statements), True, kind, resource)
    if not isinstance(value, dict):
        return PolicyDocument(name, source, (), True, kind, resource)
    body = value.get("Statement")
    if body is None:
        return PolicyDocument(name, source, (), True, kind, resource)
    items = body.value if isinstance(body.value, tuple) else (body,) if body.is_known() else ()
    unresolved = not body.is_known()
    out: list[Statement] = []
    for item in items:
        stmt = statement(item)
        if stmt is None:
            unresolved = True
            for cand in item.candidates:
                for known in cand.possible():
                    extra = statement(known)
                    if extra is not None:
                        out.append(extra)
        else:
            out.append(stmt)
            unresolved = unresolved or not _statement_known(stmt)
    return PolicyDocument(name, source, tuple(out), unresolved, kind, resource)


def structure(loc: Located[Any] | None) -> Located[Any] | None:
    """A JSON document as a located structure, whichever shape it came in (a mapping, JSON
    text, text with interpolations, ``jsonencode`` of a partly unknown value, or CloudFormation
    ``Fn::Sub`` text whose ``${...}`` parts sit inside JSON strings); ``None`` if unreadable."""
    if loc is None:
        return None
    value = loc.value
    if isinstance(value, UnresolvedEncoding) and isinstance(value.structure, Located):
        return value.structure
    if isinstance(value, UnresolvedText):
        return _from_text(_with_holes(value.parts), loc.source, list(value.parts))
    if isinstance(value, str):
        return _from_text(value, loc.source, [])
    if isinstance(value, Unresolved) and value.expr.lstrip().startswith("{"):
        return _from_text(value.expr, loc.source, [])
    return loc if isinstance(value, dict) else None


def statement(loc: Located[Any]) -> Statement | None:
    """One statement (``None`` when the statement itself is not a known mapping)."""
    if not loc.is_known() or not isinstance(loc.value, dict):
        return None
    d: dict[str, Located[Any]] = loc.value
    effect = d.get("Effect")
    return Statement(
        source=loc.source,
        effect=_string(effect) if effect is not None else None,
        action=_entries(d.get("Action")),
        not_action=_entries(d.get("NotAction")),
        resource=_entries(d.get("Resource")),
        not_resource=_entries(d.get("NotResource")),
        principal=d.get("Principal"),
        not_principal=d.get("NotPrincipal"),
        condition=d.get("Condition"),
    )


def _string(loc: Located[Any]) -> Located[str]:
    if loc.is_known() and not isinstance(loc.value, str):
        return Located(Unresolved("not a string"), loc.source)
    return loc


def _entries(loc: Located[Any] | None) -> Located[tuple[Located[str], ...]] | None:
    """An element's entries as a list; a single string is a one-entry list at the string."""
    if loc is None:
        return None
    if isinstance(loc.value, str) or (not loc.is_known() and not loc.candidates):
        return Located((_string(loc),), loc.source, (), None, loc.origin)
    if isinstance(loc.value, tuple):
        return Located(tuple(_string(i) for i in loc.value), loc.source, (), None, loc.origin)
    if not loc.is_known():  # Fn::If: each branch's entries
        cands = tuple(e for c in loc.candidates for k in c.possible() if (e := _entries(k)) is not None)
        return Located(Unresolved("entries"), loc.source, cands)
    return Located((Located(Unresolved("not a string"), loc.source),), loc.source)


def _statement_known(stmt: Statement) -> bool:
    if stmt.effect is None or not stmt.effect.is_known():
        return False
    for element in (stmt.action, stmt.not_action):
        if element is not None and (not element.is_known() or not all(e.is_known() for e in element.value)):  # type: ignore[union-attr]
            return False
    return True


# -- JSON text ---------------------------------------------------------------------------

def _with_holes(parts: tuple[Any, ...]) -> str:
    out = []
    for i, part in enumerate(parts):
        out.append(part if isinstance(part, str) else _HOLE.format(i))
    return "".join(out)


def _from_text(text: str, where: SourceRef, holes: list[Any]) -> Located[Any] | None:
    """Parse JSON policy text into located values. A heredoc (a value over several lines)
    keeps each element's line; a one-line string points every element at itself."""
    from lambdalint.parsers.intrinsics import Resolver
    from lambdalint.parsers.nodes import LoadError
    from lambdalint.parsers.yaml_loader import load_text

    if not text.lstrip().startswith("{"):
        return None
    try:
        root = load_text(text, where.path, json_like=True)
    except (LoadError, RecursionError):
        return None
    if root is None:
        return None
    loc = Resolver(where.path, {}, None, {}).resolve(root, where.pointer)
    # a heredoc's region spans its text's lines; JSON text built elsewhere (a plan value, a
    # jsonencode result) points every element at the value itself
    lines, span = text.count("\n"), where.end_line - where.line
    heredoc = lines >= 1 and span - 2 <= lines <= span
    return _relocate(loc, where, heredoc, holes)


def _relocate(loc: Located[Any], where: SourceRef, heredoc: bool, holes: list[Any]) -> Located[Any]:
    s = loc.source
    if heredoc:  # the heredoc's text starts on the line after its `<<EOF`
        src = SourceRef(where.path, where.line + s.line, s.column, where.line + s.end_line, s.end_column,
                        where.pointer)
    else:
        src = where
    value = loc.value
    if isinstance(value, dict):
        return Located({k: _relocate(v, where, heredoc, holes) for k, v in value.items()}, src)
    if isinstance(value, tuple):
        return Located(tuple(_relocate(v, where, heredoc, holes) for v in value), src)
    if isinstance(value, str) and holes and "\u2063" in value:
        return _fill(value, src, holes)
    return Located(value, src)


def _fill(text: str, src: SourceRef, holes: list[Any]) -> Located[Any]:
    """A string with interpolations: known when every interpolated value is."""
    out: list[str] = []
    pos = 0
    ref: str | None = None
    known = True
    for m in _HOLE_RE.finditer(text):
        out.append(text[pos:m.start()])
        pos = m.end()
        part = holes[int(m.group(1))]
        if isinstance(part, Located) and part.is_known() and isinstance(part.value, (str, int, float)):
            out.append(str(part.value))
        else:
            known = False
            expr = part.value.expr if isinstance(part, Located) and isinstance(part.value, Unresolved) else "..."
            out.append("${" + expr + "}")
            if ref is None and isinstance(part, Located):
                ref = part.ref
    out.append(text[pos:])
    if known:
        return Located("".join(out), src)
    # the text with each unknown part written as ${expr}: "arn:aws:s3:::${aws_s3_bucket.b.arn}/*"
    return Located(Unresolved("".join(out)), src, (), ref)
