"""Event sources and destinations in Terraform: ``aws_s3_bucket`` and
``aws_s3_bucket_notification``, ``aws_sqs_queue`` (and ``aws_sqs_queue_redrive_policy``),
``aws_sns_topic`` and ``aws_sns_topic_subscription``, ``aws_dynamodb_table`` streams,
``aws_kinesis_stream``, ``aws_cloudwatch_event_bus``/``_rule``/``_target`` and
``aws_scheduler_schedule``.

The same reader serves ``.tf`` files and plans (``terraform show -json``), whose values differ
in shape only: nested blocks are lists of mappings in both; a JSON document is
``jsonencode(...)`` or text in a ``.tf`` file and always text in a plan; an optional string a
plan leaves unset is ``""``; a value known only after apply is absent from the plan, or is the
configuration's reference (``TF::Ref``). Resources that attach to another (a bucket's
notification, a rule's target, a queue's redrive policy) find it by reference, else by the
name a plan knows. The community module ``terraform-aws-modules/lambda/aws`` is read elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    replace,
)
from lambdalint.parsers.cfn_resources import boolean, event_list, json_document, member
from lambdalint.parsers.terraform.iam import blocks, policy_value
from lambdalint.values import Located, SourceRef, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.nodes import Node
    from lambdalint.parsers.terraform.view import ModuleView

#: notification blocks of aws_s3_bucket_notification, their target type and ARN attribute
_NOTIFICATIONS = (("lambda_function", "lambda", "lambda_function_arn"), ("queue", "sqs", "queue_arn"),
                  ("topic", "sns", "topic_arn"))
_FIELDS = ("buckets", "queues", "topics", "subscriptions", "tables", "streams", "event_rules", "event_buses")


def read(p: ModuleView, functions: Mapping[str, LambdaFunction]) -> dict[str, Any]:
    """The ``Application`` fields ``buckets``, ``queues``, ``topics``, ``subscriptions``,
    ``tables``, ``streams``, ``event_rules`` and ``event_buses``."""
    from lambdalint.parsers.terraform import resource_type

    out: dict[str, Any] = {name: {} for name in _FIELDS}
    out["subscriptions"] = []
    later: list[tuple[str, str, Node]] = []
    for address, body in p.resources.items():
        rtype = resource_type(address)
        if not body.is_map():
            continue
        if rtype in _ATTACH:
            later.append((address, rtype, body))
        elif rtype in _READERS:
            _READERS[rtype](p, address, rtype, body, out)
    for address, rtype, body in later:  # these attach to a resource read above
        _ATTACH[rtype](p, address, body, out)
    out["subscriptions"] = tuple(out["subscriptions"])
    return out


# -- values --------------------------------------------------------------------------------

def _decl(p: ModuleView, address: str) -> SourceRef:
    return p.decl[address].with_pointer(f"/{address}")


def _text(p: ModuleView, body: Node | None, key: str, address: str) -> Located[str] | None:
    """An optional string; ``""`` (how a plan writes one that is not set) is no value."""
    loc = p.string(body, key, address)
    return None if loc is None or loc.known() == "" else loc


def _required(p: ModuleView, body: Node, key: str, address: str, where: SourceRef) -> Located[str]:
    """A required string: absent only from a plan that does not know it yet (unknown, at ``where``)."""
    return p.string(body, key, address) or Located(Unresolved(key), where)


def _json(p: ModuleView, body: Node, key: str, address: str) -> Located[Any] | None:
    """A JSON document attribute: ``jsonencode(...)`` (in place or in a local: the structure,
    each element at its own place), JSON text (a string, a heredoc, a plan value) or text with
    interpolations, as a located structure; unknown when it is none of these."""
    if body.get(key) is None:
        return None
    loc = policy_value(p, body, key, address)
    if loc is None or loc.known() == "":
        return None
    return json_document(loc)


# -- resources -----------------------------------------------------------------------------

def _bucket(p: ModuleView, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    """``bucket`` (a bucket named by ``bucket_prefix`` has no known name)."""
    out["buckets"][address] = Bucket(address, rtype, _decl(p, address), _text(p, body, "bucket", address))


def _queue(p: ModuleView, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    target, count = _redrive(p, body, address)
    out["queues"][address] = Queue(address, rtype, _decl(p, address), _text(p, body, "name", address),
                                   boolean(p.attr(body, "fifo_queue", address)),
                                   p.integer(body, "visibility_timeout_seconds", address), target, count)


def _redrive(p: ModuleView, body: Node, address: str) -> tuple[Located[str] | None, Located[int] | None]:
    """``redrive_policy``: its ``deadLetterTargetArn`` and ``maxReceiveCount``. A policy a plan
    does not know yet keeps the configuration's reference: a redrive policy names one queue,
    its dead-letter queue, so a reference to a queue is that queue."""
    from lambdalint.parsers.terraform import resource_type

    doc = _json(p, body, "redrive_policy", address)
    if doc is not None and not doc.is_known() and not doc.candidates:
        if doc.ref is not None and resource_type(doc.ref) == "aws_sqs_queue":
            return Located(Unresolved("deadLetterTargetArn"), doc.source, ref=doc.ref), None
    target, count = member(doc, "deadLetterTargetArn"), member(doc, "maxReceiveCount")
    return (p.r.string(target, "deadLetterTargetArn") if target is not None else None,
            p.r.integer(count, "maxReceiveCount") if count is not None else None)


def _topic(p: ModuleView, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    out["topics"][address] = Topic(address, rtype, _decl(p, address), _text(p, body, "name", address),
                                   boolean(p.attr(body, "fifo_topic", address)))


def _subscription(p: ModuleView, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    """``topic_arn``, ``protocol``, ``endpoint``, ``filter_policy`` (JSON) and its scope."""
    decl = _decl(p, address)
    out["subscriptions"].append(Subscription(
        address, decl, _required(p, body, "topic_arn", address, decl), _required(p, body, "protocol", address, decl),
        _required(p, body, "endpoint", address, decl), _json(p, body, "filter_policy", address),
        _text(p, body, "filter_policy_scope", address)))


def _table(p: ModuleView, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    """``stream_enabled`` and ``stream_view_type`` (a global table's replicas are the same resource)."""
    out["tables"][address] = Table(address, rtype, _decl(p, address), _text(p, body, "name", address),
                                   _text(p, body, "stream_view_type", address),
                                   boolean(p.attr(body, "stream_enabled", address)))


def _stream(p: ModuleView, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    out["streams"][address] = KinesisStream(address, rtype, _decl(p, address), _text(p, body, "name", address))


def _bus(p: ModuleView, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    out["event_buses"][address] = EventBus(address, rtype, _decl(p, address), _text(p, body, "name", address))


def _rule(p: ModuleView, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    """``event_bus_name``, ``event_pattern`` (JSON), ``schedule_expression`` and ``state`` (or
    the older ``is_enabled``); targets are the ``aws_cloudwatch_event_target``s read later."""
    out["event_rules"][address] = EventRule(address, rtype, _decl(p, address),
                                            _text(p, body, "event_bus_name", address),
                                            _json(p, body, "event_pattern", address),
                                            _text(p, body, "schedule_expression", address), (),
                                            _state(p, body, address))


def _state(p: ModuleView, body: Node, address: str) -> Located[str] | None:
    state = _text(p, body, "state", address)
    if state is not None:
        return state
    enabled = boolean(p.attr(body, "is_enabled", address))
    return _enabled_state(enabled) if enabled is not None else None


def _enabled_state(enabled: Located[bool]) -> Located[str]:
    if enabled.is_known():
        return Located("ENABLED" if enabled.value else "DISABLED", enabled.source)
    return Located(Unresolved("is_enabled"), enabled.source, tuple(_enabled_state(c) for c in enabled.candidates))


def _schedule(p: ModuleView, address: str, rtype: str, body: Node, out: dict[str, Any]) -> None:
    """An EventBridge Scheduler schedule, read as a rule with its one ``target`` block."""
    targets: list[EventTarget] = []
    for block in blocks(body, "target")[:1]:  # the provider allows one
        where = f"{address}/target"
        src = block.src.with_pointer(f"/{where}")
        targets.append(EventTarget(src, _required(p, block, "arn", where, src), None, _dead_letter(p, block, where)))
    out["event_rules"][address] = EventRule(address, rtype, _decl(p, address), None, None,
                                            _text(p, body, "schedule_expression", address), tuple(targets),
                                            _text(p, body, "state", address))


def _dead_letter(p: ModuleView, body: Node, where: str) -> Located[str] | None:
    """``dead_letter_config { arn }``."""
    return _text(p, p.block(body, "dead_letter_config"), "arn", f"{where}/dead_letter_config")


_READERS: dict[str, Callable[[ModuleView, str, str, Node, dict[str, Any]], None]] = {
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

def _owner(p: ModuleView, body: Node, key: str, address: str, table: Mapping[str, Any],
           names: Callable[[str, str], bool]) -> str | None:
    """The resource of ``table`` that attribute ``key`` names: by reference, else (a plan's
    known value) the one resource whose name ``names`` matches."""
    loc = p.attr(body, key, address)
    if loc is None:
        return None
    if loc.ref is not None:
        return loc.ref if loc.ref in table else None
    value = loc.known()
    if not isinstance(value, str):
        return None
    found = [rid for rid in table if names(rid, value)]
    return found[0] if len(found) == 1 else None


def _named(table: Mapping[str, Any], value: Callable[[str], str]) -> Callable[[str, str], bool]:
    """Whether a resource of ``table`` (buckets, queues: they have a ``name``) is named ``value``."""

    def names(rid: str, text: str) -> bool:
        name = table[rid].name
        return name is not None and name.known() == value(text)

    return names


def _notification(p: ModuleView, address: str, body: Node, out: dict[str, Any]) -> None:
    """``lambda_function``/``queue``/``topic`` blocks (``events``, ``filter_prefix``,
    ``filter_suffix``, the target's ARN) and ``eventbridge``, added to the bucket ``bucket``
    names; a ``dynamic`` notification block leaves the set not known."""
    bid = _owner(p, body, "bucket", address, out["buckets"], _named(out["buckets"], lambda text: text))
    if bid is None:
        return
    notes: list[BucketNotification] = []
    dynamic = body.get("dynamic")
    unresolved = dynamic is not None and dynamic.is_map() and any(k in dynamic.value for k, _, _ in _NOTIFICATIONS)
    for key, kind, arn_key in _NOTIFICATIONS:
        for i, block in enumerate(blocks(body, key)):
            where = f"{address}/{key}/{i}"
            src = block.src.with_pointer(f"/{where}")
            notes.append(BucketNotification(src, kind, _required(p, block, arn_key, where, src),
                                            event_list(p.r, p.attr(block, "events", where), "events"),
                                            _text(p, block, "filter_prefix", where),
                                            _text(p, block, "filter_suffix", where)))
    flag = boolean(p.attr(body, "eventbridge", address))
    if flag is not None:
        if any(known.value is True for known in flag.possible()):
            notes.append(BucketNotification(flag.source, "eventbridge", None))
        unresolved = unresolved or not flag.is_known()
    b = out["buckets"][bid]
    out["buckets"][bid] = replace(b, notifications=b.notifications + tuple(notes),
                                  notifications_unresolved=b.notifications_unresolved or unresolved)


def _event_target(p: ModuleView, address: str, body: Node, out: dict[str, Any]) -> None:
    """``arn``, ``target_id`` and ``dead_letter_config``, added to the rule ``rule`` names (by
    name: the rule of that name on the target's ``event_bus_name``)."""
    bus = _bus_name(_text(p, body, "event_bus_name", address))

    def names(rid: str, value: str) -> bool:
        name = _text(p, p.resources[rid], "name", rid)
        on = _bus_name(out["event_rules"][rid].bus)
        return name is not None and name.known() == value and (on is None or bus is None or on == bus)

    rid = _owner(p, body, "rule", address, out["event_rules"], names)
    if rid is None:
        return
    decl = _decl(p, address)
    target = EventTarget(decl, _required(p, body, "arn", address, decl), _text(p, body, "target_id", address),
                         _dead_letter(p, body, address))
    r = out["event_rules"][rid]
    out["event_rules"][rid] = replace(r, targets=(*r.targets, target))


def _bus_name(loc: Located[str] | None) -> str | None:
    """A bus's name as known ("default" when none is given); None when not known."""
    if loc is None:
        return "default"
    value = loc.known()
    return value.rsplit("/", 1)[-1] if isinstance(value, str) else None


def _queue_redrive(p: ModuleView, address: str, body: Node, out: dict[str, Any]) -> None:
    """``aws_sqs_queue_redrive_policy``: the redrive policy of the queue ``queue_url`` names."""

    def last(url: str) -> str:  # https://sqs.<region>.amazonaws.com/<account>/<name>
        return url.rstrip("/").rsplit("/", 1)[-1]

    qid = _owner(p, body, "queue_url", address, out["queues"], _named(out["queues"], last))
    if qid is None:
        return
    target, count = _redrive(p, body, address)
    q = out["queues"][qid]
    out["queues"][qid] = replace(q, redrive_target=target or q.redrive_target,
                                 max_receive_count=count or q.max_receive_count)


_ATTACH: dict[str, Callable[[ModuleView, str, Node, dict[str, Any]], None]] = {
    "aws_s3_bucket_notification": _notification,
    "aws_cloudwatch_event_target": _event_target,
    "aws_sqs_queue_redrive_policy": _queue_redrive,
}
