from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity

_SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: s3://artifacts/app.zip
      Runtime: python3.13
      Layers: [!Ref Deps]
  Deps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: s3://artifacts/deps.zip
      CompatibleRuntimes: [{runtime}]
"""

#: Lambda's default architecture when Architectures is not set (lambda-facts Q4)
DEFAULT_ARCHITECTURE = "x86_64"


class LayerIncompatible(FunctionRule):
    """A layer defined in the application that declares it does not fit the function.

    A layer's `CompatibleRuntimes` and `CompatibleArchitectures` are metadata: Lambda attaches
    the layer anyway. When they exclude the function's runtime or architecture (x86_64 when
    `Architectures` is not set), the layer was built for something else.

    ## Why is this bad?
    Native code built for another architecture fails with "exec format error", and libraries
    built for another language version fail to import, at run time rather than at deploy time.

    ## How to fix
    Build the layer for the function's runtime and architecture (and declare them), or attach
    the matching layer version.
    """

    id = "RT007"
    name = "layer-incompatible"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("runtime", "layers")
    # a plan knows a function's layers only as ARNs (or, before apply, not at all), never
    # which layer resource of the plan they are
    dialects = ("sam", "cfn", "tf")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/creating-deleting-layers.html",
    )
    bad_example = _SAM.format(runtime="python3.9")
    good_example = _SAM.format(runtime="python3.13")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.layers is None or not fn.layers.is_known():
            return
        runtime = fn.runtime.known() if fn.runtime is not None else None
        arch: str | None = DEFAULT_ARCHITECTURE
        if fn.architectures is not None:
            archs = fn.architectures.known()
            arch = archs[0].known() if archs and len(archs) == 1 else None
        for item in fn.layers.value:  # type: ignore[union-attr]
            layer = ctx.app.layers.get(item.ref or "")
            if layer is None:
                continue
            for label, declared, actual in (("runtime", layer.compatible_runtimes, runtime),
                                            ("architecture", layer.compatible_architectures, arch)):
                if declared is None or actual is None or not declared.is_known():
                    continue
                values = [v.known() for v in declared.value]  # type: ignore[union-attr]
                if None in values or not values or actual in values:
                    continue
                yield self.at(item, f"Function {fn.display_name} ({label} {actual}) uses layer {layer.id}, which "
                                    f"declares compatible {label}s {', '.join(map(str, values))}. Build the layer "
                                    f"for {actual} or attach a matching version.",
                              fn=fn, related=[Related(declared.source, f"the layer's compatible {label}s")])
