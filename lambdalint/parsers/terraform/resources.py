"""Event sources and destinations in Terraform: ``aws_s3_bucket`` and
``aws_s3_bucket_notification``, ``aws_sqs_queue`` (and ``aws_sqs_queue_redrive_policy``),
``aws_sns_topic`` and ``aws_sns_topic_subscription``, ``aws_dynamodb_table`` streams,
``aws_kinesis_stream``, ``aws_cloudwatch_event_bus``/``_rule``/``_target`` and
``aws_scheduler_schedule``. The same reader serves ``.tf`` files and plans."""

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
)
from lambdalint.parsers.common import as_bool
from lambdalint.parsers.policy import _from_text
from lambdalint.parsers.terraform.iam import blocks
from lambdalint.values import Located, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.nodes import Node
    from lambdalint.parsers.terraform.module import ModuleParser

#: notification blocks of aws_s3_bucket_notification, their target type and ARN attribute
_NOTIFICATIONS = (("lambda_function", "lambda", "lambda_function_arn"), ("queue", "sqs", "queue_arn"),
                  ("topic", "sns", "topic_arn"))


def read(p: ModuleParser, functions: Mapping[str, LambdaFunction]) -> dict[str, Any]:
    """The ``Application`` fields ``buckets``, ``queues``, ``topics``, ``subscriptions``,
    ``tables``, ``streams``, ``event_rules`` and ``event_buses``."""
    from lambdalint.parsers.terraform.module import resource_type

    out: dict[str, Any] = {"buckets": {}, "queues": {}, "topics": {}, "subscriptions": [], "tables": {},
                           "streams": {}, "event_rules": {}, "event_buses": {}}
    later: list[tuple[str, str, Node]] = []
    for address, body in p.resources.items():
        rtype = resource_type(address)
        if rtype in ("aws_s3_bucket_notification", "aws_cloudwatch_event_target", "aws_sqs_queue_redrive_policy"):
            later.append((address, rtype, body))
            continue
        reader = _READERS.get(rtype)
        if reader is not None and body.is_map():
            reader(p, address, rtype, body, out)
    for address, rtype, body in later:  # these attach to a resource read above
        if body.is_map():
            _ATTACH[rtype](p, address, body, out)
    out["subscriptions"] = tuple(out["subscriptions"])
    return out


def _decl(p: ModuleParser, address: str) -> Any:
    return p.decl[address].with_pointer(f"/{address}")


def _json(p: ModuleParser, body: Node, key: str, address: str) -> Located[Any] | None:
    """A JSON document attribute (``jsonencode`` or text) as a located structure."""
    from lambdalint.parsers.terraform.iam import policy_value

    loc = policy_value(p, body, key, address)
    if loc is not None and isinstance(loc.value, str):
        parsed = _from_text(loc.value, loc.source, [])
        return parsed if parsed is not None else Located(Unresolved(key), loc.source)
    return loc



# -- resources -----------------------------------------------------------------------------

