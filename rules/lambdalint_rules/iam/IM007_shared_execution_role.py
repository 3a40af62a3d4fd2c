from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Related, Severity
from lambdalint_rules.iam._common import roles

_TWO = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
  Api:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: artifacts, S3Key: api.zip}
      Role: !GetAtt Role.Arn
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: artifacts, S3Key: worker.zip}
      Role: !GetAtt WORKER_ROLE.Arn
"""


#: other functions named in a message, and linked as related locations
_NAMED = 5
_LINKED = 10


class SharedExecutionRole(ApplicationRule):
    """Several functions run with the same execution role.

    ## Why is this bad?
    The role must then allow what every one of them needs, so each function gets the
    permissions of all the others: a flaw in the least trusted function reaches the data of
    the most sensitive one, and the role can never be reduced to what one function does.

    ## How to fix
    Give each function its own role with only the permissions it needs (SAM does this when a
    function sets `Policies` instead of `Role`).
    """

    id = "IM007"
    name = "shared-execution-role"
    severity = Severity.NOTE
    kind = "soft"
    tags = ("iam", "least-privilege")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/identity-and-access-management.html",
    )
    bad_example = _TWO.replace("WORKER_ROLE", "Role")
    good_example = _TWO.replace("WORKER_ROLE", "WorkerRole") + """\
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
"""

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        for er in roles(ctx):
            if len(er.functions) < 2:
                continue
            for fn in er.functions:
                if fn.role is None:
                    continue
                # named and linked up to a bound: 3,000 functions on one role must not make each
                # finding list the other 2,999 (quadratic output, and quadratic time)
                count = len(er.functions) - 1
                others = [f for f in er.functions[:_LINKED + 1] if f is not fn][:_LINKED]
                named = ", ".join(f.display_name for f in others[:_NAMED])
                if count > _NAMED:
                    named = f"{count} other functions ({named}, ...)"
                yield self.finding(
                    fn.role.source,
                    f"Function {fn.display_name} shares execution role {er.role.id} with "
                    f"{named}; give each function its own role with only the permissions it needs.",
                    resource=fn.id, resource_source=fn.source,
                    related=[Related(er.role.source, f"execution role {er.role.id}")]
                    + [Related(f.source, f"function {f.display_name}") for f in others[:_LINKED]])
