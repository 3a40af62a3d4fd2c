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


def _present(value: Located[Any] | None) -> bool:
    """The optional property is certainly set (it may still be unknown)."""
    return value is not None and not value.may_be_absent()


# The shortest function ARN prefix Lambda can write: partition "aws", a Region code of at least
# nine characters (us-east-1), a twelve-digit account. Placeholders of those lengths keep the
# statement size a lower bound without knowing the Region or account.
_ARN_PREFIX = "arn:aws:lambda:xx-xxxx-x:000000000000:function:"


def statement_size(perm: Permission, function_name: str, sid: str) -> int:
    """Characters of the policy statement Lambda stores for one permission, as a lower bound:
    values the input does not determine count as empty (an unknown principal as ``*``)."""
    principal: Any = _text(perm.principal) or "*"
    if principal != "*":
        principal = {"Service" if principal.endswith(".com") else "AWS": principal}
    statement: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal,
        "Action": _text(perm.action),
        "Resource": _ARN_PREFIX + function_name,
    }
    equals: dict[str, str] = {}
    if _present(perm.source_account):
        equals["AWS:SourceAccount"] = _text(perm.source_account)
    if _present(perm.principal_org_id):
        equals["aws:PrincipalOrgID"] = _text(perm.principal_org_id)
    if _present(perm.function_url_auth_type):
        equals["lambda:FunctionUrlAuthType"] = _text(perm.function_url_auth_type)
    if _present(perm.event_source_token):
        equals["lambda:EventSourceToken"] = _text(perm.event_source_token)
    condition: dict[str, Any] = {}
    if equals:
        condition["StringEquals"] = equals
    if _present(perm.source_arn):
        condition["ArnLike"] = {"AWS:SourceArn": _text(perm.source_arn)}
    if condition:
        statement["Condition"] = condition
    return len(json.dumps(statement, separators=(",", ":"), ensure_ascii=False))


def _created_by_sam(perm: Permission, fn: LambdaFunction) -> bool:
    """False for an implicit permission of a SAM event that creates none: ScheduleV2 invokes
    through an IAM role, and an SNS event with ``SqsSubscription`` through a queue."""
    if not perm.implicit:
        return True
    for trigger in fn.triggers:
        if trigger.source != perm.source:
            continue
        if trigger.type == "ScheduleV2":
            return False
        sqs = trigger.properties.get("SqsSubscription")
        if trigger.type == "SNS" and sqs is not None and not (sqs.is_known() and sqs.value is False):
            return False
    return True


def statement_id(perm: Permission, dialect: str) -> str:
    """A lower bound of the statement id. CloudFormation names the statement of an
    ``AWS::Lambda::Permission`` after the stack and the resource's logical id (at most 100
    characters); for Terraform the model does not carry ``statement_id``, so it counts as empty."""
    return "" if dialect == "terraform" else perm.id[:100]


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
            perms = [p for p in app.permissions_of(fid) if _created_by_sam(p, fn)]
            if not perms:
                continue
            name = _text(fn.name)
            # the policy document around the statements: {"Version":"2012-10-17","Id":"default","Statement":[...]}
            total = len('{"Version":"2012-10-17","Id":"default","Statement":[]}') + len(perms) - 1
            total += sum(statement_size(p, name, statement_id(p, app.dialect)) for p in perms)
            if total > limit:
                yield self.finding(
                    fn.source,
                    f"Function {fn.display_name} has {len(perms)} permissions making a resource-based policy of at "
                    f"least {total:,} bytes, over Lambda's {limit:,}-byte limit. Grant one permission per source "
                    f"service with a SourceArn pattern or SourceAccount instead of one per resource.",
                    resource=fn.id, resource_source=fn.source,
                )
