"""Whether two located values are the same value, and what a reference stands for: one helper
for every rule, instead of a comparison per rule."""

from __future__ import annotations

from typing import Any

from lambdalint.model import Application
from lambdalint.values import Located, Unresolved

# unknown values that are not the same value each time they are written (conditions and
# built strings say nothing about equality; Terraform's clocks and random functions differ)
_OPAQUE = ("Fn::", "Ref", "timestamp(", "uuid(", "bcrypt(", "plantimestamp(")


def same_value(a: Located[Any] | None, b: Located[Any] | None) -> bool:
    """``a`` and ``b`` are certainly equal: the same known value, or the same reference to the
    same resource attribute or parameter (``!GetAtt V.Version`` on both sides, in list or
    dotted form; ``aws_lambda_function.x.version`` twice)."""
    if a is None or b is None:
        return False
    if a.is_known() and b.is_known():
        return str(a.value) == str(b.value)
    if isinstance(a.value, Unresolved) and isinstance(b.value, Unresolved):
        expr = a.value.expr
        if expr != b.value.expr or a.ref != b.ref or not expr:
            return False
        return expr.startswith(("${", "Ref ")) or (not expr.startswith(_OPAQUE) and not any(
            token in expr for token in _OPAQUE[2:]))
    return False


def is_version_number(value: Located[Any], app: Application) -> bool:
    """The value is certainly the number of a published version: a reference to the
    ``Version`` attribute of an ``AWS::Lambda::Version``, or to ``version`` of a Terraform
    function that publishes (``publish = true``)."""
    if not isinstance(value.value, Unresolved) or value.ref is None:
        return False
    expr = value.value.expr
    version = app.versions.get(value.ref)
    if version is not None and version.resource_type == "AWS::Lambda::Version":
        return expr.endswith(".Version}")
    version = app.versions.get(f"{value.ref}.version")
    return (version is not None and version.resource_type == "aws_lambda_function" and not version.maybe
            and expr.endswith(".version"))
