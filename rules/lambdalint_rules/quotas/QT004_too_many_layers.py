from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules.quotas._common import SAM_HEADER

_LAYERS = "".join(f"        - arn:aws:lambda:us-east-1:123456789012:layer:l{i}:1\n" for i in range(1, 7))


class TooManyLayers(FunctionRule):
    """More than 5 layers on one function.

    Counted after SAM `Globals` are merged (a function's `Layers` are appended to the global
    ones). A layer entry that may be `AWS::NoValue` does not count.

    ## Why is this bad?
    Lambda rejects the function with "Cannot reference more than 5 layers", so the deployment
    fails.

    ## How to fix
    Merge layers, move dependencies into the deployment package, or use a container image.
    """

    id = "QT004"
    name = "too-many-layers"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html",
    )
    bad_example = SAM_HEADER + "      Layers:\n" + _LAYERS
    good_example = SAM_HEADER + "      Layers:\n" + _LAYERS.split("\n", 1)[1]

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.layers is None:
            return
        limit = ctx.quotas["layers-max"]
        for lst in fn.layers.possible():
            items = lst.value
            if not isinstance(items, tuple):
                continue
            present = [item for item in items if not item.may_be_absent()]
            if len(present) <= limit:
                continue
            over = present[limit]
            related = [Related(lst.source, "the layer list")] if lst.source != over.source else []
            if lst.origin is not None and lst.origin != lst.source:  # a list from a mapping or parameter
                related.append(Related(lst.origin, "the property that takes this list"))
            yield self.at(over, f"Function {fn.display_name} has {len(present)} layers, more than the {limit} "
                                f"Lambda allows; this is layer {limit + 1}. Merge layers or move "
                                f"dependencies into the package or a container image.", fn=fn, related=related)
