from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules._examples import sam_function
from lambdalint_rules.runtime._lifecycle import blocked, lifecycle_table


class RuntimeDeprecated(FunctionRule):
    """A runtime past its deprecation date.

    After its deprecation date a runtime gets no more security patches or support. The dates
    come from the lifecycle table cfn-lint maintains from AWS's runtime page; "today" can be
    fixed with `--today` or `today` in the config. A runtime already past a block date is
    reported by RT002 alone (it is more than deprecated: deployments fail).

    ## Why is this bad?
    The function keeps running on an unpatched language runtime and operating system, and
    will soon be blocked from creation and updates, which breaks deployments.

    ## How to fix
    Move to the successor runtime named in the message and test the function on it.
    """

    id = "RT001"
    name = "runtime-deprecated"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("runtime",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
        "https://github.com/aws-cloudformation/cfn-lint/blob/main/src/cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json",
    )
    bad_example = sam_function(runtime="python3.9")
    good_example = sam_function(runtime="python3.13")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        table = lifecycle_table()
        if fn.runtime is None or table is None:
            return
        for v in fn.runtime.possible():
            life = table.get(str(v.value))
            if life is None or life.deprecated is None or ctx.today < life.deprecated or blocked(life, ctx.today):
                continue
            successor = f" Move to {life.successor}." if life.successor else ""
            yield self.at(v, f"Function {fn.display_name} uses {v.value}, deprecated since "
                             f"{life.deprecated.isoformat()}: it gets no more security patches.{successor}", fn=fn)
