"""Event sources and destinations in CloudFormation and SAM: buckets and their notifications,
queues, topics and subscriptions, tables and their streams, Kinesis streams, EventBridge buses,
rules and schedules (including the ones SAM events create)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lambdalint.model import (
    Bucket,
    BucketNotification,
    EventBus,
    EventRule,
    EventTarget,
    KinesisStream,
    LambdaFunction,
    Queue,
    Subscription,
    Table,
    Topic,
    Trigger,
)
from lambdalint.parsers.common import as_bool
from lambdalint.parsers.intrinsics import _esc
from lambdalint.values import Located, SourceRef, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.cloudformation import TemplateParser
    from lambdalint.parsers.nodes import Node

#: bucket notification lists and the target type and key of each
_NOTIFICATIONS = (("LambdaConfigurations", "lambda", "Function"), ("QueueConfigurations", "sqs", "Queue"),
                  ("TopicConfigurations", "sns", "Topic"))


def read(p: TemplateParser, functions: Mapping[str, LambdaFunction]) -> dict[str, Any]:
    """The ``Application`` fields ``buckets``, ``queues``, ``topics``, ``subscriptions``,
    ``tables``, ``streams``, ``event_rules`` and ``event_buses``."""
    out: dict[str, Any] = {"buckets": {}, "queues": {}, "topics": {}, "subscriptions": [], "tables": {},
                           "streams": {}, "event_rules": {}, "event_buses": {}}
    for rid, node in p.resources.items():
        rtype = p.resource_types.get(rid, "")
        reader = _READERS.get(rtype)
        if reader is not None:
            ptr = f"/Resources/{_esc(rid)}/Properties"
            reader(p, rid, rtype, p.declarations[rid], p.sub(node, "Properties"), ptr, out)
    for fn in functions.values():
        for trig in fn.triggers:
            _sam_event(p, fn, trig, out)
    out["subscriptions"] = tuple(out["subscriptions"])
    return out


# -- resources -----------------------------------------------------------------------------

def _bucket(p: TemplateParser, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
            out: dict[str, Any]) -> None:
    notes: list[BucketNotification] = []
    unresolved = False
    config = p.prop(props, "NotificationConfiguration", ptr)
    if config is not None:
        if not isinstance(config.value, dict):
            unresolved = True
        else:
            for key, kind, target_key in _NOTIFICATIONS:
                listed = config.value.get(key)
                if listed is None:
                    continue
                if not isinstance(listed.value, tuple):
                    unresolved = True
                    continue
                for item in listed.value:
                    if not isinstance(item.value, dict):
                        unresolved = True
                        continue
                    notes.append(_notification(p, item, kind, target_key))
            eb = config.value.get("EventBridgeConfiguration")
            if eb is not None and isinstance(eb.value, dict):
                enabled = eb.value.get("EventBridgeEnabled")
                if enabled is None or enabled.known() in (True, "true", "True"):
                    notes.append(BucketNotification(eb.source, "eventbridge", None))
    out["buckets"][rid] = Bucket(rid, rtype, decl, p.str_prop(props, "BucketName", ptr), tuple(notes), unresolved)


def _notification(p: TemplateParser, item: Located[Any], kind: str, target_key: str) -> BucketNotification:
    d: dict[str, Located[Any]] = item.value if isinstance(item.value, dict) else {}
    target = d.get(target_key)
    event = d.get("Event")
    prefix, suffix = _key_filter(d.get("Filter"))
    return BucketNotification(item.source, kind, p.r.string(target, target_key) if target is not None else None,
                              (p.r.string(event, "Event"),) if event is not None else (), prefix, suffix)


def _key_filter(filt: Located[Any] | None) -> tuple[Located[str] | None, Located[str] | None]:
    """(prefix, suffix) of an S3 key filter ``{S3Key: {Rules: [{Name, Value}]}}``; a filter that
    is not readable gives unknown values, so that no scope is assumed."""
    if filt is None:
        return None, None
    unknown: Located[str] = Located(Unresolved("filter"), filt.source)
    key = filt.value.get("S3Key") if isinstance(filt.value, dict) else None
    rules = key.value.get("Rules") if key is not None and isinstance(key.value, dict) else None
    if rules is None or not isinstance(rules.value, tuple):
        return unknown, unknown
    prefix = suffix = None
    for rule in rules.value:
        if not isinstance(rule.value, dict):
            return unknown, unknown
        name, value = rule.value.get("Name"), rule.value.get("Value")
        label = str(name.known()).lower() if name is not None else ""
        if label == "prefix":
            prefix = value
        elif label == "suffix":
            suffix = value
        else:
            return unknown, unknown
    return prefix, suffix


def _queue(p: TemplateParser, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
           out: dict[str, Any]) -> None:
    redrive = p.prop(props, "RedrivePolicy", ptr)
    target = count = None
    if redrive is not None and isinstance(redrive.value, dict):
        if "deadLetterTargetArn" in redrive.value:
            target = p.r.string(redrive.value["deadLetterTargetArn"], "deadLetterTargetArn")
        if "maxReceiveCount" in redrive.value:
            count = p.r.integer(redrive.value["maxReceiveCount"], "maxReceiveCount")
    fifo = p.prop(props, "FifoQueue", ptr)
    out["queues"][rid] = Queue(rid, rtype, decl, p.str_prop(props, "QueueName", ptr), as_bool(fifo),
                               p.int_prop(props, "VisibilityTimeout", ptr), target, count)



def _topic(p: TemplateParser, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
           out: dict[str, Any]) -> None:
    out["topics"][rid] = Topic(rid, rtype, decl, p.str_prop(props, "TopicName", ptr),
                               as_bool(p.prop(props, "FifoTopic", ptr)))
    subs = p.prop(props, "Subscription", ptr)
    if subs is not None and isinstance(subs.value, tuple):
        topic: Located[str] = Located(Unresolved(f"Ref {rid}"), decl, ref=rid)
        for i, item in enumerate(subs.value):
            if isinstance(item.value, dict) and "Protocol" in item.value and "Endpoint" in item.value:
                out["subscriptions"].append(Subscription(
                    f"{rid}.Subscription.{i}", item.source, topic, p.r.string(item.value["Protocol"], "Protocol"),
                    p.r.string(item.value["Endpoint"], "Endpoint")))


def _subscription(p: TemplateParser, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
                  out: dict[str, Any]) -> None:
    topic, protocol = p.str_prop(props, "TopicArn", ptr), p.str_prop(props, "Protocol", ptr)
    endpoint = p.str_prop(props, "Endpoint", ptr)
    if topic is None or protocol is None or endpoint is None:
        return
    out["subscriptions"].append(Subscription(rid, decl, topic, protocol, endpoint, p.prop(props, "FilterPolicy", ptr),
                                             p.str_prop(props, "FilterPolicyScope", ptr)))


def _table(p: TemplateParser, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
           out: dict[str, Any]) -> None:
    spec = p.sub(props, "StreamSpecification")
    view = p.str_prop(spec, "StreamViewType", f"{ptr}/StreamSpecification")
    enabled = Located(True, props.key("StreamSpecification")) if spec is not None and props is not None else None
    out["tables"][rid] = Table(rid, rtype, decl, p.str_prop(props, "TableName", ptr), view, enabled)


def _stream(p: TemplateParser, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
            out: dict[str, Any]) -> None:
    out["streams"][rid] = KinesisStream(rid, rtype, decl, p.str_prop(props, "Name", ptr))


def _bus(p: TemplateParser, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
         out: dict[str, Any]) -> None:
    out["event_buses"][rid] = EventBus(rid, rtype, decl, p.str_prop(props, "Name", ptr))


def _rule(p: TemplateParser, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
          out: dict[str, Any]) -> None:
    targets: list[EventTarget] = []
    listed = p.prop(props, "Targets", ptr)
    if listed is not None and isinstance(listed.value, tuple):
        for item in listed.value:
            if isinstance(item.value, dict) and "Arn" in item.value:
                dlq = item.value.get("DeadLetterConfig")
                dlq_arn = dlq.value.get("Arn") if dlq is not None and isinstance(dlq.value, dict) else None
                target_id = item.value.get("Id")
                targets.append(EventTarget(item.source, p.r.string(item.value["Arn"], "Arn"),
                                           p.r.string(target_id, "Id") if target_id is not None else None,
                                           p.r.string(dlq_arn, "Arn") if dlq_arn is not None else None))
    schedule = p.str_prop(props, "ScheduleExpression", ptr)
    out["event_rules"][rid] = EventRule(rid, rtype, decl, p.str_prop(props, "EventBusName", ptr),
                                        p.prop(props, "EventPattern", ptr), schedule, tuple(targets),
                                        p.str_prop(props, "State", ptr))


def _schedule(p: TemplateParser, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
              out: dict[str, Any]) -> None:
    target = p.sub(props, "Target")
    arn = p.str_prop(target, "Arn", f"{ptr}/Target")
    targets = (EventTarget(arn.source, arn),) if arn is not None else ()
    out["event_rules"][rid] = EventRule(rid, rtype, decl, None, None, p.str_prop(props, "ScheduleExpression", ptr),
                                        targets, p.str_prop(props, "State", ptr))


_READERS = {
    "AWS::S3::Bucket": _bucket,
    "AWS::SQS::Queue": _queue,
    "AWS::SNS::Topic": _topic,
    "AWS::SNS::Subscription": _subscription,
    "AWS::DynamoDB::Table": _table,
    "AWS::DynamoDB::GlobalTable": _table,
    "AWS::Kinesis::Stream": _stream,
    "AWS::Events::EventBus": _bus,
    "AWS::Events::Rule": _rule,
    "AWS::Scheduler::Schedule": _schedule,
}


# -- what SAM events create ----------------------------------------------------------------

def _sam_event(p: TemplateParser, fn: LambdaFunction, trig: Trigger, out: dict[str, Any]) -> None:
    props = trig.properties
    me: Located[str] = Located(Unresolved(f"Fn::GetAtt {fn.id}.Arn"), trig.source, ref=fn.id)
    if trig.type == "S3":
        bucket = props.get("Bucket")
        target = out["buckets"].get(bucket.ref) if bucket is not None and bucket.ref else None
        if target is None:
            return
        events = props.get("Events")
        items = events.value if events is not None and isinstance(events.value, tuple) else \
            (events,) if events is not None else ()
        prefix, suffix = _key_filter(props.get("Filter"))
        note = BucketNotification(trig.source, "lambda", me, tuple(p.r.string(e, "Events") for e in items),
                                  prefix, suffix)
        out["buckets"][target.id] = Bucket(target.id, target.resource_type, target.source, target.name,
                                           (*target.notifications, note), target.notifications_unresolved)
    elif trig.type == "SNS" and "Topic" in props:
        sqs = props.get("SqsSubscription")
        via_queue = sqs is not None and not (sqs.is_known() and sqs.value is False)
        protocol = Located("sqs" if via_queue else "lambda", trig.source)
        endpoint = me if not via_queue else Located(Unresolved("queue SAM creates"), trig.source)
        out["subscriptions"].append(Subscription(
            trig.id, trig.source, p.r.string(props["Topic"], "Topic"), protocol, endpoint,
            props.get("FilterPolicy"), p.r.string(props["FilterPolicyScope"], "FilterPolicyScope")
            if "FilterPolicyScope" in props else None, implicit=True))
    elif trig.type in ("EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2"):
        bus = props.get("EventBusName")
        schedule = props.get("Schedule") or props.get("ScheduleExpression")
        rtype = "AWS::Scheduler::Schedule" if trig.type == "ScheduleV2" else "AWS::Events::Rule"
        out["event_rules"][trig.id] = EventRule(
            trig.id, rtype, trig.source, p.r.string(bus, "EventBusName") if bus is not None else None,
            props.get("Pattern"), p.r.string(schedule, "Schedule") if schedule is not None else None,
            (EventTarget(trig.source, me),), None, implicit=True)
