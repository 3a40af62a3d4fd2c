from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint.values import Located
from lambdalint_rules.events._common import SQS, number


def _prop(props: Any, *keys: str) -> Located[Any] | None:
    return next((props[k] for k in keys if k in props), None)


class BatchSizeOutOfRange(FunctionRule):
    """An event source mapping's batch size is outside what its source accepts.

    SQS: 1 to 10,000, at most 10 for a FIFO queue, and above 10 only with a batching window
    (`MaximumBatchingWindowInSeconds` of at least 1). Kinesis, DynamoDB streams, MSK,
    self-managed Kafka, Amazon MQ and DocumentDB: 1 to 10,000.

    ## Why is this bad?
    CreateEventSourceMapping refuses the batch size, so the deployment fails.

    ## How to fix
    Use a batch size within the source's range; for an SQS batch above 10, set a batching window.
    """

    id = "EV003"
    name = "batch-size-out-of-range"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("event-source",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
    )
    bad_example = SQS.replace("VISIBILITY", "360").replace("TIMEOUT", "60") + "            BatchSize: 100\n"
    good_example = SQS.replace("VISIBILITY", "360").replace("TIMEOUT", "60") + (
        "            BatchSize: 100\n            MaximumBatchingWindowInSeconds: 5\n")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        low, high = number(ctx, "batch", "min"), number(ctx, "batch", "max")
        for trig in fn.triggers:
            if trig.type not in ("SQS", "Kinesis", "DynamoDB", "MSK", "SelfManagedKafka", "MQ", "DocumentDB"):
                continue
            size = _prop(trig.properties, "BatchSize", "batch_size")
            if size is None:
                continue
            for value in size.possible():
                n = value.known()
                if not isinstance(n, int) or isinstance(n, bool):
                    continue
                problem = None
                if not low <= n <= high:
                    problem = f"{trig.type} batches are {low:,} to {high:,}"
                elif trig.type == "SQS":
                    problem = self._sqs(ctx, trig, n)
                if problem:
                    yield self.at(value, f"Function {fn.display_name}'s {trig.type} event source has batch size "
                                         f"{n:,}: {problem}.", fn=fn)

    @staticmethod
    def _sqs(ctx: Context, trig: Any, n: int) -> str | None:
        queue = ctx.app.queues.get(trig.source_arn.ref) if trig.source_arn is not None and trig.source_arn.ref else None
        fifo_max = number(ctx, "batch", "sqs-fifo-max")
        if queue is not None and queue.fifo is not None and queue.fifo.known() is True and n > fifo_max:
            return f"a FIFO queue allows at most {fifo_max}"
        plain_max = number(ctx, "batch", "sqs-without-window-max")
        if n > plain_max:
            window = _prop(trig.properties, "MaximumBatchingWindowInSeconds", "maximum_batching_window_in_seconds")
            value = window.known() if window is not None else 0
            if isinstance(value, int) and value < 1:
                return (f"above {plain_max} Lambda requires a batching window "
                        f"(MaximumBatchingWindowInSeconds of 1 or more)")
        return None
