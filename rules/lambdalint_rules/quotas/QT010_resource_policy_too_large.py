from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lambdalint.model import Application, LambdaFunction, Permission
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint.values import Located

_BUCKETS = "".join(
    f"        Up{i}:\n          Type: S3\n          Properties:\n            Bucket: !Ref B{i}\n"
    f"            Events: s3:ObjectCreated:*\n" for i in range(3)
)


def _text(value: Located[Any] | None) -> str:
    """The value when known, else the empty string: sizes computed with it are lower bounds."""
    if value is None or not value.is_known():
        return ""
    return str(value.value)


def statement_size(perm: Permission, function_name: str) -> int:
    """Bytes of the policy statement Lambda stores for one permission, as a lower bound."""
    principal: Any = _text(perm.principal)
    if principal != "*":
        principal = {"Service" if principal.endswith(".com") else "AWS": principal}
    statement: dict[str, Any] = {
        "Sid": perm.id,
        "Effect": "Allow",
        "Principal": principal,
        "Action": _text(perm.action),
        "Resource": f"arn:aws:lambda:::function:{function_name}",
    }
    condition: dict[str, Any] = {}
    if perm.source_arn is not None:
        condition["ArnLike"] = {"AWS:SourceArn": _text(perm.source_arn)}
    if perm.source_account is not None:
        condition["StringEquals"] = {"AWS:SourceAccount": _text(perm.source_account)}
    if condition:
        statement["Condition"] = condition
    return len(json.dumps(statement, separators=(",", ":")))


class ResourcePolicyTooLarge(ApplicationRule):
    """A function's resource-based policy over 20 KB.

    Every `AWS::Lambda::Permission` on a function, and every permission SAM adds for a push
    event (S3, SNS, API Gateway, EventBridge, ...), is one statement of the function's
    resource-based policy, which Lambda limits to 20 KB. Statements are measured as Lambda
    stores them, with unknown values (ARNs of other resources) counted as empty, so the figure
    is a lower bound.

    ## Why is this bad?
    Adding the permission that crosses the limit fails, and so does the deployment.

    ## How to fix
    Grant one permission per source service with a wildcard `SourceArn` pattern (or
    `SourceAccount`) instead of one per resource, or split the function.
    """

    id = "QT010"
    name = "resource-policy-too-large"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota", "permissions")
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",)
    bad_example = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: artifacts, S3Key: fn.zip}
""" + "".join(
        f"  Allow{i:03d}:\n    Type: AWS::Lambda::Permission\n    Properties:\n"
        f"      FunctionName: !Ref Fn\n      Action: lambda:InvokeFunction\n"
        f"      Principal: events.amazonaws.com\n"
        f"      SourceArn: arn:aws:events:us-east-1:123456789012:rule/nightly-report-rule-number-{i:03d}\n"
        for i in range(100)
    )
    good_example = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://artifacts/app.zip
      Events:
""" + _BUCKETS

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        limit = ctx.quotas["resource-policy-bytes-max"]
        for fid in sorted(app.functions):
            fn: LambdaFunction = app.functions[fid]
            perms = app.permissions_of(fid)
            if not perms:
                continue
            name = _text(fn.name)
            # the policy document around the statements: {"Version":"2012-10-17","Id":"default","Statement":[...]}
            total = len('{"Version":"2012-10-17","Id":"default","Statement":[]}') + len(perms) - 1
            total += sum(statement_size(p, name) for p in perms)
            if total > limit:
                yield self.finding(
                    fn.source,
                    f"Function {fn.display_name} has {len(perms)} permissions making a resource-based policy of at "
                    f"least {total:,} bytes, over Lambda's {limit:,}-byte limit. Grant one permission per source "
                    f"service with a SourceArn pattern or SourceAccount instead of one per resource.",
                    resource=fn.id, resource_source=fn.source,
                )
