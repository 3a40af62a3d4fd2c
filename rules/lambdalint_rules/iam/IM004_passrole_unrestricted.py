from __future__ import annotations

from collections.abc import Iterator

from lambdalint.iam.effective import entries, matches, resource_is_star
from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.iam._common import roles, sam_policy, user_grants


class PassroleUnrestricted(ApplicationRule):
    """An execution role allows `iam:PassRole` (or `iam:*`) on every role (`Resource: "*"`).

    Flags `Allow` statements whose `Action` names `iam:PassRole` through an `iam:` entry
    (`iam:PassRole`, `iam:Pass*`, `iam:*`) or whose `NotAction` leaves it allowed, with
    `Resource: "*"`. `Action: "*"` is IM001's finding.

    ## Why is this bad?
    Passing a role hands its permissions to a service. With PassRole on `*`, the function can
    give any role in the account, administrator roles included, to a Lambda function, EC2
    instance or CloudFormation stack it creates: a path to full account takeover. IAM Access
    Analyzer reports this pattern as a security warning.

    ## How to fix
    Name the role ARNs the function may pass in `Resource`, and restrict the receiving service
    with the `iam:PassedToService` condition key.
    """

    id = "IM004"
    name = "passrole-unrestricted"
    severity = Severity.ERROR
    kind = "soft"
    tags = ("iam", "security", "privilege-escalation")
    security_severity = "8.0"
    references = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
    )
    bad_example = sam_policy("          - Effect: Allow\n            Action: iam:PassRole\n            Resource: '*'\n")
    good_example = sam_policy("          - Effect: Allow\n            Action: iam:PassRole\n"
                              "            Resource: arn:aws:iam::123456789012:role/batch-job\n")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[str, int, int]] = set()
        for er in roles(ctx):
            for grant in user_grants(er):
                stmt = grant.statement
                if resource_is_star(stmt) is None:
                    continue
                hits = [e for e in entries(stmt.action) if isinstance(e.known(), str)
                        and str(e.value).lower().startswith("iam:") and matches(str(e.value), "iam:PassRole")]
                if stmt.not_action is not None and stmt.not_action.is_known():
                    listed = list(entries(stmt.not_action))
                    if all(e.is_known() for e in listed) and not any(matches(str(e.value), "iam:PassRole")
                                                                     for e in listed):
                        hits.append(stmt.not_action)  # type: ignore[arg-type]
                for entry in hits[:1]:
                    key = (entry.source.path, entry.source.line, entry.source.column)
                    if key in seen:
                        continue
                    seen.add(key)
                    rid, rsrc = er.owner(grant, ctx)
                    yield self.finding(
                        entry.source,
                        f"The {grant.policy.name} of {er.describe()} allows iam:PassRole on every role "
                        f"(Resource \"*\"); name the role ARNs it may pass and add an iam:PassedToService "
                        f"condition.",
                        resource=rid, resource_source=rsrc)
