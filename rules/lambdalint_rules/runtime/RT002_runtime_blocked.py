from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules._examples import sam_function
from lambdalint_rules.runtime._lifecycle import Lifecycle, lifecycle_table


class RuntimeBlocked(FunctionRule):
    """A runtime past its create-block or update-block date.

    After the create-block date Lambda refuses to create functions with the runtime (a new
    stack, or a CloudFormation replacement); after the update-block date it also refuses to
    update their code or configuration. Dates come from the lifecycle table cfn-lint
    maintains; "today" can be fixed with `--today`.

    ## Why is this bad?
    The deployment fails: CreateFunction (and later UpdateFunctionCode and
    UpdateFunctionConfiguration) are rejected for a blocked runtime.

    ## How to fix
    Move to the successor runtime named in the message.
    """

    id = "RT002"
    name = "runtime-blocked"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("runtime",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtime-support-policy",
        "https://github.com/aws-cloudformation/cfn-lint/blob/main/src/cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json",
    )
    bad_example = sam_function(runtime="python2.7")
    good_example = sam_function(runtime="python3.13")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        table = lifecycle_table()
        if fn.runtime is None or table is None:
            return
        for v in fn.runtime.possible():
            life = table.get(str(v.value))
            if life is None:
                continue
            what = _blocked(life, ctx.today)
            if what is None:
                continue
            successor = f" Move to {life.successor}." if life.successor else ""
            yield self.at(v, f"Function {fn.display_name} uses {v.value}, {what}.{successor}", fn=fn)


def _blocked(life: Lifecycle, today: date) -> str | None:
    """What is blocked on ``today``, with the dates, or ``None`` when nothing is."""
    create, update = life.create_block, life.update_block
    create_blocked = create is not None and today >= create
    update_blocked = update is not None and today >= update
    if update_blocked and update is not None:
        if create_blocked and create is not None:
            return (f"blocked for new functions since {create.isoformat()} and for updates since "
                    f"{update.isoformat()}: Lambda refuses to create or update functions with it")
        return f"blocked for updates since {update.isoformat()}: Lambda refuses to update functions with it"
    if create_blocked and create is not None:
        later = f" (updates are blocked from {update.isoformat()})" if update is not None else ""
        return (f"blocked for new functions since {create.isoformat()}: creating the function, or "
                f"replacing it, fails{later}")
    return None
