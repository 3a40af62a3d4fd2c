from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.model import Application, Permission
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint.values import Located

_PERMISSION = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: artifacts, S3Key: app.zip}
      Role: arn:aws:iam::123456789012:role/fn
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
"""


def _set(value: Located[Any] | None) -> bool:
    """The property is (or may be) given: any narrowing counts, known or not."""
    return value is not None and not value.definitely_absent()


def narrowed(perm: Permission) -> bool:
    return any(_set(v) for v in (perm.source_arn, perm.source_account, perm.principal_org_id,
                                 perm.event_source_token, perm.function_url_auth_type,
                                 perm.invoked_via_function_url))


class PublicInvokePermission(ApplicationRule):
    """A permission lets anyone (`Principal: "*"`) invoke the function, with no narrowing condition.

    A permission with `SourceArn`, `SourceAccount`, `PrincipalOrgID` or `EventSourceToken` is
    narrowed and not flagged; neither are the permissions of a function URL
    (`FunctionUrlAuthType`, `InvokedViaFunctionUrl`), which IM011 judges.

    ## Why is this bad?
    Any AWS account, and any principal in it, can invoke the function: run its code at your
    cost, read what it returns, and trigger whatever it writes.

    ## How to fix
    Name the principal that calls the function (an account, a role or a service principal),
    or keep `"*"` and narrow it with `PrincipalOrgID` or `SourceArn`.
    """

    id = "IM009"
    name = "public-invoke-permission"
    severity = Severity.ERROR
    kind = "soft"
    tags = ("iam", "security", "resource-policy")
    security_severity = "8.0"
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
        "https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html",
    )
    bad_example = _PERMISSION + "      Principal: '*'\n"
    good_example = _PERMISSION + "      Principal: '*'\n      PrincipalOrgID: o-a1b2c3d4e5\n"

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        for perm in app.permissions:
            if perm.principal.known() != "*" or narrowed(perm):
                continue
            target = perm.function.ref or (perm.function.known() or "the function")
            qualifier = perm.qualifier.known() if perm.qualifier is not None and perm.function.ref else None
            if isinstance(qualifier, str):
                target = f"{target}:{qualifier}"  # an alias or version, named by its own reference
            yield self.finding(
                perm.principal.source,
                f"Permission {perm.id} lets any principal invoke {target} (Principal \"*\" with no SourceArn, "
                f"SourceAccount or PrincipalOrgID); name the caller or add a narrowing condition.",
                resource=perm.id if perm.id in app.resources else perm.function.ref,
                resource_source=perm.source)
