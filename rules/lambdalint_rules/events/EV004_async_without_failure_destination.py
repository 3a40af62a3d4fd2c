from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.model import Application, EventRule, LambdaFunction, Trigger
from lambdalint.references import same_value
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


#: the qualifier a source invokes cannot be told
UNKNOWN = object()


Source = tuple[str, SourceRef, Any, "Located[str] | None"]


def async_sources(fn: LambdaFunction, app: Application) -> Iterator[Source]:
    """What invokes the function asynchronously, where that is written, the qualifier it
    invokes (None: the unqualified function; :data:`UNKNOWN` when the input does not tell), and
    the value that names the function (None for a SAM event)."""
    for trig in fn.triggers:
        what = _sam_event(trig, app)
        if what is not None:
            yield what, trig.source, trig.qualifier, None
    for bucket in app.buckets.values():
        for note in bucket.notifications:
            if note.target_type == "lambda" and _names(note.target, fn, app):
                yield f"bucket {bucket.id}'s notification", note.source, _qualifier(note.target, fn, app), note.target
    for sub in app.subscriptions:
        if sub.protocol.known() == "lambda" and _names(sub.endpoint, fn, app):
            yield f"the subscription {sub.id}", sub.source, _qualifier(sub.endpoint, fn, app), sub.endpoint
    for rule in app.event_rules.values():
        for target in rule.targets:
            if _names(target.arn, fn, app) and not rule.implicit and not _off(rule):
                yield (f"{rule.label}{_TARGET_DLQ if target.dead_letter_target else ''}",
                       target.source, _qualifier(target.arn, fn, app), target.arn)
    for api in app.api_integrations:
        kind = api.invocation_type
        if kind is not None and kind.known() == "'Event'" and fn.named_by(api.function):
            yield f"API Gateway integration {api.id} with X-Amz-Invocation-Type 'Event'", kind.source, UNKNOWN, None


def _qualifier(target: Located[str] | None, fn: LambdaFunction, app: Application) -> Any:
    """The qualifier a source's target names: an alias's name, None for the function itself."""
    if target is None:
        return UNKNOWN
    if target.ref is not None and target.ref in app.aliases:
        name = app.aliases[target.ref].name
        return name if name is not None and name.is_known() else UNKNOWN
    if fn.named_by(target.ref):
        return None
    text = target.known()
    if isinstance(text, str) and ":function:" in text:
        rest = text.split(":function:", 1)[1].split(":")
        return Located(rest[1], target.source) if len(rest) > 1 else None
    return UNKNOWN


def _covered(qualifier: Any, configs: tuple[Located[str], ...]) -> bool:
    """The source's qualifier has an event invoke config with an on-failure destination (or
    either side is not known: never a guess)."""
    if qualifier is UNKNOWN:
        return True
    wanted = "$LATEST" if qualifier is None else qualifier.known()
    if wanted is None:
        return True
    return any(not c.is_known() or str(c.known()) == str(wanted) or same_value(c, qualifier) for c in configs)


def _shown(qualifier: Any) -> str:
    return "the unqualified function" if qualifier is None else f"qualifier {qualifier.known()}"


class AsyncWithoutFailureDestination(FunctionRule):
    """An asynchronously invoked function has neither a dead-letter queue nor an on-failure destination.

    Asynchronous sources are S3 notifications, SNS subscriptions, EventBridge rules and
    schedules, IoT rules and CloudWatch Logs subscriptions (SAM events or resources of the
    application), and API Gateway integrations that set `X-Amz-Invocation-Type: 'Event'`.
    An event invoke config applies to its qualifier only: a destination configured for an
    alias does not cover a source that invokes the unqualified function (`$LATEST`) or another
    alias, and the reverse; the source's qualifier is read from the ARN or reference it names
    (silent when either qualifier is not known).

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
        if fn.dead_letter_target is not None:
            return
        if fn.failure_destination is not None:  # judged per qualifier: a config covers only its own
            configured = ", ".join(sorted({str(c.known()) for c in fn.failure_qualifiers if c.is_known()}))
            for what, where, qualifier, named in async_sources(fn, ctx.app):
                if fn.failure_qualifiers and not _covered(qualifier, fn.failure_qualifiers):
                    message = (f"Function {fn.display_name} is invoked asynchronously ({what}) through "
                               f"{_shown(qualifier)}, but its on-failure destination is configured only for "
                               f"{configured}: events that keep failing there are discarded. Add an "
                               f"EventInvokeConfig for that qualifier, or invoke the one that has it.")
                    yield self.finding(named.source if named is not None else where, message,
                                       resource=fn.id, resource_source=fn.source)
            return
        found = next(async_sources(fn, ctx.app), None)
        if found is None:
            return
        what, where, _, _ = found
        yield self.finding(where, f"Function {fn.display_name} is invoked asynchronously ({what}) but has no "
                                  f"on-failure destination or dead-letter queue: events that keep failing are "
                                  f"discarded. Add DestinationConfig.OnFailure or a dead-letter queue.",
                           resource=fn.id, resource_source=fn.source)
