from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules._examples import sam_function
from lambdalint_rules.events._common import number


class AsyncConfigOutOfRange(FunctionRule):
    """Asynchronous invocation settings outside the range Lambda accepts.

    `MaximumRetryAttempts` must be 0 to 2 and `MaximumEventAgeInSeconds` 60 to 21,600 (six
    hours), in `AWS::Lambda::EventInvokeConfig`, SAM `EventInvokeConfig` and
    `aws_lambda_function_event_invoke_config`.

    ## Why is this bad?
    PutFunctionEventInvokeConfig refuses other values, so the deployment fails.

    ## How to fix
    Use 0, 1 or 2 retries and an event age between 60 and 21,600 seconds; for longer
    processing, send failed events to an on-failure destination instead.
    """

    id = "EV006"
    name = "async-config-out-of-range"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("async",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configuring.html",
    )
    bad_example = sam_function("      EventInvokeConfig:\n        MaximumRetryAttempts: 5\n")
    good_example = sam_function("      EventInvokeConfig:\n        MaximumRetryAttempts: 1\n")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        for loc, label, low, high in (
                (fn.max_retry_attempts, "MaximumRetryAttempts", number(ctx, "async", "retries-min"),
                 number(ctx, "async", "retries-max")),
                (fn.max_event_age, "MaximumEventAgeInSeconds", number(ctx, "async", "event-age-min"),
                 number(ctx, "async", "event-age-max"))):
            if loc is None:
                continue
            for value in loc.possible():
                n = value.known()
                if isinstance(n, int) and not low <= n <= high:
                    yield self.at(value, f"Function {fn.display_name} sets {label} {n:,}; Lambda accepts "
                                         f"{low:,} to {high:,}.", fn=fn)
