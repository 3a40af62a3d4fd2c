from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity

_SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://artifacts/app.zip
      Runtime: python3.13
"""


class ZipMissingHandlerOrRuntime(FunctionRule):
    """A zip-packaged function without Handler or Runtime.

    Functions deployed as a .zip archive (the default package type) need both a `Handler`
    and a `Runtime`; SAM `Globals` count. Container-image functions need neither.

    ## Why is this bad?
    The deployment fails: Lambda requires both for zip packages.

    ## How to fix
    Add the missing property (in the function or in SAM `Globals.Function`).
    """

    id = "RT006"
    name = "zip-missing-handler-or-runtime"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("runtime", "packaging")
    references = ("https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",)
    bad_example = _SAM
    good_example = _SAM + "      Handler: app.handler\n"

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        pt = fn.package_type
        if pt is not None and not pt.definitely_absent() and pt.known() != "Zip":
            return  # Image, or a value the template does not determine (absent means Zip)
        if fn.code is not None and fn.code.kind == "image":
            return
        missing = [prop for prop, value in (("Handler", fn.handler), ("Runtime", fn.runtime))
                   if value is None or value.definitely_absent()]
        if missing:
            what = " and ".join(missing)
            where = " (or in SAM Globals)" if fn.resource_type == "AWS::Serverless::Function" else ""
            yield self.finding(fn.source, f"Function {fn.display_name} is a zip package without {what}, which "
                                          f"Lambda requires. Set {what}{where}.",
                               resource=fn.id, resource_source=fn.source)
