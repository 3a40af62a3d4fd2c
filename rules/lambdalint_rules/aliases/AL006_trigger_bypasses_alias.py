from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Alias, Invocation, LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules.aliases._common import alias


def _alias_name(a: Alias) -> str:
    name = a.name.known() if a.name is not None else None
    return name if isinstance(name, str) else a.id


def _message(call: Invocation, fn: LambdaFunction, name: str) -> str:
    what = f"{call.kind[0].upper()}{call.kind[1:]} {call.name}"
    if call.kind == "permission":
        return (f"{what} is for the unqualified function {fn.display_name} although alias {name} exists: it "
                f"does not let callers invoke the alias, and the callers it lets in bypass the alias. Give "
                f"the alias ARN (or a qualifier).")
    fix = ("SAM wires events to the alias of AutoPublishAlias only: set AutoPublishAlias (it publishes the "
           "versions and the alias)" if call.implicit else "Make it invoke the alias")
    return (f"{what} invokes the unqualified function {fn.display_name} although alias {name} exists: its "
            f"calls bypass the alias (its deployments, provisioned concurrency and SnapStart). {fix}.")


class TriggerBypassesAlias(FunctionRule):
    """An event source, permission or API integration targets the unqualified function although an alias exists.

    Looks at event source mappings, SAM events (SAM wires them to the `AutoPublishAlias` alias
    when there is one), bucket notifications, SNS subscriptions, EventBridge targets, API
    Gateway integrations, function URLs and permissions. Aliases that point at `$LATEST` are
    not counted; a reference whose qualifier is not known is not judged.

    ## Why is this bad?
    Invoking the unqualified function runs `$LATEST`: the caller bypasses the alias, so its
    traffic shifting (canary deployments), provisioned concurrency and SnapStart do nothing for
    it, and untested code reaches it first.

    ## How to fix
    Point the trigger at the alias: its ARN (`!Ref LiveAlias`, `!Sub "${Fn.Arn}:live"`,
    `aws_lambda_alias.live.arn` or `invoke_arn`), or set `AutoPublishAlias` so SAM wires every
    event to it; give permissions the alias ARN or `qualifier`.
    """

    id = "AL006"
    name = "trigger-bypasses-alias"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("alias", "events")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html",
    )
    bad_example = alias() + ("  Jobs:\n    Type: AWS::SQS::Queue\n  Poll:\n    Type: AWS::Lambda::EventSourceMapping\n"
                             "    Properties: {FunctionName: !Ref Fn, EventSourceArn: !GetAtt Jobs.Arn}\n")
    good_example = alias() + ("  Jobs:\n    Type: AWS::SQS::Queue\n  Poll:\n    Type: AWS::Lambda::EventSourceMapping\n"
                              "    Properties: {FunctionName: !Ref Live, EventSourceArn: !GetAtt Jobs.Arn}\n")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        aliases = [a for a in ctx.app.aliases.values()
                   if fn.named_by(a.function.ref)
                   and not (a.function_version is not None and a.function_version.known() == "$LATEST")]
        if not aliases:
            return
        target = aliases[0]
        name = _alias_name(target)
        for call in ctx.app.invocations:
            if call.qualifier is not None or not fn.named_by(call.function):
                continue
            yield self.finding(call.source, _message(call, fn, name), resource=fn.id, resource_source=fn.source,
                               related=[Related(target.source, f"alias {name}")])
