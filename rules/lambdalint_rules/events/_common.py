"""What the EV rules share: a function's SQS event sources with their queues."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from msgspec import Struct

from lambdalint.model import Application, LambdaFunction, Queue, Trigger
from lambdalint.rule import Context
from lambdalint.values import Located

SQS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: VISIBILITY
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://artifacts/worker.zip
      Timeout: TIMEOUT
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""


def number(ctx: Context, group: str, key: str) -> Any:
    return ctx.data.table("events")[group][key]["value"]


class SqsSource(Struct, frozen=True):
    trigger: Trigger
    queue: Queue
    #: the queue's visibility timeout (its default when unset), and where it is decided
    visibility: int
    visibility_at: Located[Any] | None
    #: the function's timeout (its default when unset)
    timeout: int
    timeout_at: Located[Any] | None
    window: int


def sqs_sources(fn: LambdaFunction, app: Application, ctx: Context) -> Iterator[SqsSource]:
    """The function's SQS event sources whose queue and numbers are all known."""
    if fn.timeout is None:
        timeout, timeout_at = number(ctx, "sqs", "default-function-timeout"), None
    else:
        value = fn.timeout.known()
        if not isinstance(value, int):
            return
        timeout, timeout_at = value, fn.timeout
    for trig in fn.triggers:
        if trig.type != "SQS" or trig.source_arn is None or trig.source_arn.ref is None:
            continue
        queue = app.queues.get(trig.source_arn.ref)
        if queue is None:
            continue
        if queue.visibility_timeout is None:
            visibility, visibility_at = number(ctx, "sqs", "default-visibility-timeout"), None
        else:
            known = queue.visibility_timeout.known()
            if not isinstance(known, int):
                continue
            visibility, visibility_at = known, queue.visibility_timeout
        window_loc = trig.properties.get("MaximumBatchingWindowInSeconds") or \
            trig.properties.get("maximum_batching_window_in_seconds")
        window = window_loc.known() if window_loc is not None else 0
        if not isinstance(window, int):
            continue
        yield SqsSource(trig, queue, visibility, visibility_at, timeout, timeout_at, window)
