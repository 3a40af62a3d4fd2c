from __future__ import annotations

from collections.abc import Iterator

from lambdalint.graph import CONFIGURED
from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules._examples import sam_function
from lambdalint_rules.recursion._common import graph


class SelfInvocation(ApplicationRule):
    """A function is allowed to invoke itself.

    Its execution role allows `lambda:InvokeFunction` (or `lambda:InvokeAsync`) on its own ARN
    or on a name pattern that matches it (SAM `LambdaInvokePolicy` grants `function:<name>*`), or
    its asynchronous destination is the function itself. A grant on every function
    (`Resource: "*"`, AWSLambdaRole) is IM002's concern: it says nothing about this function.

    ## Why is this bad?
    A function that calls itself recurses on every bug that skips its stop condition. Lambda
    stops direct self-invocation after about 16 calls of one chain, but each chain still costs,
    and fan-out (one call starting several) grows faster than detection reacts.

    ## How to fix
    Use a queue or Step Functions for iteration, or grant `lambda:InvokeFunction` only on the
    functions it really calls.
    """

    id = "RC003"
    name = "self-invocation"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("recursion", "cost")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html",
    )
    bad_example = sam_function("      FunctionName: crawler\n      Policies:\n        - LambdaInvokePolicy:\n"
                               "            FunctionName: crawler\n")
    good_example = sam_function("      FunctionName: crawler\n      Policies:\n        - LambdaInvokePolicy:\n"
                                "            FunctionName: indexer\n")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        g = graph(ctx)
        for fid, fn in app.functions.items():
            # a destination that is the function itself is a loop, RC001's; here: permissions
            edges = [e for e in g.edges.get((fid, fid)) or () if e.detail not in CONFIGURED]
            if not edges:
                continue
            edge = next((e for e in edges if not e.wildcard), edges[0])
            if edge.wildcard:
                continue
            how = f"({edge.detail})"
            yield self.finding(edge.source, f"Function {fn.display_name} is allowed to invoke itself {how}; "
                                            f"grant lambda:InvokeFunction only on the functions it calls.",
                               resource=fid, resource_source=fn.source)
