from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules.events._common import SQS, number, sqs_sources


class SqsVisibilityBelowRecommended(FunctionRule):
    """An SQS queue's visibility timeout is below six times the function's timeout plus the batching window.

    Unset values take their defaults (queue 30 s, function 3 s, batching window 0). Not
    reported where EV001 already is (visibility below the timeout itself).

    ## Why is this bad?
    When Lambda is throttled or retries a batch, messages can become visible again while a
    previous attempt is still running, and are processed twice or land in the dead-letter
    queue early. AWS recommends a visibility timeout of at least six times the function timeout
    plus `MaximumBatchingWindowInSeconds`.

    ## How to fix
    Raise the queue's `VisibilityTimeout` to six times the function's timeout plus the batching
    window.
    """

    id = "EV002"
    name = "sqs-visibility-below-recommended"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("event-source", "sqs")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
    )
    bad_example = SQS.replace("VISIBILITY", "90").replace("TIMEOUT", "60")
    good_example = SQS.replace("VISIBILITY", "360").replace("TIMEOUT", "60")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        factor = number(ctx, "sqs", "recommended-factor")
        for s in sqs_sources(fn, ctx.app, ctx):
            wanted = factor * s.timeout + s.window
            if s.visibility < s.timeout or s.visibility >= wanted:
                continue
            where = s.visibility_at or s.timeout_at
            if where is None:
                continue
            default = "" if s.visibility_at is not None else " (the default, as the queue sets none)"
            yield self.at(where, f"Queue {s.queue.id} has a visibility timeout of {s.visibility} s{default}; with "
                                 f"function {fn.display_name}'s timeout of {s.timeout} s and a batching window of "
                                 f"{s.window} s AWS recommends at least {wanted} s, so retried messages are not "
                                 f"processed twice.", fn=fn, related=[Related(s.queue.source, f"queue {s.queue.id}")])
