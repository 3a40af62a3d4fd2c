from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules._examples import sam_function

_STREAM = ("      Events:\n        Clicks:\n          Type: Kinesis\n          Properties:\n"
           "            Stream: arn:aws:kinesis:eu-west-1:123456789012:stream/clicks\n"
           "            StartingPosition: LATEST\n")


def _set(props: Any, name: str) -> bool:
    """The mapping sets ``name`` (CloudFormation spelling; Terraform's snake case too) to a
    value other than -1 (infinite)."""
    snake = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    value = props.get(name) or props.get(snake)
    if value is None:
        return False
    known = value.known() if hasattr(value, "known") else value
    return known is not None and str(known) != "-1"


def _on_failure(props: Any) -> bool | None:
    """Whether the mapping names an on-failure destination (None: cannot tell)."""
    if "dynamic" in props:  # a Terraform dynamic block may add one
        return None
    config = props.get("DestinationConfig") or props.get("destination_config")
    if config is None:
        return False
    value = config.value
    if isinstance(value, tuple):  # a Terraform block (a plan writes an absent one as [])
        if not value:
            return False
        value = value[0].value if isinstance(value[0].value, dict) else None
    if not isinstance(value, dict):
        return None
    failure = value.get("OnFailure") or value.get("on_failure")
    if failure is None:
        return False
    return True


class StreamWithoutFailureDestination(FunctionRule):
    """A Kinesis or DynamoDB stream event source has no on-failure destination.

    ## Why is this bad?
    When a batch keeps failing, Lambda retries it until the records expire (up to a week for
    Kinesis, a day for DynamoDB streams) and the shard stops advancing meanwhile; when they
    expire the records are gone without a trace.

    ## How to fix
    Add `DestinationConfig.OnFailure` (an SQS queue, SNS topic or S3 bucket) to keep the
    failed batches' details, and bound the retries (`MaximumRetryAttempts`,
    `BisectBatchOnFunctionError`).
    """

    id = "EV005"
    name = "stream-without-failure-destination"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("event-source", "streams")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-errors.html",
    )
    bad_example = sam_function(_STREAM)
    good_example = sam_function(_STREAM + "            DestinationConfig:\n              OnFailure:\n"
                                "                Destination: arn:aws:sqs:eu-west-1:123456789012:failed\n")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        for trig in fn.triggers:
            if trig.type not in ("Kinesis", "DynamoDB") or _on_failure(trig.properties) is not False:
                continue
            bounded = [name for name in ("MaximumRetryAttempts", "MaximumRecordAgeInSeconds")
                       if _set(trig.properties, name)]
            if bounded:  # retries end: the batch is then skipped and lost, the shard moves on
                what = f"failing batches are retried until {' or '.join(bounded)} ends them, then dropped unseen"
            else:
                what = "failing batches block the shard and are lost when they expire"
            yield self.finding(trig.source, f"Function {fn.display_name}'s {trig.type} stream source has no on-failure "
                                            f"destination: {what}. Add DestinationConfig.OnFailure.", resource=fn.id,
                               resource_source=fn.source)
