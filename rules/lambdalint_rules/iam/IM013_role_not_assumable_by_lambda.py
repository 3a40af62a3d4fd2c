from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.iam.effective import entries, matches
from lambdalint.model import Application, Statement
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint.values import Located
from lambdalint_rules.iam._common import roles

_ROLE = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: SERVICE}
            Action: sts:AssumeRole
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: artifacts, S3Key: app.zip}
      Role: !GetAtt Role.Arn
"""
LAMBDA = "lambda.amazonaws.com"


def _services(principal: Located[Any] | None) -> list[Located[Any]] | None:
    """The service principals a statement names; ``None`` when it may name any principal
    (``"*"``, an unknown value)."""
    if principal is None or not principal.is_known():
        return None
    if principal.value == "*":
        return None
    if not isinstance(principal.value, dict):
        return None
    out: list[Located[Any]] = []
    for kind, value in principal.value.items():
        items = list(value.value) if value.is_known() and isinstance(value.value, tuple) else [value]
        if any(not i.is_known() or i.value == "*" for i in items):
            return None
        if kind == "Service":
            out.extend(items)
    return out


def _verdict(stmt: Statement) -> tuple[bool | None, Located[Any] | None]:
    """(lambda may assume the role through this statement, where its principal is)."""
    if stmt.is_deny():
        return False, None
    if not stmt.is_allow():
        return None, None
    acts = list(entries(stmt.action))
    if stmt.action is None or any(not a.is_known() for a in acts) or not stmt.action.is_known():
        return None, stmt.principal
    if not any(matches(str(a.value), "sts:AssumeRole") for a in acts):
        return False, None
    services = _services(stmt.principal)
    if services is None:
        return None, stmt.principal
    # point at the service the statement trusts instead of Lambda, else at the principal
    return any(str(s.value).lower() == LAMBDA for s in services), services[0] if services else stmt.principal


def _principals(principal: Located[Any] | None) -> list[str]:
    """Every principal a statement names, as a message shows it: services by name, the
    account root as such."""
    if principal is None or not principal.is_known() or not isinstance(principal.value, dict):
        return []
    out = []
    for kind, value in principal.value.items():
        items = list(value.value) if value.is_known() and isinstance(value.value, tuple) else [value]
        for item in items:
            text = str(item.value) if item.is_known() else None
            if text is None:
                continue
            if kind == "AWS" and (text.endswith(":root") or text.isdigit()):
                out.append(f"the account root of {text.split(':')[4] if ':' in text else text}")
            else:
                out.append(text)
    return out


def _described(statements: tuple[Statement, ...]) -> tuple[str, bool]:
    """What the trust policy says, in one clause (whom it trusts, whom it denies), and whether
    it denies Lambda."""
    trusted: list[str] = []
    denied: list[str] = []
    for stmt in statements:
        names = _principals(stmt.principal)
        if stmt.is_deny():
            denied.extend(n for n in names if n not in denied)
        elif stmt.is_allow() and any(matches(str(a.value), "sts:AssumeRole") for a in entries(stmt.action)
                                     if a.is_known()):
            trusted.extend(n for n in names if n not in trusted)
    said = f"it trusts only {', '.join(trusted)}" if trusted else "no statement lets anyone assume it"
    return said + (f", and denies {', '.join(denied)}" if denied else ""), LAMBDA in denied


class RoleNotAssumableByLambda(ApplicationRule):
    """An execution role's trust policy does not let Lambda (`lambda.amazonaws.com`) assume it.

    Judges roles defined in the application whose trust policy is fully known; a trust policy
    with a wildcard or unknown principal, or an unknown action, is never judged.

    ## Why is this bad?
    Lambda assumes the execution role when the function is created and at every invocation.
    CreateFunction fails with "The role defined for the function cannot be assumed by Lambda",
    so the deployment fails.

    ## How to fix
    Add a statement that allows `sts:AssumeRole` to the service principal
    `lambda.amazonaws.com` (Lambda@Edge functions also need `edgelambda.amazonaws.com`).
    """

    id = "IM013"
    name = "role-not-assumable-by-lambda"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("iam", "execution-role")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html",
    )
    bad_example = _ROLE.replace("SERVICE", "ec2.amazonaws.com")
    good_example = _ROLE.replace("SERVICE", LAMBDA)

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        for er in roles(ctx):
            trust = er.role.trust_policy
            if er.role.implicit or trust is None or trust.unresolved:
                continue
            verdicts = [_verdict(s) for s in trust.statements]
            if any(v is not False for v, _ in verdicts):
                continue
            where = next((p for _, p in verdicts if p is not None), None)
            now, denies = _described(trust.statements)
            rid, rsrc = er.owner(None, ctx)
            yield self.finding(
                where.source if where is not None else trust.source,
                f"Lambda cannot assume {er.describe()}: {now}; "
                + ("remove the statement that denies it, and " if denies else "")
                + f"allow sts:AssumeRole to the service principal {LAMBDA}.",
                resource=rid, resource_source=rsrc)
