from __future__ import annotations

from collections.abc import Iterator

from lambdalint.iam.effective import entries
from lambdalint.model import Application, replace
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.iam._common import roles, sam_policy, user_grants


class WildcardAction(ApplicationRule):
    """An execution role allows every action (`*`) or every action of a service (`s3:*`).

    Judges the statements written in the application (inline policies, policy resources,
    customer managed policies, SAM `Policies` statements, Terraform module
    `policy_statements`) of roles that functions run with. `Action: "*"` is reported as an
    error, a service wildcard as a warning. AWS managed policies are IM006's concern.

    ## Why is this bad?
    A function whose code or dependencies are compromised can do everything its role allows.
    `s3:*` includes deleting buckets and rewriting their policies; `*` is full administrator
    access to the account.

    ## How to fix
    List the actions the function calls (`s3:GetObject`, `s3:PutObject`), or use a SAM policy
    template that grants them.
    """

    id = "IM001"
    name = "wildcard-action"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("iam", "security", "least-privilege")
    precision = "very-high"
    security_severity = "7.5"
    references = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    )
    bad_example = sam_policy("          - Effect: Allow\n            Action: 's3:*'\n            Resource: '*'\n")
    good_example = sam_policy("          - Effect: Allow\n            Action: s3:GetObject\n"
                              "            Resource: arn:aws:s3:::reports/*\n")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[int, int, str]] = set()
        for er in roles(ctx):
            for grant in user_grants(er):
                for entry in entries(grant.statement.action):
                    action = entry.known()
                    if not isinstance(action, str):
                        continue
                    everything = action == "*"
                    if not everything and not (action.endswith(":*") and action.count(":") == 1):
                        continue
                    key = (entry.source.line, entry.source.column, entry.source.path)
                    if key in seen:
                        continue
                    seen.add(key)
                    rid, rsrc = er.owner(grant, ctx)
                    if everything:
                        msg = (f"The {grant.policy.name} of {er.describe()} allows every action (\"*\"), full "
                               f"administrator access; list the actions the function calls instead.")
                    else:
                        service = action.split(":", 1)[0]
                        msg = (f"The {grant.policy.name} of {er.describe()} allows every {service} action "
                               f"(\"{action}\"); list the {service} actions the function calls instead.")
                    finding = self.finding(entry.source, msg, resource=rid, resource_source=rsrc)
                    yield replace(finding, severity=Severity.ERROR) if everything else finding
