from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules.quotas._common import SAM_HEADER


class TimeoutOutOfRange(FunctionRule):
    """Timeout outside the range Lambda accepts.

    Lambda accepts a timeout of 1 to 900 seconds (15 minutes). Functions on Lambda Managed
    Instances (`CapacityProviderConfig`) may run longer when invoked asynchronously, so the
    Managed Instances maximum applies to them.

    ## Why is this bad?
    The deployment fails when the function is created or updated: CloudFormation's schema,
    the SAM transform's output and the Terraform provider all reject a timeout above 900 s or
    below 1 s.

    ## How to fix
    Set `Timeout` between 1 and 900 seconds. Work that takes longer belongs in Step Functions,
    a queue of smaller tasks, ECS/Fargate, or a Managed Instances function.
    """

    id = "QT002"
    name = "timeout-out-of-range"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html",
    )
    bad_example = SAM_HEADER + "      Timeout: 1200\n"
    good_example = SAM_HEADER + "      Timeout: 900\n"

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.timeout is None:
            return
        low = ctx.quotas["timeout-min"]
        managed = fn.capacity_provider is not None and not fn.capacity_provider.definitely_absent()
        managed_high = ctx.quotas["timeout-max-managed-instances"]
        high = managed_high if managed else ctx.quotas["timeout-max"]
        for v in fn.timeout.possible():
            seconds = v.value
            if not isinstance(seconds, int) or isinstance(seconds, bool):
                continue
            if low <= seconds <= high:
                continue
            where = f"below the minimum of {low} s" if seconds < low else f"above the maximum of {high:,} s"
            extra = "" if managed or seconds < low or seconds > managed_high else (
                f" (up to {managed_high:,} s only on Lambda Managed Instances, CapacityProviderConfig, for "
                f"asynchronous and event source mapping invocations)"
            )
            yield self.at(v, f"Function {fn.display_name} sets Timeout {seconds:,} s, {where}. "
                             f"Use {low} to {high:,} seconds{extra}.", fn=fn)
