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
      PackageType: Image
      ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1
"""


#: what replaces each zip setting in an image
_ADVICE = {
    "Handler": "set the command in the image configuration: ImageConfig.Command, Terraform image_config.command",
    "Runtime": "the image's base image is the runtime",
    "Layers": "build the layers' contents into the image",
}


class ImageWithZipSettings(FunctionRule):
    """A container-image function that sets Handler, Runtime or Layers.

    With `PackageType: Image` the image brings its own runtime, entry point and
    dependencies; `Handler`, `Runtime` and `Layers` belong to zip packages only (use
    `ImageConfig` to override the command).

    ## Why is this bad?
    Lambda rejects the function ("Specifying a runtime results in an error if you're deploying
    a function using a container image"), so the deployment fails.

    ## How to fix
    Remove `Handler`, `Runtime` and `Layers`; set `ImageConfig.Command` instead of a handler
    and build the layer contents into the image.
    """

    id = "RT005"
    name = "image-with-zip-settings"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("runtime", "packaging")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/images-create.html",
        "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
    )
    bad_example = _SAM + "      Runtime: python3.13\n"
    good_example = _SAM + "      ImageConfig:\n        Command: [app.handler]\n"

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.package_type is None or fn.package_type.known() != "Image":
            return
        for prop, value in (("Handler", fn.handler), ("Runtime", fn.runtime), ("Layers", fn.layers)):
            # an empty list sets nothing (SAM accepts `Layers: []` on an image function)
            if value is None or value.definitely_absent() or value.known() in ((), [], ""):
                continue
            yield self.at(value, f"Function {fn.display_name} is a container image but sets {prop}, which Lambda "
                                 f"rejects for images. Remove it ({_ADVICE[prop]}).", fn=fn)
