from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.recursion._common import graph, hops, loops
from lambdalint_rules.recursion.RC001_recursive_loop import _LOOP


class LoopDetectionDisabled(ApplicationRule):
    """A function in a recursive loop turns Lambda's loop detection off (`RecursiveLoop: Allow`).

    Terraform: `aws_lambda_function_recursion_config` with `recursive_loop = "Allow"`.

    ## Why is this bad?
    With `Allow`, Lambda no longer stops the loop after about 16 invocations: a loop that RC001
    finds runs until the function is throttled or someone deletes it.

    ## How to fix
    Remove `RecursiveLoop` (the default is `Terminate`); if the recursion is intended, bound it
    in code (a depth counter in the message) and keep this suppressed with a reason.
    """

    id = "RC002"
    name = "loop-detection-disabled"
    severity = Severity.ERROR
    kind = "soft"
    tags = ("recursion", "cost")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html",
        "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionRecursionConfig.html",
    )
    bad_example = _LOOP.replace("KEY", "incoming/") + "      RecursiveLoop: Allow\n"
    good_example = _LOOP.replace("KEY", "resized/") + "      RecursiveLoop: Allow\n"

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        found = loops(ctx)
        if not found:
            return
        g = graph(ctx)
        done: set[str] = set()
        for loop in found:
            for node_id in loop.nodes:
                fn = app.functions.get(node_id)
                if fn is None or fn.recursive_loop is None or node_id in done:
                    continue
                for value in fn.recursive_loop.possible():
                    if value.known() == "Allow":
                        done.add(node_id)
                        yield self.at(value, f"Function {fn.display_name} sets RecursiveLoop to Allow but is part of "
                                             f"a recursive loop ({hops(g, loop)}): nothing will stop it. Remove "
                                             f"RecursiveLoop or break the loop.", fn=fn)
