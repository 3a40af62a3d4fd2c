from __future__ import annotations

import re
from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules._examples import sam_function
from lambdalint_rules.iam._common import roles

_ADMIN = {"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"}
_FULL = re.compile(r"FullAccess(V\d+)?$")


class AdminManagedPolicy(ApplicationRule):
    """An execution role has AdministratorAccess, PowerUserAccess, IAMFullAccess or a service `*FullAccess` policy.

    Looks at the AWS managed policies attached to roles functions run with, however they are
    attached: `ManagedPolicyArns`, SAM `Policies` by name, `aws_iam_role_policy_attachment`,
    the Terraform lambda module's `policies`.

    ## Why is this bad?
    These policies grant every action of a service (`AmazonS3FullAccess`: every bucket in the
    account, including deleting it) or of the whole account. A function rarely needs more than
    a handful of actions on one or two resources.

    ## How to fix
    Replace the managed policy with a statement that lists the actions and resources the
    function uses, or with a SAM policy template scoped to the resource (`S3ReadPolicy` with
    `BucketName`).
    """

    id = "IM006"
    name = "admin-managed-policy"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("iam", "security", "least-privilege")
    security_severity = "7.0"
    references = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html",
    )
    bad_example = sam_function("      Policies:\n        - AmazonDynamoDBFullAccess\n")
    good_example = sam_function("      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: orders\n")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[str, int, int]] = set()
        for er in roles(ctx):
            for name, ref in er.perms.managed:
                if name not in _ADMIN and not _FULL.search(name):
                    continue
                key = (ref.source.path, ref.source.line, ref.source.column)
                if key in seen:
                    continue
                seen.add(key)
                what = "full administrator access" if name == "AdministratorAccess" else \
                    "access to every service except IAM and Organizations" if name == "PowerUserAccess" else \
                    "full access to a whole service"
                rid, rsrc = er.owner(None, ctx)
                yield self.finding(
                    ref.source,
                    f"The {er.describe()} has the AWS managed policy {name}, {what}; grant the actions and "
                    f"resources the function uses instead.",
                    resource=rid, resource_source=rsrc)
