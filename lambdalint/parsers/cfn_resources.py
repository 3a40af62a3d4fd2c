"""Event sources and destinations in CloudFormation and SAM: buckets and their notifications,
queues, topics and subscriptions, tables and their streams, Kinesis streams, EventBridge buses,
rules and schedules (including the ones SAM events create).

Read:

- ``AWS::S3::Bucket``: ``BucketName``; ``NotificationConfiguration`` with its
  ``LambdaConfigurations``/``QueueConfigurations``/``TopicConfigurations`` (``Event``, the
  target, ``Filter.S3Key.Rules`` prefix and suffix) and ``EventBridgeConfiguration``;
- ``AWS::SQS::Queue``: ``QueueName``, ``FifoQueue``, ``VisibilityTimeout``, ``RedrivePolicy``
  (a mapping or JSON text);
- ``AWS::SNS::Topic`` (``TopicName``, ``FifoTopic``, inline ``Subscription``) and
  ``AWS::SNS::Subscription`` (``TopicArn``, ``Protocol``, ``Endpoint``, ``FilterPolicy``,
  ``FilterPolicyScope``);
- ``AWS::DynamoDB::Table``, ``AWS::DynamoDB::GlobalTable`` (``TableName``,
  ``StreamSpecification``) and ``AWS::Serverless::SimpleTable`` (no stream);
- ``AWS::Kinesis::Stream`` and ``AWS::Events::EventBus`` (``Name``);
- ``AWS::Events::Rule`` (``EventBusName``, ``EventPattern``, ``ScheduleExpression``, ``State``,
  ``Targets``) and ``AWS::Scheduler::Schedule`` (``ScheduleExpression``, ``State``, ``Target``);
- SAM function events: ``S3`` (a notification of the template's bucket), ``SNS`` (a
  subscription), ``EventBridgeRule``/``CloudWatchEvent``/``Schedule``/``ScheduleV2`` (a rule or
  schedule that targets the function).

Conditions: where an ``Fn::If`` chooses between collections (a notification configuration, a
target list), the entries of every branch are listed, each located in its branch, and the
collection is marked not known where the model has a flag for it (``notifications_unresolved``):
rules judge every entry the template may deploy, as they judge every candidate of a value, and
never take the set for complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lambdalint.iam.documents import structure
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
    replace,
)
from lambdalint.parsers.common import as_bool
from lambdalint.parsers.intrinsics import _esc
from lambdalint.values import NO_VALUE, Located, SourceRef, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.cfn_view import TemplateView
    from lambdalint.parsers.intrinsics import Resolver
    from lambdalint.parsers.nodes import Node

#: bucket notification lists, the target type and the key of the target's ARN in each
_NOTIFICATIONS = (("LambdaConfigurations", "lambda", "Function"), ("QueueConfigurations", "sqs", "Queue"),
                  ("TopicConfigurations", "sns", "Topic"))
_FIELDS = ("buckets", "queues", "topics", "subscriptions", "tables", "streams", "event_rules", "event_buses")


def read(p: TemplateView, functions: Mapping[str, LambdaFunction]) -> dict[str, Any]:
    """The ``Application`` fields ``buckets``, ``queues``, ``topics``, ``subscriptions``,
    ``tables``, ``streams``, ``event_rules`` and ``event_buses``."""
    out: dict[str, Any] = {name: {} for name in _FIELDS}
    out["subscriptions"] = []
    for rid, node in p.resources.items():
        rtype = p.resource_types.get(rid, "")
        reader = _READERS.get(rtype)
        if reader is not None:
            ptr = f"/Resources/{_esc(rid)}/Properties"
            reader(p, rid, rtype, p.declarations[rid], p.sub(node, "Properties"), ptr, out)
    for rid, node in p.resources.items():  # after the buckets: CDK's notifications name one
        if p.resource_types.get(rid, "") == "Custom::S3BucketNotifications":
            _cdk_notifications(p, rid, p.sub(node, "Properties"), f"/Resources/{_esc(rid)}/Properties", out)
    for fn in functions.values():
        for trig in fn.triggers:
            _sam_event(p, fn, trig, out)
    out["subscriptions"] = tuple(out["subscriptions"])
    return out


# -- values under conditions ---------------------------------------------------------------

def possible_values(loc: Located[Any] | None) -> tuple[list[Located[Any]], bool]:
    """The known values ``loc`` may take, and whether that is uncertain (an ``Fn::If``, a value
    the template does not determine). ``AWS::NoValue`` is no value."""
    if loc is None or loc.value is NO_VALUE:
        return [], False
    if loc.is_known():
        return [loc], False
    return list(loc.possible()), True


def member(loc: Located[Any] | None, key: str) -> Located[Any] | None:
    """``key`` of a resolved mapping. Under an ``Fn::If`` it is unknown, with each branch's
    value as a candidate (``AWS::NoValue`` where a branch lacks it); ``None`` when no branch
    has it; unknown without candidates when the mapping itself is not known."""
    if loc is None or loc.value is NO_VALUE:
        return None
    if loc.is_known():
        return loc.value.get(key) if isinstance(loc.value, dict) else None
    if not loc.candidates:
        return Located(Unresolved(key), loc.source)
    found = [member(c, key) or Located(NO_VALUE, c.source) for c in loc.candidates]
    if all(f.value is NO_VALUE for f in found):
        return None
    return Located(Unresolved(key), loc.source, tuple(found))


def json_document(loc: Located[Any] | None) -> Located[Any] | None:
    """A JSON property (a mapping, or JSON text, ``Fn::Sub`` text included) as a located
    structure; each branch of an ``Fn::If`` read the same way. Text that is not JSON is unknown."""
    if loc is None:
        return None
    if not loc.is_known():
        if loc.candidates:
            return Located(loc.value, loc.source, tuple(json_document(c) or c for c in loc.candidates), loc.ref,
                           loc.origin)
        return structure(loc) or loc
    parsed = structure(loc)
    return parsed if parsed is not None else Located(Unresolved("not a JSON document"), loc.source)


def _string(p: TemplateView, loc: Located[Any] | None, prop: str) -> Located[str] | None:
    return p.r.string(loc, prop) if loc is not None else None


def boolean(loc: Located[Any] | None, *, mapping: bool = False) -> Located[bool] | None:
    """A boolean, each candidate converted too; with ``mapping``, a mapping counts as true
    (SAM's ``SqsSubscription``)."""
    if loc is None:
        return None
    if mapping and isinstance(loc.value, dict):
        return Located(True, loc.source)
    if loc.is_known() or not loc.candidates:
        return as_bool(loc)
    cands = (boolean(c, mapping=mapping) for c in loc.candidates)
    return Located(Unresolved("boolean"), loc.source, tuple(c for c in cands if c is not None))


def _present(loc: Located[Any]) -> Located[bool]:
    """Whether an optional property is set: false for ``AWS::NoValue``, unknown for a value
    that is not known, per branch of an ``Fn::If``."""
    if loc.value is NO_VALUE:
        return Located(False, loc.source)
    if loc.is_known():
        return Located(True, loc.source)
    return Located(Unresolved("present"), loc.source, tuple(_present(c) for c in loc.candidates))


def event_list(r: Resolver, loc: Located[Any] | None, prop: str) -> tuple[Located[str], ...]:
    """S3 event names: one event or a list; under a condition, one unknown value whose
    candidates are every event of every branch."""
    if loc is None:
        return ()
    if isinstance(loc.value, tuple):
        return tuple(r.string(e, prop) for e in loc.value)
    if loc.is_known() or not loc.candidates:
        return (r.string(loc, prop),)
    branches = tuple(e for c in loc.candidates for e in event_list(r, c, prop))
    return (Located(Unresolved(prop), loc.source, branches),)


# -- buckets -------------------------------------------------------------------------------

def _bucket(p: TemplateView, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
            out: dict[str, Any]) -> None:
    config = p.prop(props, "NotificationConfiguration", ptr)
    configs, unresolved = possible_values(config)
    notes: list[BucketNotification] = []
    for value in configs:
        found, unknown = _configuration(p, value)
        notes.extend(found)
        unresolved = unresolved or unknown
    out["buckets"][rid] = Bucket(rid, rtype, decl, p.str_prop(props, "BucketName", ptr), tuple(notes), unresolved)


def _configuration(p: TemplateView, config: Located[Any]) -> tuple[list[BucketNotification], bool]:
    """The notifications of one ``NotificationConfiguration`` mapping, and whether some are
    not known (a list or an entry under a condition or not readable)."""
    if not isinstance(config.value, dict):
        return [], True
    notes: list[BucketNotification] = []
    unresolved = False
    for key, kind, target_key in _NOTIFICATIONS:
        lists, unknown = possible_values(config.value.get(key))
        unresolved = unresolved or unknown
        for listed in lists:
            if not isinstance(listed.value, tuple):
                unresolved = True
                continue
            for entry in listed.value:
                items, uncertain = possible_values(entry)
                unresolved = unresolved or uncertain
                for item in items:
                    if isinstance(item.value, dict):
                        notes.append(_notification(p, item.value, item.source, kind, target_key))
                    else:
                        unresolved = True
    found, unknown = _eventbridge(config.value.get("EventBridgeConfiguration"))
    return notes + found, unresolved or unknown


def _notification(p: TemplateView, d: dict[str, Located[Any]], where: SourceRef, kind: str,
                  target_key: str) -> BucketNotification:
    """One ``{Event, Function|Queue|Topic, Filter}`` entry."""
    event = _string(p, d.get("Event"), "Event")
    prefix, suffix = key_filter(d.get("Filter"))
    return BucketNotification(where, kind, _string(p, d.get(target_key), target_key),
                              (event,) if event is not None else (), prefix, suffix)


def _eventbridge(config: Located[Any] | None) -> tuple[list[BucketNotification], bool]:
    """``EventBridgeConfiguration``: all events to the default bus when ``EventBridgeEnabled``
    is true (its schema default); not known when the flag is not."""
    notes: list[BucketNotification] = []
    values, unresolved = possible_values(config)
    for value in values:
        if not isinstance(value.value, dict):
            unresolved = True
            continue
        flag = value.value.get("EventBridgeEnabled")
        enabled = boolean(flag) or Located(True, value.source)
        if any(known.value is True for known in enabled.possible()):  # at the flag, even for a candidate
            notes.append(BucketNotification(enabled.source, "eventbridge", None))
        unresolved = unresolved or not enabled.is_known()
    return notes, unresolved


def key_filter(filt: Located[Any] | None) -> tuple[Located[str] | None, Located[str] | None]:
    """(prefix, suffix) of an S3 key filter ``{S3Key: {Rules: [{Name, Value}]}}`` (SAM's S3
    event writes the same); a filter that is not readable gives unknown values, so that no
    scope is assumed."""
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
        if label == "prefix" and value is not None:
            prefix = value
        elif label == "suffix" and value is not None:
            suffix = value
        else:
            return unknown, unknown
    return prefix, suffix


# -- queues, topics, subscriptions ---------------------------------------------------------

def _queue(p: TemplateView, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
           out: dict[str, Any]) -> None:
    """``RedrivePolicy`` is JSON: a mapping, or the same as text."""
    redrive = json_document(p.prop(props, "RedrivePolicy", ptr))
    target = _string(p, member(redrive, "deadLetterTargetArn"), "deadLetterTargetArn")
    count = member(redrive, "maxReceiveCount")
    out["queues"][rid] = Queue(rid, rtype, decl, p.str_prop(props, "QueueName", ptr),
                               boolean(p.prop(props, "FifoQueue", ptr)), p.int_prop(props, "VisibilityTimeout", ptr),
                               target, p.r.integer(count, "maxReceiveCount") if count is not None else None)


def _topic(p: TemplateView, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
           out: dict[str, Any]) -> None:
    """A topic and the subscriptions of its ``Subscription`` list (``Endpoint``, ``Protocol``)."""
    out["topics"][rid] = Topic(rid, rtype, decl, p.str_prop(props, "TopicName", ptr),
                               boolean(p.prop(props, "FifoTopic", ptr)))
    topic: Located[str] = Located(Unresolved(f"Ref {rid}"), decl, ref=rid)
    lists, _ = possible_values(p.prop(props, "Subscription", ptr))
    count = 0
    for listed in lists:
        entries = listed.value if isinstance(listed.value, tuple) else ()
        for item in (i for e in entries for i in possible_values(e)[0]):
            d = item.value if isinstance(item.value, dict) else {}
            protocol, endpoint = _string(p, d.get("Protocol"), "Protocol"), _string(p, d.get("Endpoint"), "Endpoint")
            if protocol is not None and endpoint is not None:
                out["subscriptions"].append(Subscription(f"{rid}.Subscription.{count}", item.source, topic,
                                                         protocol, endpoint))
                count += 1


def _subscription(p: TemplateView, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
                  out: dict[str, Any]) -> None:
    """``FilterPolicy`` is JSON: a mapping, or the same as text."""
    topic, protocol = p.str_prop(props, "TopicArn", ptr), p.str_prop(props, "Protocol", ptr)
    if topic is None or protocol is None:
        return
    endpoint = p.str_prop(props, "Endpoint", ptr) or Located(Unresolved("Endpoint"), decl)
    out["subscriptions"].append(Subscription(rid, decl, topic, protocol, endpoint,
                                             json_document(p.prop(props, "FilterPolicy", ptr)),
                                             p.str_prop(props, "FilterPolicyScope", ptr)))


# -- tables, streams, buses ----------------------------------------------------------------

def _table(p: TemplateView, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
           out: dict[str, Any]) -> None:
    """A stream is enabled where ``StreamSpecification`` is set (under an ``Fn::If``: true in a
    branch that sets it, false in one that gives ``AWS::NoValue``)."""
    spec = p.prop(props, "StreamSpecification", ptr)
    enabled = _present(spec) if spec is not None else None
    view = _string(p, member(spec, "StreamViewType"), "StreamViewType")
    out["tables"][rid] = Table(rid, rtype, decl, p.str_prop(props, "TableName", ptr), view, enabled)


def _simple_table(p: TemplateView, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
                  out: dict[str, Any]) -> None:
    """SAM ``AWS::Serverless::SimpleTable``: a table without stream."""
    out["tables"][rid] = Table(rid, rtype, decl, p.str_prop(props, "TableName", ptr))


def _stream(p: TemplateView, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
            out: dict[str, Any]) -> None:
    out["streams"][rid] = KinesisStream(rid, rtype, decl, p.str_prop(props, "Name", ptr))


def _bus(p: TemplateView, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
         out: dict[str, Any]) -> None:
    out["event_buses"][rid] = EventBus(rid, rtype, decl, p.str_prop(props, "Name", ptr))


# -- rules and schedules -------------------------------------------------------------------

def _rule(p: TemplateView, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
          out: dict[str, Any]) -> None:
    """``EventPattern`` is JSON: a mapping, or the same as text. ``Targets`` entries under an
    ``Fn::If`` are listed from every branch."""
    lists, _ = possible_values(p.prop(props, "Targets", ptr))
    targets: list[EventTarget] = []
    for listed in lists:
        entries = listed.value if isinstance(listed.value, tuple) else ()
        for item in (i for e in entries for i in possible_values(e)[0]):
            target = _target(p, item, "Id")
            if target is not None:
                targets.append(target)
    out["event_rules"][rid] = EventRule(rid, rtype, decl, p.str_prop(props, "EventBusName", ptr),
                                        json_document(p.prop(props, "EventPattern", ptr)),
                                        p.str_prop(props, "ScheduleExpression", ptr), tuple(targets),
                                        p.str_prop(props, "State", ptr))


def _target(p: TemplateView, item: Located[Any], id_key: str | None) -> EventTarget | None:
    """A rule's or schedule's target: ``Arn``, its id, ``DeadLetterConfig.Arn``."""
    if not isinstance(item.value, dict) or "Arn" not in item.value:
        return None
    d: dict[str, Located[Any]] = item.value
    target_id = _string(p, d.get(id_key), id_key) if id_key else None
    return EventTarget(item.source, p.r.string(d["Arn"], "Arn"), target_id,
                       _string(p, member(d.get("DeadLetterConfig"), "Arn"), "DeadLetterConfig.Arn"))


#: the S3 API's notification lists, as CDK's ``Custom::S3BucketNotifications`` passes them
_API_NOTIFICATIONS = (("LambdaFunctionConfigurations", "lambda", "LambdaFunctionArn"),
                      ("QueueConfigurations", "sqs", "QueueArn"), ("TopicConfigurations", "sns", "TopicArn"))


def _cdk_notifications(p: TemplateView, rid: str, props: Node | None, ptr: str, out: dict[str, Any]) -> None:
    """``Custom::S3BucketNotifications`` (what ``cdk synth`` writes for ``bucket.addEventNotification``):
    a custom resource that puts ``NotificationConfiguration`` (the S3 API's shape) on the bucket
    ``BucketName`` names. Read as that bucket's notifications; a bucket the template does not
    hold, or a configuration not readable, leaves the bucket's notifications unknown."""
    bucket = p.prop(props, "BucketName", ptr)
    target: Bucket | None = out["buckets"].get(bucket.ref) if bucket is not None and bucket.ref else None
    if target is None:
        return
    config = p.prop(props, "NotificationConfiguration", ptr)
    notes: list[BucketNotification] = []
    unresolved = config is None or not isinstance(config.value, dict)
    for key, kind, target_key in _API_NOTIFICATIONS if not unresolved else ():
        listed = config.value.get(key)  # type: ignore[union-attr]
        if listed is None:
            continue
        if not isinstance(listed.value, tuple):
            unresolved = True
            continue
        for entry in listed.value:
            if not isinstance(entry.value, dict):
                unresolved = True
                continue
            d = entry.value
            events = d.get("Events")
            found = tuple(e for e in (events.value if events is not None and isinstance(events.value, tuple)
                                      else ()) if isinstance(e.known(), str))
            prefix, suffix = _api_key_filter(d.get("Filter"))
            notes.append(BucketNotification(entry.source, kind, _string(p, d.get(target_key), target_key), found,
                                            prefix, suffix))
    out["buckets"][target.id] = replace(target, notifications=(*target.notifications, *notes),
                                        notifications_unresolved=target.notifications_unresolved or unresolved)


def _api_key_filter(filt: Located[Any] | None) -> tuple[Located[str] | None, Located[str] | None]:
    """(prefix, suffix) of the S3 API's ``{Key: {FilterRules: [{Name, Value}]}}``."""
    if filt is None:
        return None, None
    key = filt.value.get("Key") if isinstance(filt.value, dict) else None
    rules = key.value.get("FilterRules") if key is not None and isinstance(key.value, dict) else None
    as_cfn = Located({"S3Key": Located({"Rules": rules}, filt.source)}, filt.source) if rules is not None else filt
    return key_filter(as_cfn)


def _schedule(p: TemplateView, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str,
              out: dict[str, Any]) -> None:
    """An EventBridge Scheduler schedule, read as a rule with one target."""
    values, _ = possible_values(p.prop(props, "Target", ptr))
    targets = tuple(t for t in (_target(p, v, None) for v in values) if t is not None)
    out["event_rules"][rid] = EventRule(rid, rtype, decl, None, None, p.str_prop(props, "ScheduleExpression", ptr),
                                        targets, p.str_prop(props, "State", ptr))


_READERS = {
    "AWS::S3::Bucket": _bucket,
    "AWS::SQS::Queue": _queue,
    "AWS::SNS::Topic": _topic,
    "AWS::SNS::Subscription": _subscription,
    "AWS::DynamoDB::Table": _table,
    "AWS::DynamoDB::GlobalTable": _table,
    "AWS::Serverless::SimpleTable": _simple_table,
    "AWS::Kinesis::Stream": _stream,
    "AWS::Events::EventBus": _bus,
    "AWS::Events::Rule": _rule,
    "AWS::Scheduler::Schedule": _schedule,
}


# -- what SAM events create ----------------------------------------------------------------

def _sam_event(p: TemplateView, fn: LambdaFunction, trig: Trigger, out: dict[str, Any]) -> None:
    me: Located[str] = Located(Unresolved(f"Fn::GetAtt {fn.id}.Arn"), trig.source, ref=fn.id)
    if trig.type == "S3":
        _sam_s3(p, trig, me, out)
    elif trig.type == "SNS" and "Topic" in trig.properties:
        out["subscriptions"].append(_sam_sns(p, trig, me))
    elif trig.type in ("EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2"):
        out["event_rules"][trig.id] = _sam_rule(p, trig, me)


def _sam_s3(p: TemplateView, trig: Trigger, me: Located[str], out: dict[str, Any]) -> None:
    """SAM writes an S3 event into the ``NotificationConfiguration`` of the bucket its
    ``Bucket`` names (a bucket of the same template, which SAM requires)."""
    bucket = trig.properties.get("Bucket")
    target: Bucket | None = out["buckets"].get(bucket.ref) if bucket is not None and bucket.ref else None
    if target is None:
        return
    prefix, suffix = key_filter(trig.properties.get("Filter"))
    events = event_list(p.r, trig.properties.get("Events"), "Events")
    note = BucketNotification(trig.source, "lambda", me, events, prefix, suffix, implicit=True)
    out["buckets"][target.id] = replace(target, notifications=(*target.notifications, note))


def _sam_sns(p: TemplateView, trig: Trigger, me: Located[str]) -> Subscription:
    """The subscription SAM creates: protocol ``lambda``, or ``sqs`` with ``SqsSubscription``
    (``true``: through a queue SAM creates, which hands every message on to the function, so the
    endpoint stands for the function; a mapping: its ``QueueArn``)."""
    props = trig.properties
    sqs = props.get("SqsSubscription")
    protocol: Located[str] = Located("lambda", trig.source)
    endpoint = me
    via = boolean(sqs, mapping=True)
    if sqs is not None and via is not None:
        protocol = _protocol(via)
        queue = member(sqs, "QueueArn") if isinstance(sqs.value, dict) or sqs.candidates else None
        if queue is not None:
            endpoint = p.r.string(queue, "QueueArn")
        elif via.known() is True:
            endpoint = Located(Unresolved(f"queue SAM creates for {trig.id}"), sqs.source, ref=trig.function)
    return Subscription(trig.id, trig.source, p.r.string(props["Topic"], "Topic"), protocol, endpoint,
                        json_document(props.get("FilterPolicy")), _string(p, props.get("FilterPolicyScope"),
                                                                      "FilterPolicyScope"), implicit=True)


def _protocol(via_queue: Located[bool]) -> Located[str]:
    if via_queue.is_known():
        return Located("sqs" if via_queue.value else "lambda", via_queue.source)
    return Located(Unresolved("SqsSubscription"), via_queue.source,
                   tuple(_protocol(c) for c in via_queue.candidates))


def _sam_rule(p: TemplateView, trig: Trigger, me: Located[str]) -> EventRule:
    """The rule (``AWS::Events::Rule``) or schedule (``AWS::Scheduler::Schedule`` for
    ``ScheduleV2``) SAM creates, with the function as its one target."""
    props = trig.properties
    schedule_key = "ScheduleExpression" if trig.type == "ScheduleV2" else "Schedule"
    rtype = "AWS::Scheduler::Schedule" if trig.type == "ScheduleV2" else "AWS::Events::Rule"
    target = EventTarget(trig.source, me, _target_id(p, trig), _sam_dead_letter(p, props.get("DeadLetterConfig")))
    pattern = props.get("Pattern") if trig.type in ("EventBridgeRule", "CloudWatchEvent") else None
    return EventRule(trig.id, rtype, trig.source, _string(p, props.get("EventBusName"), "EventBusName"),
                     json_document(pattern), _string(p, props.get(schedule_key), schedule_key), (target,),
                     _sam_state(p, props), implicit=True)


def _target_id(p: TemplateView, trig: Trigger) -> Located[str] | None:
    """``Target.Id``, else the id SAM gives the target (``<event id>LambdaTarget``, when it is
    short enough not to be truncated); schedules of EventBridge Scheduler have none."""
    if trig.type == "ScheduleV2":
        return None
    given = member(trig.properties.get("Target"), "Id")
    if given is not None:
        return p.r.string(given, "Target.Id")
    generated = f"{trig.id}LambdaTarget"
    return Located(generated, trig.source) if len(generated) <= 64 else None


def _sam_dead_letter(p: TemplateView, config: Located[Any] | None) -> Located[str] | None:
    """``DeadLetterConfig``: its ``Arn``, or the queue SAM creates for ``Type: SQS``."""
    arn = member(config, "Arn")
    if arn is not None:
        return p.r.string(arn, "DeadLetterConfig.Arn")
    kind = member(config, "Type")
    if kind is not None:
        return Located(Unresolved("queue SAM creates"), kind.source)
    return None


def _sam_state(p: TemplateView, props: Mapping[str, Located[Any]]) -> Located[str] | None:
    """``State``, or ``Enabled`` as SAM translates it (``ENABLED``/``DISABLED``)."""
    state = props.get("State")
    if state is not None:
        return p.r.string(state, "State")
    enabled = boolean(props.get("Enabled"))
    return _state_of(enabled) if enabled is not None else None


def _state_of(enabled: Located[bool]) -> Located[str]:
    if enabled.is_known():
        return Located("ENABLED" if enabled.value else "DISABLED", enabled.source)
    return Located(Unresolved("Enabled"), enabled.source, tuple(_state_of(c) for c in enabled.candidates))
