"""What the IM rules share: execution roles with their functions, and how findings name them."""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from lambdalint.iam.effective import Grant, Permissions, execution_roles, permissions
from lambdalint.model import LambdaFunction, Role
from lambdalint.rule import Context
from lambdalint.values import SourceRef
from lambdalint_rules._examples import sam_function


class ExecutionRole(Struct, frozen=True):
    role: Role
    functions: tuple[LambdaFunction, ...]
    perms: Permissions

    def describe(self) -> str:
        """``execution role R of function F`` (or ``of functions F, G``)."""
        names = [f.display_name for f in self.functions]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        of = f"function {names[0]}" if len(names) == 1 else f"functions {shown}"
        if self.role.implicit:
            return f"execution role generated for {of}"
        return f"execution role {self.role.id} of {of}"

    def owner(self, grant: Grant | None, ctx: Context) -> tuple[str, SourceRef | None]:
        """The resource a finding about ``grant`` belongs to, for suppressions: the policy
        resource that holds the statement, the function of a generated role, else the role."""
        rid = self.role.id
        if self.role.implicit:
            rid = self.functions[0].id
        elif grant is not None and grant.policy.resource and grant.policy.resource in ctx.app.resources:
            rid = grant.policy.resource
        entry = ctx.app.resources.get(rid)
        return rid, (entry[1] if entry else self.role.source)


def roles(ctx: Context) -> list[ExecutionRole]:
    """Every execution role the application defines (or a tool generates), with its
    functions and permissions; computed once per application."""
    cached: list[ExecutionRole] | None = ctx.memo.get("iam.roles")
    if cached is None:
        cached = [ExecutionRole(role, tuple(fns), permissions(role, ctx.app, ctx.data, ctx.memo))
                  for role, fns in execution_roles(ctx.app).values()]
        ctx.memo["iam.roles"] = cached
    return cached


def user_grants(er: ExecutionRole) -> Iterator[Grant]:
    """Allow statements the user wrote (inline statements, policy resources, customer managed
    policies): AWS managed policies and SAM policy templates are judged by name (IM006), not
    statement by statement, since the user cannot edit them."""
    for grant in er.perms.grants:
        if grant.written_by_user and grant.statement.is_allow():
            yield grant


#: a SAM function with an inline policy statement; ``statement`` is YAML indented by ten spaces
def sam_policy(statement: str, extra: str = "") -> str:
    return sam_function("      Policies:\n        - Statement:\n" + statement + extra)
