"""Event sources and destinations in Terraform: ``aws_s3_bucket`` and
``aws_s3_bucket_notification``, ``aws_sqs_queue``, ``aws_sns_topic`` and
``aws_sns_topic_subscription``, ``aws_dynamodb_table`` streams, ``aws_kinesis_stream``,
``aws_cloudwatch_event_bus``/``_rule``/``_target``, ``aws_scheduler_schedule``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lambdalint.model import LambdaFunction

if TYPE_CHECKING:
    from lambdalint.parsers.terraform.module import ModuleParser


def read(p: ModuleParser, functions: Mapping[str, LambdaFunction]) -> dict[str, Any]:
    """The ``Application`` fields ``buckets``, ``queues``, ``topics``, ``subscriptions``,
    ``tables``, ``streams``, ``event_rules`` and ``event_buses``."""
    return {}