def _bucket(p: ModuleParser, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    out["buckets"][address] = Bucket(address, rtype, _decl(p, address), p.string(body, "bucket", address))


def _queue(p: ModuleParser, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    target, count = _redrive(p, body, "redrive_policy", address)
    out["queues"][address] = Queue(address, rtype, _decl(p, address), p.string(body, "name", address),
                                   as_bool(p.attr(body, "fifo_queue", address)),
                                   p.integer(body, "visibility_timeout_seconds", address), target, count)


def _redrive(p: ModuleParser, body: Node, key: str, address: str) -> tuple[Located[str] | None, Located[int] | None]:
    doc = _json(p, body, key, address)
    if doc is None or not isinstance(doc.value, dict):
        return None, None
    target, count = doc.value.get("deadLetterTargetArn"), doc.value.get("maxReceiveCount")
    return (p.r.string(target, "deadLetterTargetArn") if target is not None else None,
            p.r.integer(count, "maxReceiveCount") if count is not None else None)


def _topic(p: ModuleParser, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    out["topics"][address] = Topic(address, rtype, _decl(p, address), p.string(body, "name", address),
                                   as_bool(p.attr(body, "fifo_topic", address)))


def _subscription(p: ModuleParser, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    topic, protocol = p.string(body, "topic_arn", address), p.string(body, "protocol", address)
    endpoint = p.string(body, "endpoint", address)
    if topic is None or protocol is None or endpoint is None:
        return
    policy = _json(p, body, "filter_policy", address) if body.get("filter_policy") is not None else None
    out["subscriptions"].append(Subscription(address, _decl(p, address), topic, protocol, endpoint, policy,
                                             p.string(body, "filter_policy_scope", address)))


def _table(p: ModuleParser, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    enabled = as_bool(p.attr(body, "stream_enabled", address))
    view = p.string(body, "stream_view_type", address)
    if view is not None and view.known() == "":  # a plan writes "" when no stream is set
        view = None
    out["tables"][address] = Table(address, rtype, _decl(p, address), p.string(body, "name", address), view, enabled)


def _stream(p: ModuleParser, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    out["streams"][address] = KinesisStream(address, rtype, _decl(p, address), p.string(body, "name", address))


def _bus(p: ModuleParser, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    out["event_buses"][address] = EventBus(address, rtype, _decl(p, address), p.string(body, "name", address))


def _rule(p: ModuleParser, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    pattern = _json(p, body, "event_pattern", address) if body.get("event_pattern") is not None else None
    state = p.string(body, "state", address)
    enabled = p.attr(body, "is_enabled", address)
    if state is None and enabled is not None and enabled.known() is False:
        state = Located("DISABLED", enabled.source)
    bus = p.string(body, "event_bus_name", address)
    out["event_rules"][address] = EventRule(address, rtype, _decl(p, address), bus, pattern,
                                            p.string(body, "schedule_expression", address), (), state)


def _schedule(p: ModuleParser, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    target = p.block(body, "target")
    arn = p.string(target, "arn", f"{address}/target")
    targets = (EventTarget(arn.source, arn),) if arn is not None else ()
    out["event_rules"][address] = EventRule(address, rtype, _decl(p, address), None, None,
                                            p.string(body, "schedule_expression", address), targets,
                                            p.string(body, "state", address))


_READERS = {
    "aws_s3_bucket": _bucket,
    "aws_sqs_queue": _queue,
    "aws_sns_topic": _topic,
    "aws_sns_topic_subscription": _subscription,
    "aws_dynamodb_table": _table,
    "aws_kinesis_stream": _stream,
    "aws_cloudwatch_event_bus": _bus,
    "aws_cloudwatch_event_rule": _rule,
    "aws_scheduler_schedule": _schedule,
}


# -- resources that attach to others -------------------------------------------------------

def _target_of(p: ModuleParser, body: Node, key: str, address: str, table: dict[str, Any]) -> str | None:
    loc = p.attr(body, key, address)
    if loc is None:
        return None
    if loc.ref is not None and loc.ref in table:
        return loc.ref
    name = loc.known()
    return next((rid for rid, res in table.items() if res.name is not None and res.name.known() == name), None) \
        if isinstance(name, str) else None


def _notification(p: ModuleParser, address: str, body: Node, out: dict[str, Any]) -> None:
    bid = _target_of(p, body, "bucket", address, out["buckets"])
    if bid is None:
        return
    notes: list[BucketNotification] = []
    unresolved = body.get("dynamic") is not None
    for key, kind, arn_key in _NOTIFICATIONS:
        for i, block in enumerate(blocks(body, key)):
            where = f"{address}/{key}/{i}"
            events = p.attr(block, "events", where)
            items = tuple(p.r.string(e, "events") for e in events.value) if events is not None and isinstance(
                events.value, tuple) else ((Located(Unresolved("events"), events.source),) if events else ())
            notes.append(BucketNotification(block.src.with_pointer(f"/{where}"), kind, p.string(block, arn_key, where),
                                            items, p.string(block, "filter_prefix", where),
                                            p.string(block, "filter_suffix", where)))
    eventbridge = p.attr(body, "eventbridge", address)
    if eventbridge is not None and eventbridge.known() is True:
        notes.append(BucketNotification(eventbridge.source, "eventbridge", None))
    b = out["buckets"][bid]
    out["buckets"][bid] = Bucket(b.id, b.resource_type, b.source, b.name, b.notifications + tuple(notes),
                                 b.notifications_unresolved or unresolved)


def _event_target(p: ModuleParser, address: str, body: Node, out: dict[str, Any]) -> None:
    rid = _target_of(p, body, "rule", address, out["event_rules"])
    arn = p.string(body, "arn", address)
    if rid is None or arn is None:
        return
    dlq = p.string(p.block(body, "dead_letter_config"), "arn", f"{address}/dead_letter_config")
    r = out["event_rules"][rid]
    target = EventTarget(_decl(p, address), arn, p.string(body, "target_id", address), dlq)
    out["event_rules"][rid] = EventRule(r.id, r.resource_type, r.source, r.bus, r.pattern, r.schedule,
                                        (*r.targets, target), r.state, r.implicit)


def _queue_redrive(p: ModuleParser, address: str, body: Node, out: dict[str, Any]) -> None:
    qid = _target_of(p, body, "queue_url", address, out["queues"])
    if qid is None:
        return
    target, count = _redrive(p, body, "redrive_policy", address)
    q = out["queues"][qid]
    out["queues"][qid] = Queue(q.id, q.resource_type, q.source, q.name, q.fifo, q.visibility_timeout,
                               target or q.redrive_target, count or q.max_receive_count)


_ATTACH = {
    "aws_s3_bucket_notification": _notification,
    "aws_cloudwatch_event_target": _event_target,
    "aws_sqs_queue_redrive_policy": _queue_redrive,
}
