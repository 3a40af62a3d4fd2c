from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint.values import Located, SourceRef
from lambdalint_rules.runtime._lifecycle import default_architecture

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
        # every value the function's runtime and architecture may take (Fn::If branches,
        # parameter Default/AllowedValues); an unresolved runtime with no candidates is not judged
        actual: dict[str, list[tuple[str, SourceRef | None]]] = {
            "runtime": [(str(v.value), v.source) for v in fn.runtime.possible()] if fn.runtime is not None else [],
            "architecture": _architectures(fn, default_architecture(ctx.data)),
        }
        for item in fn.layers.value:  # type: ignore[union-attr]
            layer = ctx.app.layers.get(item.ref or "")
            if layer is None:
                continue
            for label, declared in (("runtime", layer.compatible_runtimes),
                                    ("architecture", layer.compatible_architectures)):
                allowed = _declared(declared)
                if allowed is None or declared is None:
                    continue
                bad = [(value, src) for value, src in actual[label] if value not in allowed]
                if not bad:
                    continue
                names = " or ".join(dict.fromkeys(value for value, _ in bad))
                related = [Related(declared.source, f"the layer's compatible {label}s")]
                related += [Related(src, f"the function's {label}") for _, src in bad if src is not None]
                yield self.at(item, f"Function {fn.display_name} ({label} {names}) uses layer {layer.id}, which "
                                    f"declares compatible {label}s {', '.join(allowed)}. Build the layer for "
                                    f"{names} or attach a matching version.", fn=fn, related=related)


def _declared(declared: Located[tuple[Located[str], ...]] | None) -> list[str] | None:
    """The layer's declared values when all are known and there is at least one."""
    if declared is None or not declared.is_known():
        return None
    values = [v.known() for v in declared.value]  # type: ignore[union-attr]
    if not values or any(v is None for v in values):
        return None
    return [str(v) for v in values]


def _architectures(fn: LambdaFunction, default: str) -> list[tuple[str, SourceRef | None]]:
    """Every architecture the function may have; ``default`` (no location) when Architectures
    is not set or may be absent. A list that is not exactly one item is invalid and not judged."""
    archs = fn.architectures
    if archs is None or archs.definitely_absent():
        return [(default, None)]
    out: list[tuple[str, SourceRef | None]] = [(default, None)] if archs.may_be_absent() else []
    for lst in archs.possible():
        items = lst.value
        if isinstance(items, tuple) and len(items) == 1:
            out.extend((str(a.value), a.source) for a in items[0].possible())
    return out
