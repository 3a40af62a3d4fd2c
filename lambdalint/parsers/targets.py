"""Which function, and which qualifier of it, a reference names.

A trigger, permission or integration names a function by a reference that may carry a
qualifier: CloudFormation ``!Ref Fn`` and ``!GetAtt Fn.Arn`` (the unqualified function),
``!Ref LiveAlias`` (an alias ARN), ``!Sub "${Fn.Arn}:live"`` or an API Gateway URI
``.../functions/${Fn.Arn}:live/invocations``, SAM's ``!Ref Fn.Alias``; Terraform
``aws_lambda_function.f.arn``/``invoke_arn``/``function_name`` (unqualified),
``qualified_arn``/``qualified_invoke_arn`` (a version), ``aws_lambda_alias.live.arn`` and
``"${aws_lambda_function.f.arn}:live"``. :class:`Targets` reads all of them into the owning
function and the qualifier, so that rules never look at expressions.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from msgspec import Struct

from lambdalint.model import replace
from lambdalint.values import Located, Unresolved

#: Terraform attributes of a function that name the unqualified function
_TF_UNQUALIFIED = ("arn", "invoke_arn", "function_name", "id")
#: Terraform attributes of a function that name a published version
_TF_QUALIFIED = ("qualified_arn", "qualified_invoke_arn", "version")
#: SAM's ``!Ref Fn.Alias`` / ``${Fn.Alias}`` and ``Fn.Version``
_SAM_MEMBER = re.compile(r"(?:^Ref |\$\{)([A-Za-z0-9]+)\.(Alias|Version)\b")


class Owner(Struct, frozen=True):
    """An alias or version of a function: the function's id and the qualifier it stands for."""

    function: str
    qualifier: Located[str]


class Target(Struct, frozen=True):
    """The function a reference names, and its qualifier: ``None`` for the unqualified
    function, an alias name or version, or an unknown value when the input does not tell."""

    function: str
    qualifier: Located[str] | None


class Targets:
    """Resolves references against the application's functions and their aliases/versions."""

    def __init__(self, functions: Collection[str], owners: Mapping[str, Owner],
                 sam_aliases: Mapping[str, Located[str]] | None = None, *, plan: bool = False,
                 names: Mapping[str, str] | None = None) -> None:
        self.functions = functions
        #: known function name -> function id, for names and ARNs written as text
        self.names = names or {}
        #: references come from a plan's configuration, which lists what an expression refers to
        #: but not its text: ``"${aws_lambda_function.f.arn}:live"`` looks like ``...f.arn``
        self.plan = plan
        self.owners = owners
        #: SAM function id -> its AutoPublishAlias (for ``!Ref Fn.Alias``)
        self.sam_aliases = sam_aliases or {}

    def function_id(self, ref: str | None) -> str | None:
        """The function a reference belongs to: the function itself, or the owner of an alias
        or version; an instance of a Terraform block (``f["a"]``) is looked up by its block."""
        if ref is None:
            return None
        for candidate in (ref, ref.split("[", 1)[0]):
            if candidate in self.functions:
                return ref
            if candidate in self.owners:
                return self.owners[candidate].function
        return None

    def of(self, loc: Located[Any] | None) -> Target | None:
        """The function and qualifier ``loc`` names; None when it names no function of the
        application (a literal ARN of another stack, an unknown value)."""
        if loc is None:
            return None
        expr = loc.value.expr if isinstance(loc.value, Unresolved) else None
        if loc.ref is None and expr is not None and expr.startswith("Ref ") and expr[4:] in self.owners:
            created = self.owners[expr[4:]]  # an alias SAM creates, named by its logical id
            return Target(created.function, replace(created.qualifier, source=loc.source))
        if loc.ref is None:
            member = _SAM_MEMBER.search(expr or "")
            if member is not None and member.group(1) in self.functions:
                qualifier = self.sam_aliases.get(member.group(1)) if member.group(2) == "Alias" else None
                return Target(member.group(1), qualifier or Located(Unresolved(member.group(0)), loc.source))
            text = loc.known() if expr is None else expr
            return self._by_name(text, loc) if isinstance(text, str) else None
        base = loc.ref.split("[", 1)[0]
        owner = self.owners.get(loc.ref) or self.owners.get(base)
        if owner is not None:
            return Target(owner.function, replace(owner.qualifier, source=loc.source))
        if self.function_id(loc.ref) is None:
            return None
        qualifier = _qualifier(loc, loc.ref, expr or "")
        if self.plan and qualifier is None and not (expr or "").endswith(".invoke_arn"):
            # only an invoke ARN cannot take a qualifier after it in a template
            qualifier = Located(Unresolved("qualifier"), loc.source)
        return Target(loc.ref, qualifier)


    def _by_name(self, text: str, loc: Located[Any]) -> Target | None:
        """A function named in text: its name, ARN or API Gateway invocation URI, with the
        qualifier after it (``fn:live``, ``...:function:fn:live``); a part written with
        ``${...}`` is not known."""
        found = _NAMED.search(text)
        if found is None or found.group(1) not in self.names:
            return None
        qualifier = found.group(2)
        if qualifier is None:
            return Target(self.names[found.group(1)], None)
        known = not qualifier.startswith("${")
        return Target(self.names[found.group(1)], Located(qualifier if known else Unresolved(qualifier), loc.source))


#: a function's name in its ARN (or alone), and the qualifier that may follow
_NAMED = re.compile(r"(?:^|:function:)([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+|\$\{[^}]+\}))?(?:/invocations)?$")


def _qualifier(loc: Located[Any], ref: str, expr: str) -> Located[str] | None:
    """The qualifier written after a function's reference, None when there is none."""
    unknown: Located[str] = Located(Unresolved("qualifier"), loc.source)
    if expr in (f"Ref {ref}", f"Fn::GetAtt {ref}.Arn"):
        return None
    base = re.escape(ref)
    # Terraform: the attribute referenced, and what a template adds after it
    plain = expr[len(ref) + 1:] if expr.startswith(ref + ".") else ""
    tf = None if plain.isidentifier() else re.search(rf"(?:^|\$\{{){base}(?:\[[^\]]*\])?\.(\w+)(\}}?)(.*)$", expr)
    if (plain.isidentifier() or tf is not None) and "." in ref:
        attribute, closed, tail = (plain, "", "") if tf is None else tf.groups()
        if attribute in _TF_QUALIFIED:
            return Located(Unresolved(f"{ref}.version"), loc.source)
        if attribute not in _TF_UNQUALIFIED:
            return unknown
        return _tail(tail if closed else "", loc, unknown)
    # CloudFormation: ``${Fn}``/``${Fn.Arn}`` in Fn::Sub text (Fn::Join shows parts the same way)
    cfn = re.search(rf"\$\{{+{base}(?:\.Arn)?\}}+(.*)$", expr)
    if cfn is not None:
        return _tail(cfn.group(1), loc, unknown)
    return unknown


def _tail(tail: str, loc: Located[Any], unknown: Located[str]) -> Located[str] | None:
    """What follows the function's ARN: nothing or ``/invocations`` (unqualified), ``:name``
    (a qualifier), anything else not known."""
    if tail in ("", "/invocations"):
        return None
    found = re.fullmatch(r":([A-Za-z0-9_$-]+)(?:/invocations)?", tail)
    if found is not None:
        return Located(found.group(1), loc.source)
    return unknown
