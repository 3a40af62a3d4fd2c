"""Event sources and destinations in CloudFormation and SAM: buckets and their notifications,
queues, topics and subscriptions, tables and their streams, Kinesis streams, EventBridge buses,
rules and schedules (including the ones SAM events create)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lambdalint.model import LambdaFunction

if TYPE_CHECKING:
    from lambdalint.parsers.cloudformation import TemplateParser


def read(p: TemplateParser, functions: Mapping[str, LambdaFunction]) -> dict[str, Any]:
    """The ``Application`` fields ``buckets``, ``queues``, ``topics``, ``subscriptions``,
    ``tables``, ``streams``, ``event_rules`` and ``event_buses``."""
    return {}
