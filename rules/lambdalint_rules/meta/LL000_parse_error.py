from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity


class ParseError(ApplicationRule):
    """A file that looks like a template could not be read or parsed.

    lambdalint never skips a template silently: when a file that looks like a template
    cannot be decoded or parsed, or a property has a value of the wrong type, the problem is
    reported at the line and column the parser gave, and the rest of the run goes on.

    ## Why is this bad?
    A template lambdalint cannot read is a template nothing was checked in. CloudFormation,
    SAM and Terraform will reject it too, or deploy something other than what was meant
    (a `MemorySize: lots` never deploys).

    ## How to fix
    Fix the syntax or the value at the reported position. Files that are not templates are
    skipped without a finding; Jinja or cookiecutter templates must be rendered first.
    """

    id = "LL000"
    name = "parse-error"
    severity = Severity.ERROR
    kind = "meta"
    tags = ("lambdalint",)
    references = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html",)
    dialects = ("sam", "cfn", "tf", "plan")
    bad_example = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      MemorySize: lots
"""
    good_example = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      MemorySize: 512
"""

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        for problem in app.problems:
            yield self.finding(problem.source, f"{problem.message}.")
