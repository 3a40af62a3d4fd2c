from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.iam._common import roles, sam_policy, user_grants


class AllowNotAction(ApplicationRule):
    """An execution role's `Allow` statement uses `NotAction` or `NotResource`.

    ## Why is this bad?
    `Allow` with `NotAction` grants every action except the listed ones, in every service,
    including services and actions AWS adds later; `Allow` with `NotResource` grants the
    actions on every resource except the listed ones. Both grant far more than they appear to,
    and AWS advises against combining them with `Allow`.

    ## How to fix
    Write the actions and resources the function needs as `Action` and `Resource`. To carve
    out exceptions, add a `Deny` statement instead.
    """

    id = "IM003"
    name = "allow-not-action"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("iam", "security", "least-privilege")
    security_severity = "6.5"
    references = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
    )
    bad_example = sam_policy("          - Effect: Allow\n            NotAction: iam:*\n            Resource: '*'\n")
    good_example = sam_policy("          - Effect: Allow\n            Action: sqs:SendMessage\n"
                              "            Resource: arn:aws:sqs:eu-west-1:123456789012:jobs\n")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[str, int, int]] = set()
        for er in roles(ctx):
            for grant in user_grants(er):
                stmt = grant.statement
                for element, label, what in ((stmt.not_action, "NotAction", "every action except those listed"),
                                             (stmt.not_resource, "NotResource",
                                              "on every resource except those listed")):
                    if element is None:
                        continue
                    key = (element.source.path, element.source.line, element.source.column)
                    if key in seen:
                        continue
                    seen.add(key)
                    rid, rsrc = er.owner(grant, ctx)
                    needed = "actions as Action" if label == "NotAction" else "resources as Resource"
                    yield self.finding(
                        element.source,
                        f"The {grant.policy.name} of {er.describe()} uses Allow with {label}, which grants "
                        f"{what}; write the needed {needed} and use a Deny statement for exceptions.",
                        resource=rid, resource_source=rsrc)
