from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules.quotas._common import SAM_HEADER, mb


class MemoryOutOfRange(FunctionRule):
    """MemorySize outside the range Lambda accepts.

    Lambda accepts 128 to 10,240 MB in 1-MB steps. Up to 32,768 MB is accepted only for
    functions on Lambda Managed Instances (`CapacityProviderConfig`). Every value the template
    can give (parameter defaults and allowed values, both branches of `Fn::If`, SAM `Globals`)
    is judged; a value the template does not determine is not.

    ## Why is this bad?
    CloudFormation, SAM and Terraform deployments fail when the function is created or
    updated with an out-of-range memory size, usually late in a stack update that then rolls
    back.

    ## How to fix
    Set `MemorySize` between 128 and 10,240 MB, or run the function on Lambda Managed
    Instances if it really needs more memory.
    """

    id = "QT001"
    name = "memory-out-of-range"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html",
    )
    bad_example = SAM_HEADER + "      MemorySize: 20000\n"
    good_example = SAM_HEADER + "      MemorySize: 2048\n"

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.memory_size is None:
            return
        low = ctx.quotas["memory-min"]
        managed = fn.capacity_provider is not None and not fn.capacity_provider.definitely_absent()
        managed_high = ctx.quotas["memory-max-managed-instances"]
        high = managed_high if managed else ctx.quotas["memory-max"]
        for v in fn.memory_size.possible():
            size = v.value
            if not isinstance(size, int) or isinstance(size, bool):
                continue
            if low <= size <= high:
                continue
            where = "below the minimum" if size < low else "above the maximum"
            limit = low if size < low else high
            extra = "" if managed or size < low or size > managed_high else (
                f" (up to {mb(managed_high)} only with Lambda Managed Instances, CapacityProviderConfig)"
            )
            yield self.at(v, f"Function {fn.display_name} sets MemorySize {mb(size)}, {where} of {mb(limit)}. "
                             f"Use {mb(low)} to {mb(high)}{extra}.", fn=fn)
