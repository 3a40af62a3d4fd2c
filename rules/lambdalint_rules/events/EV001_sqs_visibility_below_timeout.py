from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules.events._common import SQS, sqs_sources


class SqsVisibilityBelowTimeout(FunctionRule):
    """An SQS event source's queue has a visibility timeout shorter than the function's timeout.

    Unset values take their defaults: 30 seconds for the queue, 3 seconds for the function.
    Covers SAM `SQS` events, `AWS::Lambda::EventSourceMapping` and
    `aws_lambda_event_source_mapping` on a queue the application defines.

    ## Why is this bad?
    Lambda refuses to create or update the event source mapping ("Queue visibility timeout: 30
    seconds is less than Function timeout"), so the deployment fails. Were it accepted, a
    message would reappear on the queue while the function still works on it and be processed
    twice.

    ## How to fix
    Raise the queue's `VisibilityTimeout` to at least the function's timeout (AWS recommends
    six times the timeout plus the batching window).
    """

    id = "EV001"
    name = "sqs-visibility-below-timeout"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("event-source", "sqs")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
    )
    bad_example = SQS.replace("VISIBILITY", "30").replace("TIMEOUT", "60")
    good_example = SQS.replace("VISIBILITY", "360").replace("TIMEOUT", "60")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        for s in sqs_sources(fn, ctx.app, ctx):
            if s.visibility >= s.timeout:
                continue
            where = s.visibility_at or s.timeout_at
            if where is None:
                continue
            default = "" if s.visibility_at is not None else " (the default, as the queue sets none)"
            related = [Related(s.queue.source, f"queue {s.queue.id}")]
            if s.timeout_at is not None and where is not s.timeout_at:
                related.append(Related(s.timeout_at.source, "the function's timeout"))
            yield self.at(where, f"Queue {s.queue.id} has a visibility timeout of {s.visibility} s{default}, less "
                                 f"than function {fn.display_name}'s timeout of {s.timeout} s: Lambda refuses the "
                                 f"event source mapping. Set VisibilityTimeout to at least {s.timeout} s.", fn=fn,
                          related=related)
