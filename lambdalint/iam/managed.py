"""AWS managed policies: their documents from the bundled table, by ARN."""

from __future__ import annotations

import re
from typing import Any

from lambdalint.iam.documents import statement
from lambdalint.model import PolicyDocument
from lambdalint.values import Located, SourceRef, Unresolved

#: an AWS managed policy ARN, in any partition (also written with ${AWS::Partition})
_ARN = re.compile(r"^arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::aws:policy/(?:(?P<path>.*/))?(?P<name>[^/$]+)$")


def managed_name(arn: str) -> str | None:
    """The name of an AWS managed policy ARN (``None`` for any other ARN)."""
    m = _ARN.match(arn)
    return m.group("name") if m else None


def arn_text(arn: Located[str]) -> str | None:
    """The ARN's text; for an ARN built with the partition (``Fn::Sub``, ``Fn::Join``) the text
    with ``${AWS::Partition}`` in it, since AWS managed policies are the same in every one."""
    text = arn.known()
    if isinstance(text, str):
        return text
    if isinstance(arn.value, Unresolved) and arn.value.expr.startswith("arn:${AWS::Partition}:iam::aws:policy/"):
        return arn.value.expr
    return None


def document(arn: Located[str], table: dict[str, Any]) -> PolicyDocument | None:
    """The document of the AWS managed policy ``arn`` names, located at the reference to it;
    ``None`` when lambdalint has no copy of it. A table entry that lists only part of the
    policy gives an unresolved document."""
    text = arn_text(arn)
    name = managed_name(text) if isinstance(text, str) else None
    entry = table.get("policies", {}).get(name) if name else None
    if entry is None:
        return None
    src = arn.source
    statements = tuple(s for raw in entry.get("statements", ()) if (s := statement(_located(raw, src))) is not None)
    return PolicyDocument(str(name), src, statements, bool(entry.get("partial")), "aws-managed")


def is_execution_role_policy(name: str, table: dict[str, Any]) -> bool:
    entry = table.get("policies", {}).get(name)
    return bool(entry and entry.get("execution_role"))


def _located(raw: Any, src: SourceRef) -> Located[Any]:
    if isinstance(raw, dict):
        return Located({k: _located(v, src) for k, v in raw.items()}, src)
    if isinstance(raw, list):
        return Located(tuple(_located(v, src) for v in raw), src)
    return Located(raw, src)
