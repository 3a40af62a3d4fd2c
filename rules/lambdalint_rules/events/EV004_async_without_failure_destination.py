from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application, EventRule, LambdaFunction, Trigger
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint.values import Located, SourceRef
from lambdalint_rules._examples import sam_function

#: SAM event types whose service invokes the function asynchronously
_ASYNC_EVENTS = ("S3", "SNS", "EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2", "IoTRule",
                 "CloudWatchLogs")
_S3 = ("      Events:\n        Upload:\n          Type: S3\n          Properties:\n            Bucket: !Ref Uploads\n"
       "            Events: s3:ObjectCreated:*\n")
_BUCKET = "  Uploads:\n    Type: AWS::S3::Bucket\n"


def _names(loc: Located[str] | None, fn: LambdaFunction, app: Application) -> bool:
    """The value names the function, or one of its aliases or versions."""
    return loc is not None and fn.named_by(app.unaliased(loc.ref))


#: a rule target's dead-letter queue is not the function's
_TARGET_DLQ = ", whose dead-letter queue keeps only the events EventBridge cannot hand to Lambda"


def _off(rule: EventRule) -> bool:
    """A rule or schedule certainly turned off: it sends nothing."""
    return rule.state is not None and rule.state.known() == "DISABLED"


def _sam_event(trig: Trigger, app: Application) -> str | None:
    """How a SAM event invokes the function asynchronously, judged on what SAM creates for it
    (the rule or schedule, the subscription, which the parsers read under the event's id);
    None when it does not."""
    if trig.type not in _ASYNC_EVENTS:
        return None
    rule = app.event_rules.get(trig.id)
    if rule is not None and rule.implicit:
        if _off(rule):
            return None
        dlq = any(t.dead_letter_target is not None for t in rule.targets)
        return f"its {trig.type} event{_TARGET_DLQ if dlq else ''}"
    sub = next((s for s in app.subscriptions if s.id == trig.id and s.implicit), None)
    if sub is not None and sub.protocol.known() != "lambda":
        return None  # through a queue (SqsSubscription), which the function polls, or not known
    return f"its {trig.type} event"


def async_source(fn: LambdaFunction, app: Application) -> tuple[str, SourceRef] | None:
    """What invokes the function asynchronously, and where that is written (None: nothing known)."""
    for trig in fn.triggers:
        what = _sam_event(trig, app)
        if what is not None:
            return what, trig.source
    for bucket in app.buckets.values():
        for note in bucket.notifications:
            if note.target_type == "lambda" and _names(note.target, fn, app):
                return f"bucket {bucket.id}'s notification", note.source
    for sub in app.subscriptions:
        if sub.protocol.known() == "lambda" and _names(sub.endpoint, fn, app):
            return f"the subscription {sub.id}", sub.source
    for rule in app.event_rules.values():
        for target in rule.targets:
            if _names(target.arn, fn, app) and not rule.implicit and not _off(rule):
                return f"EventBridge rule {rule.id}{_TARGET_DLQ if target.dead_letter_target else ''}", target.source
    for api in app.api_integrations:
        kind = api.invocation_type
        if kind is not None and kind.known() == "'Event'" and fn.named_by(api.function):
            return f"API Gateway integration {api.id} with X-Amz-Invocation-Type 'Event'", kind.source
    return None


class AsyncWithoutFailureDestination(FunctionRule):
    """An asynchronously invoked function has neither a dead-letter queue nor an on-failure destination.

    Asynchronous sources are S3 notifications, SNS subscriptions, EventBridge rules and
    schedules, IoT rules and CloudWatch Logs subscriptions (SAM events or resources of the
    application), and API Gateway integrations that set `X-Amz-Invocation-Type: 'Event'`.

    ## Why is this bad?
    When an asynchronous invocation keeps failing, Lambda retries it (twice by default) and then
    discards the event: the order, upload or message is lost without a trace.

    ## How to fix
    Add an on-failure destination (`EventInvokeConfig.DestinationConfig.OnFailure`, an SQS
    queue, SNS topic, function, event bus or S3 bucket) or a dead-letter queue.
    """

    id = "EV004"
    name = "async-without-failure-destination"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("async",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html",
    )
    bad_example = sam_function(_S3) + _BUCKET
    good_example = sam_function(_S3 + "      EventInvokeConfig:\n        DestinationConfig:\n          OnFailure:\n"
                                "            Type: SQS\n") + _BUCKET

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.dead_letter_target is not None or fn.failure_destination is not None:
            return
        found = async_source(fn, ctx.app)
        if found is None:
            return
        what, where = found
        yield self.finding(where, f"Function {fn.display_name} is invoked asynchronously ({what}) but has no "
                                  f"on-failure destination or dead-letter queue: events that keep failing are "
                                  f"discarded. Add DestinationConfig.OnFailure or a dead-letter queue.",
                           resource=fn.id, resource_source=fn.source)
