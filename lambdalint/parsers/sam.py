"""SAM specifics: Globals merging and the implicit resources SAM generates.

``merge_globals`` merges ``Globals.Function`` into a function's Properties the way the SAM
transform does: mappings are merged key by key, lists are appended (globals first), and
scalars (and intrinsics) are overridden by the function's own value. Merged nodes keep
their own regions, so a value inherited from Globals points at Globals.
"""

from __future__ import annotations

from lambdalint.parsers.intrinsics import is_intrinsic
from lambdalint.parsers.nodes import Node

#: SAM event types that make SAM add an ``AWS::Lambda::Permission`` (push sources), with the
#: service principal SAM uses
PUSH_EVENT_PRINCIPALS = {
    "S3": "s3.amazonaws.com",
    "SNS": "sns.amazonaws.com",
    "Api": "apigateway.amazonaws.com",
    "HttpApi": "apigateway.amazonaws.com",
    "Schedule": "events.amazonaws.com",
    "ScheduleV2": "scheduler.amazonaws.com",
    "CloudWatchEvent": "events.amazonaws.com",
    "EventBridgeRule": "events.amazonaws.com",
    "CloudWatchLogs": "logs.amazonaws.com",
    "IoTRule": "iot.amazonaws.com",
    "AlexaSkill": "alexa-appkit.amazon.com",
    "Cognito": "cognito-idp.amazonaws.com",
}


def merge_globals(global_props: Node | None, local: Node | None) -> Node | None:
    if global_props is None:
        return local
    if local is None:
        return global_props
    return _merge(global_props, local)


def _merge(g: Node, local: Node) -> Node:
    if g.is_map() and local.is_map() and not is_intrinsic(g) and not is_intrinsic(local):
        out = dict(g.value)
        keys = dict(g.key_src or {})
        for k, v in local.value.items():
            out[k] = _merge(g.value[k], v) if k in g.value else v
            keys[k] = local.key(k)
        return Node(out, local.src, keys)
    if g.is_list() and local.is_list():
        return Node(list(g.value) + list(local.value), local.src)
    return local
