from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.iam.effective import (
    Grant,
    arn_service,
    entries,
    matches,
    names_every_resource,
    resource_is_star,
    resource_text,
)
from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint.values import Located
from lambdalint_rules.iam._common import roles, sam_policy, user_grants


def _grants(grant: Grant, action: str) -> Located[str] | None:
    """The entry of ``grant`` that certainly allows ``action`` on every resource, without
    conditions (``None`` when it does not, or may not)."""
    stmt = grant.statement
    if stmt.condition is not None or not _broad(stmt, action.split(":", 1)[0]):
        return None
    for entry in entries(stmt.action):
        # `Action: "*"` is full administrator access, reported by IM001
        if isinstance(entry.known(), str) and entry.value != "*" and matches(str(entry.value), action):
            return entry
    if stmt.not_action is not None and stmt.not_action.is_known():
        listed = list(entries(stmt.not_action))
        if all(e.is_known() for e in listed) and not any(matches(str(e.value), action) for e in listed):
            return stmt.not_action  # type: ignore[return-value]
    return None


def _broad(stmt: Any, service: str | None = None) -> bool:
    """The statement's Resource is ``*``, or a pattern for every resource of a type of
    ``service`` (every role, ``arn:aws:iam::*:role/*``, which covers the execution role itself;
    every policy), also built with pseudo parameters (``!Sub arn:${AWS::Partition}:iam::...``)."""
    if resource_is_star(stmt) is not None:
        return True
    for entry in entries(stmt.resource):
        text = resource_text(entry)
        if text is not None and names_every_resource(text) and (
                service is None or arn_service(text) == service):
            return True
    return False


class PrivilegeEscalation(ApplicationRule):
    """An execution role holds a known privilege-escalation set of actions.

    The sets (creating a new policy version, attaching or writing a role policy, passing a role
    to a new function and invoking it, changing another function's code, ...) are listed in
    `data/privilege_escalation.yaml` with their source. A set counts when every one of its
    actions is allowed without conditions by statements written in the application, on
    `Resource: "*"` or on every resource of the action's type (`arn:aws:iam::*:role/*` covers
    the execution role itself, also built with pseudo parameters). On the role itself a single
    action escalates: `iam:AttachRolePolicy` or `iam:PutRolePolicy` need no `sts:AssumeRole`,
    since IAM evaluates the role session's policies on every request. `iam:PassRole` with
    `ec2:AssociateIamInstanceProfile` or `ec2:ReplaceIamInstanceProfileAssociation` hands a
    role to a running instance. `Action: "*"` (IM001) and AWS managed policies (IM006) are reported by their
    own rules.

    ## Why is this bad?
    Whoever controls the function's code (a compromised dependency, an injection bug) can
    use these actions to give themselves more permissions than the role has, up to
    administrator access to the account.

    ## How to fix
    Remove the actions the function does not need; scope the rest to the exact resources (a
    named role for `iam:PassRole`, named functions for `lambda:UpdateFunctionCode`) and add
    conditions such as `iam:PassedToService`.
    """

    id = "IM005"
    name = "privilege-escalation"
    severity = Severity.ERROR
    kind = "soft"
    tags = ("iam", "security", "privilege-escalation")
    security_severity = "8.5"
    references = (
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://github.com/salesforce/cloudsplaining",
    )
    bad_example = sam_policy("          - Effect: Allow\n            Action: iam:CreatePolicyVersion\n"
                             "            Resource: '*'\n")
    good_example = sam_policy("          - Effect: Allow\n            Action: iam:GetPolicyVersion\n"
                              "            Resource: '*'\n")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        methods: dict[str, list[str]] = ctx.data.table("privilege_escalation")["methods"]
        seen: set[tuple[str, int, int]] = set()
        for er in roles(ctx):
            # only unconditional statements on every resource (of a type) can complete a set
            grants = [g for g in user_grants(er) if g.statement.condition is None and _broad(g.statement)]
            if not grants:
                continue
            matched: list[tuple[str, Located[str], Grant]] = []
            for method, needed in methods.items():
                first: tuple[Located[str], Grant] | None = None
                for action in needed:
                    hit = next(((e, g) for g in grants if (e := _grants(g, action)) is not None), None)
                    if hit is None:
                        break
                    first = first or hit
                else:
                    if first is not None:
                        matched.append((method, first[0], first[1]))
            if not matched:
                continue
            method, entry, grant = matched[0]
            key = (entry.source.path, entry.source.line, entry.source.column)
            if key in seen:
                continue
            seen.add(key)
            names = ", ".join(m for m, _, _ in matched[:3]) + (f" and {len(matched) - 3} more" if len(matched) > 3
                                                               else "")
            rid, rsrc = er.owner(grant, ctx)
            yield self.finding(
                entry.source,
                f"The {er.describe()} allows privilege escalation ({names}: {', '.join(methods[method])} on "
                f"every resource of their kind); remove these actions or scope them to named resources.",
                resource=rid, resource_source=rsrc)
