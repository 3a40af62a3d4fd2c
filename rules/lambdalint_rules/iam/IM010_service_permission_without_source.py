from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.iam.IM009_public_invoke_permission import _PERMISSION, narrowed


class ServicePermissionWithoutSource(ApplicationRule):
    """A permission for a service principal has neither `SourceArn` nor `SourceAccount` (confused deputy).

    Service principals are those ending in `.amazonaws.com` or `.amazon.com`
    (`s3.amazonaws.com`, `sns.amazonaws.com`, `alexa-appkit.amazon.com`). An Alexa skill
    permission narrowed by `EventSourceToken` is not flagged. Permissions SAM creates for
    events carry the event's source ARN and are not flagged either.

    ## Why is this bad?
    Without a source, the service may invoke the function on behalf of any resource, in any
    AWS account: another account's bucket or topic can be pointed at your function (the
    "confused deputy" problem). IAM Access Analyzer reports it as a security warning.

    ## How to fix
    Add `SourceArn` with the ARN of the bucket, topic, rule or API that invokes the function,
    and `SourceAccount` (required for S3, whose bucket ARNs hold no account).
    """

    id = "IM010"
    name = "service-permission-without-source"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("iam", "security", "resource-policy")
    security_severity = "5.5"
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    )
    bad_example = _PERMISSION + "      Principal: s3.amazonaws.com\n"
    good_example = _PERMISSION + ("      Principal: s3.amazonaws.com\n      SourceAccount: !Ref AWS::AccountId\n"
                                  "      SourceArn: arn:aws:s3:::uploads-123456789012\n")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        for perm in app.permissions:
            principal = perm.principal.known()
            if not isinstance(principal, str) or not principal.endswith((".amazonaws.com", ".amazon.com")):
                continue
            if narrowed(perm):
                continue
            target = perm.function.ref or (perm.function.known() or "the function")
            qualifier = perm.qualifier.known() if perm.qualifier is not None and perm.function.ref else None
            if isinstance(qualifier, str):
                target = f"{target}:{qualifier}"  # an alias or version, named by its own reference
            yield self.finding(
                perm.principal.source,
                f"Permission {perm.id} lets {principal} invoke {target} for any source, in any account; add "
                f"SourceArn (the resource that invokes it) and SourceAccount.",
                resource=perm.id if perm.id in app.resources else perm.function.ref,
                resource_source=perm.source)
