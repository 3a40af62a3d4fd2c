from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.iam.effective import may_allow, target_service
from lambdalint.model import Application, LambdaFunction, replace
from lambdalint.rule import ApplicationRule, Context, Finding, Related, Severity
from lambdalint.values import Located, SourceRef
from lambdalint_rules.iam._common import ExecutionRole, roles

_ROLE = """\
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/POLICY
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: artifacts, S3Key: app.zip}
      Role: !GetAtt Role.Arn
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: !GetAtt Queue.Arn
"""


def _in_vpc(config: Located[Any] | None) -> Located[Any] | None:
    """The VPC configuration when it certainly places the function in subnets."""
    if config is None or not config.is_known():
        return None
    value = config.value
    if isinstance(value, tuple) and value and isinstance(value[0].value, dict):  # a Terraform block
        value = value[0].value
    if isinstance(value, dict):
        subnets = value.get("SubnetIds") or value.get("subnet_ids")
        if subnets is None or not subnets.is_known():
            return None
        value = subnets.value
    if isinstance(value, tuple) and value:
        return config
    return None


class MissingRequiredPermission(ApplicationRule):
    """A fully known execution role lacks a permission the function's configuration needs.

    What each configuration needs is in `data/required_permissions.yaml`: reading SQS,
    Kinesis, DynamoDB stream and MSK event sources, creating network interfaces for a VPC,
    sending to the dead-letter queue or topic and to destinations (all refused by Lambda, so
    the deploy fails: reported as errors), and writing CloudWatch Logs (the function runs
    without logs: reported as a warning). The rule only speaks when every policy attached to
    the role is known (inline statements, policy resources, customer managed policies and the
    AWS managed policies lambdalint has a copy of); a role with a policy from outside the
    application, or a statement it cannot read, is never judged.

    ## Why is this bad?
    Lambda checks these permissions when the event source mapping, VPC configuration,
    dead-letter queue or destination is created: the deployment fails with "The provided
    execution role does not have permissions to call ...". Without log permissions the function
    runs but every log line is lost.

    ## How to fix
    Attach the AWS managed policy named in the message, or add a statement that allows the
    listed actions on the resource.
    """

    id = "IM008"
    name = "missing-required-permission"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("iam", "event-source", "vpc")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions",
    )
    bad_example = _ROLE.replace("POLICY", "AWSLambdaBasicExecutionRole")
    good_example = _ROLE.replace("POLICY", "AWSLambdaSQSQueueExecutionRole")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        needs: dict[str, dict[str, Any]] = ctx.data.table("required_permissions")["needs"]
        for er in roles(ctx):
            if not er.perms.complete:
                continue
            for fn in er.functions:
                for key, where in self._needs(fn, app):
                    need = needs[key]
                    missing = [a if isinstance(a, str) else " or ".join(a) for a in need["actions"]
                               if not any(may_allow(er.perms, x) for x in ([a] if isinstance(a, str) else a))]
                    if missing:
                        yield self._finding(fn, er, need, missing, where)

    @staticmethod
    def _needs(fn: LambdaFunction, app: Application) -> Iterator[tuple[str, SourceRef]]:
        for trig in fn.triggers:
            if trig.type in ("SQS", "Kinesis", "DynamoDB", "MSK"):
                yield trig.type, (trig.source_arn.source if trig.source_arn is not None else trig.source)
        vpc = _in_vpc(fn.vpc_config)
        if vpc is not None:
            yield "vpc", vpc.source
        if fn.dead_letter_target is not None:
            service = target_service(fn.dead_letter_target, app)
            if service in ("sqs", "sns"):
                yield f"dead-letter-{service}", fn.dead_letter_target.source
        for dest in fn.destinations:
            service = target_service(dest, app)
            if service in ("sqs", "sns", "lambda", "events"):
                yield f"destination-{service}", dest.source
        yield "logs", (fn.role.source if fn.role is not None else fn.source)

    def _finding(self, fn: LambdaFunction, er: ExecutionRole, need: dict[str, Any], missing: list[str],
                 where: SourceRef) -> Finding:
        fix = f"attach the AWS managed policy {need['managed']} or " if need.get("managed") else ""
        role = "the execution role generated for it" if er.role.implicit else f"its execution role {er.role.id}"
        finding = self.finding(
            where,
            f"Function {fn.display_name} cannot {need['what']}: {role} does not allow {', '.join(missing)}; "
            f"{fix}add a statement that allows {'them' if len(missing) > 1 else 'it'}.",
            resource=fn.id, resource_source=fn.source,
            related=[Related(er.role.source, f"execution role {er.role.id}")])
        return finding if need.get("hard") else replace(finding, severity=Severity.WARNING)
