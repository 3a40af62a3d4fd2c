"""Every way an application invokes its functions, with the alias or version each targets
(:class:`~lambdalint.model.Invocation`), from what the parsers read: event source mappings and
SAM events, bucket notifications, SNS subscriptions, EventBridge targets, API Gateway
integrations, function URLs and permissions. Shared by every dialect; the parsers resolve
qualifiers that are properties (a permission's, a mapping's) before this runs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from lambdalint.model import (
    ApiIntegration,
    Bucket,
    EventRule,
    FunctionUrl,
    Invocation,
    LambdaFunction,
    Permission,
    Subscription,
)

if TYPE_CHECKING:
    from lambdalint.parsers.targets import Targets


def collect(targets: Targets, functions: Mapping[str, LambdaFunction], permissions: tuple[Permission, ...],
            urls: tuple[FunctionUrl, ...], buckets: Mapping[str, Bucket], subscriptions: tuple[Subscription, ...],
            rules: Mapping[str, EventRule], apis: tuple[ApiIntegration, ...]) -> tuple[Invocation, ...]:
    return tuple(_all(targets, functions, permissions, urls, buckets, subscriptions, rules, apis))


def _all(targets: Targets, functions: Mapping[str, LambdaFunction], permissions: tuple[Permission, ...],
         urls: tuple[FunctionUrl, ...], buckets: Mapping[str, Bucket], subscriptions: tuple[Subscription, ...],
         rules: Mapping[str, EventRule], apis: tuple[ApiIntegration, ...]) -> Iterator[Invocation]:
    for fid, fn in functions.items():
        for trig in fn.triggers:
            if trig.target is not None:
                yield Invocation("event source mapping", trig.id, trig.target.source, fid, trig.qualifier)
            elif trig.type not in ("Api", "HttpApi"):  # those are API integrations, below
                yield Invocation(f"SAM {trig.type} event", trig.id, trig.source, fid, trig.qualifier, implicit=True)
    for perm in permissions:
        named = targets.of(perm.function) if perm.function.ref is None else None  # a name or ARN as text
        owner = targets.function_id(perm.function.ref) or (named.function if named is not None else None)
        if not perm.implicit and owner is not None:
            yield Invocation("permission", perm.id, perm.function.source, owner, perm.qualifier)
    for url in urls:
        target = targets.of(url.function)
        if target is None:
            continue
        if url.implicit:
            qualifier = functions[target.function].auto_publish_alias if target.function in functions else None
        else:
            qualifier = url.qualifier or target.qualifier
        yield Invocation("function URL", url.id, url.function.source, target.function, qualifier)
    for bucket in buckets.values():
        for note in bucket.notifications:
            target = targets.of(note.target) if note.target_type == "lambda" and not note.implicit else None
            if target is not None and note.target is not None:
                yield Invocation("S3 notification of bucket", bucket.id, note.target.source,
                                 target.function, target.qualifier)
    for sub in subscriptions:
        target = targets.of(sub.endpoint) if sub.protocol.known() == "lambda" and not sub.implicit else None
        if target is not None:
            yield Invocation("SNS subscription", sub.id, sub.endpoint.source, target.function, target.qualifier)
    for rule in rules.values():
        if rule.implicit:
            continue
        for event_target in rule.targets:
            target = targets.of(event_target.arn)
            if target is not None:
                yield Invocation("EventBridge target of", rule.id, event_target.arn.source,
                                 target.function, target.qualifier)
    for api in apis:
        yield Invocation("API Gateway integration", api.id, api.target.source, api.function, api.qualifier,
                         implicit=api.implicit)
