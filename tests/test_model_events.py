"""Event sources and destinations read into the model (buckets and notifications, queues,
topics and subscriptions, tables, streams, buses, rules and schedules) from SAM, CloudFormation
(YAML and JSON), Terraform and a Terraform plan, with the exact place of each value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lambdalint.loading import load_file, load_terraform
from lambdalint.model import Application, EventRule
from lambdalint.values import Located, Unresolved


def _at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the ``nth`` occurrence of ``needle`` in ``text``."""
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _where(loc: Any) -> tuple[int, int]:
    src = loc.source if hasattr(loc, "source") else loc
    return src.line, src.column


def _load(tmp_path: Path, name: str, text: str) -> Application:
    (tmp_path / name).write_text(text)
    app, _ = load_file(str(tmp_path / name), name)
    assert app is not None and not app.problems, app.problems if app else None
    return app


def _tf(tmp_path: Path, text: str) -> Application:
    (tmp_path / "main.tf").write_text(text)
    app, _ = load_terraform(str(tmp_path), str(tmp_path))
    assert not app.problems, app.problems
    return app


def _known(loc: Located[Any] | None) -> Any:
    assert loc is not None
    return loc.known()


# -- SAM -----------------------------------------------------------------------------------

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Photos:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: photos
  Alerts:
    Type: AWS::SNS::Topic
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://artifacts/fn.zip
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Photos
            Events: [s3:ObjectCreated:Put, s3:ObjectCreated:Post]
            Filter:
              S3Key:
                Rules:
                  - {Name: prefix, Value: raw/}
                  - {Name: suffix, Value: .jpg}
        Direct:
          Type: SNS
          Properties:
            Topic: !Ref Alerts
            FilterPolicy: {severity: [high]}
            FilterPolicyScope: MessageAttributes
        Buffered:
          Type: SNS
          Properties:
            Topic: !Ref Alerts
            SqsSubscription: true
        Orders:
          Type: EventBridgeRule
          Properties:
            EventBusName: shop
            Pattern: {source: [shop.orders]}
            DeadLetterConfig: {Type: SQS}
            Enabled: false
        Legacy:
          Type: CloudWatchEvent
          Properties:
            Pattern: {source: [aws.ec2]}
            Target: {Id: legacy-target}
        Nightly:
          Type: Schedule
          Properties:
            Schedule: cron(0 2 * * ? *)
            State: DISABLED
        Hourly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(1 hour)
            DeadLetterConfig: {Arn: arn:aws:sqs:eu-west-1:123456789012:dlq}
"""


def test_sam_s3_event_is_a_notification_of_its_bucket(tmp_path: Path) -> None:
    app = _load(tmp_path, "sam.yaml", SAM)
    bucket = app.buckets["Photos"]
    assert _known(bucket.name) == "photos" and not bucket.notifications_unresolved
    (note,) = bucket.notifications
    assert note.target_type == "lambda"
    assert note.target is not None and note.target.ref == "Fn" and not note.target.is_known()
    assert [e.value for e in note.events] == ["s3:ObjectCreated:Put", "s3:ObjectCreated:Post"]
    assert _known(note.prefix) == "raw/" and _known(note.suffix) == ".jpg"
    assert _where(note) == _at(SAM, "Upload:")
    assert _where(note.events[1]) == _at(SAM, "s3:ObjectCreated:Post")
    assert _where(note.suffix) == _at(SAM, ".jpg")
    assert note.suffix is not None and note.suffix.source.pointer.endswith("/Filter/S3Key/Rules/1/Value")


def test_sam_sns_events_are_implicit_subscriptions(tmp_path: Path) -> None:
    app = _load(tmp_path, "sam.yaml", SAM)
    subs = {s.id: s for s in app.subscriptions}
    direct, buffered = subs["FnDirect"], subs["FnBuffered"]
    assert direct.implicit and _known(direct.protocol) == "lambda"
    assert direct.topic.ref == "Alerts" and direct.endpoint.ref == "Fn"
    assert direct.filter_policy is not None and direct.filter_policy.value["severity"].value[0].value == "high"
    assert _known(direct.filter_policy_scope) == "MessageAttributes"
    assert _where(direct.filter_policy_scope) == _at(SAM, "MessageAttributes")
    # through the queue SAM creates: the messages still reach the function
    assert _known(buffered.protocol) == "sqs" and buffered.endpoint.ref == "Fn"
    assert _where(buffered.protocol) == _at(SAM, "true")


def test_sam_rule_and_schedule_events(tmp_path: Path) -> None:
    app = _load(tmp_path, "sam.yaml", SAM)
    orders = app.event_rules["FnOrders"]
    assert orders.implicit and orders.resource_type == "AWS::Events::Rule"
    assert _known(orders.bus) == "shop" and _where(orders.bus) == _at(SAM, "shop\n")
    assert orders.pattern is not None and orders.pattern.value["source"].value[0].value == "shop.orders"
    assert _known(orders.state) == "DISABLED" and _where(orders.state) == _at(SAM, "false")
    (target,) = orders.targets
    assert target.arn.ref == "Fn" and _known(target.id) == "FnOrdersLambdaTarget"
    # DeadLetterConfig.Type: SAM creates the queue, unknown here
    assert target.dead_letter_target is not None and not target.dead_letter_target.is_known()
    assert _where(target.dead_letter_target) == _at(SAM, "SQS}")

    legacy = app.event_rules["FnLegacy"]
    assert legacy.bus is None and _known(legacy.targets[0].id) == "legacy-target"

    nightly = app.event_rules["FnNightly"]
    assert _known(nightly.schedule) == "cron(0 2 * * ? *)" and nightly.pattern is None
    assert _known(nightly.state) == "DISABLED"
    assert _where(nightly.schedule) == _at(SAM, "cron(")

    hourly = app.event_rules["FnHourly"]
    assert hourly.resource_type == "AWS::Scheduler::Schedule" and _known(hourly.schedule) == "rate(1 hour)"
    (target,) = hourly.targets
    assert target.id is None and target.arn.ref == "Fn"
    assert _known(target.dead_letter_target) == "arn:aws:sqs:eu-west-1:123456789012:dlq"


# -- CloudFormation (YAML) -----------------------------------------------------------------

CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: uploads
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: !GetAtt Worker.Arn
            Filter:
              S3Key:
                Rules: [{Name: suffix, Value: .csv}]
        QueueConfigurations:
          - Event: s3:ObjectRemoved:*
            Queue: !GetAtt Jobs.Arn
        TopicConfigurations:
          - Event: s3:ObjectRestore:*
            Topic: !Ref Alerts
        EventBridgeConfiguration:
          EventBridgeEnabled: true
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs.fifo
      FifoQueue: "true"
      VisibilityTimeout: 120
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt Dlq.Arn
        maxReceiveCount: 5
  Dlq:
    Type: AWS::SQS::Queue
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts
      FifoTopic: false
      Subscription:
        - Protocol: lambda
          Endpoint: !GetAtt Worker.Arn
  AlertsToQueue:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Alerts
      Protocol: sqs
      Endpoint: !GetAtt Jobs.Arn
      FilterPolicy: '{"kind": ["order"]}'
      FilterPolicyScope: MessageBody
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
  Everywhere:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      StreamSpecification: {StreamViewType: KEYS_ONLY}
  Quiet:
    Type: AWS::DynamoDB::Table
  Clicks:
    Type: AWS::Kinesis::Stream
    Properties: {Name: clicks, ShardCount: 1}
  Shop:
    Type: AWS::Events::EventBus
    Properties: {Name: shop}
  Route:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Shop
      EventPattern:
        source: [shop.orders]
      State: ENABLED
      Targets:
        - Arn: !GetAtt Worker.Arn
          Id: worker
          DeadLetterConfig: {Arn: !GetAtt Dlq.Arn}
        - Arn: !Ref Alerts
          Id: alerts
  Nightly:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: cron(0 2 * * ? *)
      State: DISABLED
      FlexibleTimeWindow: {Mode: "OFF"}
      Target:
        Arn: !GetAtt Worker.Arn
        RoleArn: arn:aws:iam::123456789012:role/scheduler
        DeadLetterConfig: {Arn: !GetAtt Dlq.Arn}
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code: {S3Bucket: artifacts, S3Key: worker.zip}
"""


def test_cloudformation_bucket_notifications(tmp_path: Path) -> None:
    app = _load(tmp_path, "cfn.yaml", CFN)
    bucket = app.buckets["Uploads"]
    assert bucket.resource_type == "AWS::S3::Bucket" and _known(bucket.name) == "uploads"
    assert not bucket.notifications_unresolved
    kinds = {n.target_type: n for n in bucket.notifications}
    assert sorted(kinds) == ["eventbridge", "lambda", "sns", "sqs"]
    fn, queue, topic, bus = kinds["lambda"], kinds["sqs"], kinds["sns"], kinds["eventbridge"]
    assert fn.target is not None and fn.target.ref == "Worker"
    assert [e.value for e in fn.events] == ["s3:ObjectCreated:*"] and fn.prefix is None and _known(fn.suffix) == ".csv"
    assert queue.target is not None and queue.target.ref == "Jobs" and queue.prefix is None and queue.suffix is None
    assert topic.target is not None and topic.target.ref == "Alerts"
    assert bus.target is None and _where(bus) == _at(CFN, "true\n")
    assert _where(fn.target) == _at(CFN, "!GetAtt Worker.Arn")
    assert _where(queue.events[0]) == _at(CFN, "s3:ObjectRemoved:*")
    assert _where(fn.suffix) == _at(CFN, ".csv")
    assert _where(fn) == _at(CFN, "Event: s3:ObjectCreated")
    assert fn.source.pointer == "/Resources/Uploads/Properties/NotificationConfiguration/LambdaConfigurations/0"


def test_cloudformation_queues_topics_subscriptions(tmp_path: Path) -> None:
    app = _load(tmp_path, "cfn.yaml", CFN)
    jobs = app.queues["Jobs"]
    assert _known(jobs.name) == "jobs.fifo" and _known(jobs.fifo) is True and _known(jobs.visibility_timeout) == 120
    assert jobs.redrive_target is not None and jobs.redrive_target.ref == "Dlq"
    assert _known(jobs.max_receive_count) == 5
    assert _where(jobs.max_receive_count) == _at(CFN, "5\n")
    assert _where(jobs.redrive_target) == _at(CFN, "!GetAtt Dlq.Arn")
    assert app.queues["Dlq"].redrive_target is None and app.queues["Dlq"].name is None

    alerts = app.topics["Alerts"]
    assert _known(alerts.name) == "alerts" and _known(alerts.fifo) is False
    subs = {s.id: s for s in app.subscriptions}
    inline = subs["Alerts.Subscription.0"]
    assert inline.topic.ref == "Alerts" and _known(inline.protocol) == "lambda" and inline.endpoint.ref == "Worker"
    assert not inline.implicit and _where(inline.protocol) == _at(CFN, "lambda\n")

    explicit = subs["AlertsToQueue"]
    assert explicit.topic.ref == "Alerts" and _known(explicit.protocol) == "sqs" and explicit.endpoint.ref == "Jobs"
    assert _known(explicit.filter_policy_scope) == "MessageBody"
    # FilterPolicy as JSON text: the structure, every element at the string
    assert explicit.filter_policy is not None and isinstance(explicit.filter_policy.value, dict)
    kinds = explicit.filter_policy.value["kind"]
    assert [k.value for k in kinds.value] == ["order"]
    assert _where(kinds) == _at(CFN, "'{\"kind\"")


def test_cloudformation_tables_streams_buses(tmp_path: Path) -> None:
    app = _load(tmp_path, "cfn.yaml", CFN)
    orders = app.tables["Orders"]
    assert _known(orders.name) == "orders" and _known(orders.stream_enabled) is True
    assert _known(orders.stream_view_type) == "NEW_AND_OLD_IMAGES"
    assert _where(orders.stream_view_type) == _at(CFN, "NEW_AND_OLD_IMAGES")
    assert _where(orders.stream_enabled) == _at(CFN, "StreamSpecification: {StreamViewType: NEW")
    everywhere = app.tables["Everywhere"]
    assert everywhere.resource_type == "AWS::DynamoDB::GlobalTable"
    assert _known(everywhere.stream_view_type) == "KEYS_ONLY"
    quiet = app.tables["Quiet"]
    assert quiet.stream_enabled is None and quiet.stream_view_type is None
    assert _known(app.streams["Clicks"].name) == "clicks"
    assert _known(app.event_buses["Shop"].name) == "shop"
    assert _where(app.event_buses["Shop"].name) == _at(CFN, "shop}")


def test_cloudformation_rules_and_schedules(tmp_path: Path) -> None:
    app = _load(tmp_path, "cfn.yaml", CFN)
    route = app.event_rules["Route"]
    assert not route.implicit and route.bus is not None and route.bus.ref == "Shop"
    assert route.pattern is not None and route.pattern.value["source"].value[0].value == "shop.orders"
    assert _known(route.state) == "ENABLED" and route.schedule is None
    worker, alerts = route.targets
    assert worker.arn.ref == "Worker" and _known(worker.id) == "worker"
    assert worker.dead_letter_target is not None and worker.dead_letter_target.ref == "Dlq"
    assert alerts.arn.ref == "Alerts" and alerts.dead_letter_target is None
    assert _where(worker) == _at(CFN, "Arn: !GetAtt Worker.Arn\n          Id")
    assert _where(alerts.id) == _at(CFN, "alerts\n", 2)

    nightly = app.event_rules["Nightly"]
    assert nightly.resource_type == "AWS::Scheduler::Schedule"
    assert _known(nightly.schedule) == "cron(0 2 * * ? *)" and _known(nightly.state) == "DISABLED"
    (target,) = nightly.targets
    assert target.arn.ref == "Worker" and target.id is None
    assert target.dead_letter_target is not None and target.dead_letter_target.ref == "Dlq"
    assert _where(target.arn) == _at(CFN, "!GetAtt Worker.Arn", 4)


# -- CloudFormation (JSON) -----------------------------------------------------------------

CFN_JSON = json.dumps({
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "Inbox": {"Type": "AWS::S3::Bucket", "Properties": {
            "BucketName": "inbox",
            "NotificationConfiguration": {"QueueConfigurations": [{
                "Event": "s3:ObjectCreated:*", "Queue": {"Fn::GetAtt": ["Work", "Arn"]},
                "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "mail/"}]}}}]}}},
        "Work": {"Type": "AWS::SQS::Queue", "Properties": {
            "VisibilityTimeout": 45,
            "RedrivePolicy": "{\"deadLetterTargetArn\": \"arn:aws:sqs:eu-west-1:123456789012:dead\", "
                             "\"maxReceiveCount\": 3}"}},
        "Rule": {"Type": "AWS::Events::Rule", "Properties": {
            "EventPattern": "{\"source\": [\"mail.in\"]}",
            "Targets": [{"Arn": {"Fn::GetAtt": ["Work", "Arn"]}, "Id": "work"}]}},
    },
}, indent=2)


def test_cloudformation_json(tmp_path: Path) -> None:
    app = _load(tmp_path, "cfn.json", CFN_JSON)
    assert app.dialect == "cloudformation"
    (note,) = app.buckets["Inbox"].notifications
    assert note.target_type == "sqs" and note.target is not None and note.target.ref == "Work"
    assert _known(note.prefix) == "mail/" and _where(note.prefix) == _at(CFN_JSON, '"mail/"')
    assert _where(note.events[0]) == _at(CFN_JSON, '"s3:ObjectCreated:*"')
    work = app.queues["Work"]
    assert _known(work.visibility_timeout) == 45 and _where(work.visibility_timeout) == _at(CFN_JSON, "45")
    # RedrivePolicy as JSON text
    assert _known(work.redrive_target) == "arn:aws:sqs:eu-west-1:123456789012:dead"
    assert _known(work.max_receive_count) == 3
    assert _where(work.redrive_target) == _at(CFN_JSON, '"{\\"deadLetterTargetArn')
    rule = app.event_rules["Rule"]
    assert rule.pattern is not None and rule.pattern.value["source"].value[0].value == "mail.in"
    (target,) = rule.targets
    assert target.arn.ref == "Work" and _known(target.id) == "work"
    assert _where(target.id) == _at(CFN_JSON, '"work"')


# -- what the template does not determine --------------------------------------------------

UNKNOWN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  BucketName: {Type: String}
  Stage: {Type: String, Default: dev}
  ToBus: {Type: String, AllowedValues: ["true", "false"]}
  QueueSettings: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref BucketName
      NotificationConfiguration: !If
        - IsProd
        - LambdaConfigurations:
            - Event: s3:ObjectCreated:*
              Function: !GetAtt Worker.Arn
        - !Ref AWS::NoValue
  Events:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        EventBridgeConfiguration:
          EventBridgeEnabled: !Ref ToBus
  Imported:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration: !ImportValue shared-notifications
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: !If [IsProd, {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3}, !Ref AWS::NoValue]
  Dlq:
    Type: AWS::SQS::Queue
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      StreamSpecification: !If [IsProd, {StreamViewType: NEW_IMAGE}, !Ref AWS::NoValue]
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code: {S3Bucket: artifacts, S3Key: worker.zip}
"""


def test_cloudformation_unresolved_values(tmp_path: Path) -> None:
    """A bucket name from a parameter without default stays unknown (no candidate). A
    ``NotificationConfiguration`` under ``Fn::If`` keeps the notifications of the branch that has
    them, each located in its branch, and sets ``notifications_unresolved``: the set the stack gets
    is not known (here: that notification or none), but what it may get is, and rules judge every
    notification the template may deploy, as they judge every candidate of a value. A
    configuration that is not known at all (``Fn::ImportValue``) gives no notification and the
    flag. The same holds for a flag from a parameter (``EventBridgeEnabled``) and for values
    inside a property under ``Fn::If`` (each branch a candidate, ``AWS::NoValue`` included)."""
    app = _load(tmp_path, "unknown.yaml", UNKNOWN)
    data = app.buckets["Data"]
    assert data.name is not None and isinstance(data.name.value, Unresolved) and data.name.candidates == ()
    assert _where(data.name) == _at(UNKNOWN, "!Ref BucketName")
    assert data.notifications_unresolved
    (note,) = data.notifications
    assert note.target is not None and note.target.ref == "Worker"
    assert "/Fn::If/1/LambdaConfigurations/0" in note.source.pointer
    assert _where(note.target) == _at(UNKNOWN, "!GetAtt Worker.Arn")

    events = app.buckets["Events"]
    assert events.notifications_unresolved
    (bus,) = events.notifications  # one allowed value enables it
    assert bus.target_type == "eventbridge" and _where(bus) == _at(UNKNOWN, "!Ref ToBus")

    imported = app.buckets["Imported"]
    assert imported.notifications == () and imported.notifications_unresolved

    jobs = app.queues["Jobs"]
    assert jobs.redrive_target is not None and not jobs.redrive_target.is_known()
    dlq, absent = jobs.redrive_target.candidates
    assert dlq.ref == "Dlq" and absent.definitely_absent()
    assert jobs.max_receive_count is not None and [c.value for c in jobs.max_receive_count.possible()] == [3]

    table = app.tables["Table"]
    assert table.stream_enabled is not None and not table.stream_enabled.is_known()
    assert [c.value for c in table.stream_enabled.candidates] == [True, False]
    assert table.stream_view_type is not None and [c.value for c in table.stream_view_type.possible()] == ["NEW_IMAGE"]


def test_sam_events_under_conditions(tmp_path: Path) -> None:
    """S3 ``Events`` under ``Fn::If``: one unknown event whose candidates are every branch's
    events; ``SqsSubscription`` from a parameter: the protocol is unknown, with both candidates."""
    text = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Buffer: {Type: String, AllowedValues: ["true", "false"]}
Conditions:
  Always: !Equals [a, a]
Resources:
  Drop:
    Type: AWS::S3::Bucket
  Topic:
    Type: AWS::SNS::Topic
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://artifacts/fn.zip
      Events:
        Dropped:
          Type: S3
          Properties:
            Bucket: !Ref Drop
            Events: !If [Always, [s3:ObjectCreated:*], s3:ObjectRemoved:*]
        Told:
          Type: SNS
          Properties:
            Topic: !Ref Topic
            SqsSubscription: !Ref Buffer
"""
    app = _load(tmp_path, "cond.yaml", text)
    (note,) = app.buckets["Drop"].notifications
    (event,) = note.events
    assert not event.is_known() and [e.value for e in event.possible()] == ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
    (sub,) = app.subscriptions
    assert not sub.protocol.is_known() and sorted(c.value for c in sub.protocol.possible()) == ["lambda", "sqs"]


# -- Terraform -----------------------------------------------------------------------------

TF = """\
variable "bucket_name" {
  type = string
}

resource "aws_s3_bucket" "uploads" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket      = aws_s3_bucket.uploads.id
  eventbridge = true

  lambda_function {
    lambda_function_arn = aws_lambda_function.fn.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = "in/"
    filter_suffix       = ".csv"
  }

  queue {
    queue_arn = aws_sqs_queue.jobs.arn
    events    = ["s3:ObjectRemoved:*"]
  }
}

resource "aws_sqs_queue" "jobs" {
  name                       = "jobs.fifo"
  fifo_queue                 = true
  visibility_timeout_seconds = 90
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 4
  })
}

resource "aws_sqs_queue" "dlq" {
  name = "dlq"
}

resource "aws_sqs_queue" "other" {
  name = "other"
}

resource "aws_sqs_queue_redrive_policy" "other" {
  queue_url      = aws_sqs_queue.other.id
  redrive_policy = "{\\"deadLetterTargetArn\\":\\"arn:aws:sqs:eu-west-1:123456789012:dlq\\",\\"maxReceiveCount\\":7}"
}

resource "aws_sns_topic" "news" {
  name       = "news"
  fifo_topic = false
}

resource "aws_sns_topic_subscription" "news" {
  topic_arn           = aws_sns_topic.news.arn
  protocol            = "lambda"
  endpoint            = aws_lambda_function.fn.arn
  filter_policy_scope = "MessageBody"
  filter_policy       = <<EOT
{
  "kind": ["order"]
}
EOT
}

resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
}

resource "aws_kinesis_stream" "clicks" {
  name        = "clicks"
  shard_count = 1
}

resource "aws_cloudwatch_event_bus" "shop" {
  name = "shop"
}

resource "aws_cloudwatch_event_rule" "orders" {
  name           = "orders"
  event_bus_name = aws_cloudwatch_event_bus.shop.name
  event_pattern = jsonencode({
    source = ["shop.orders"]
  })
  is_enabled = false
}

resource "aws_cloudwatch_event_target" "orders" {
  rule           = aws_cloudwatch_event_rule.orders.name
  event_bus_name = aws_cloudwatch_event_bus.shop.name
  arn            = aws_lambda_function.fn.arn
  target_id      = "fn"
  dead_letter_config {
    arn = aws_sqs_queue.dlq.arn
  }
}

resource "aws_cloudwatch_event_rule" "hourly" {
  schedule_expression = "rate(1 hour)"
  state               = "ENABLED"
}

resource "aws_scheduler_schedule" "nightly" {
  schedule_expression = "cron(0 2 * * ? *)"
  state               = "DISABLED"
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = aws_lambda_function.fn.arn
    role_arn = "arn:aws:iam::123456789012:role/scheduler"
    dead_letter_config {
      arn = aws_sqs_queue.dlq.arn
    }
  }
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/fn"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
}
"""


def test_terraform_bucket_notifications(tmp_path: Path) -> None:
    app = _tf(tmp_path, TF)
    bucket = app.buckets["aws_s3_bucket.uploads"]
    # a variable without default: unknown, no candidate
    assert bucket.name is not None and isinstance(bucket.name.value, Unresolved) and bucket.name.candidates == ()
    assert _where(bucket.name) == _at(TF, "var.bucket_name")
    assert not bucket.notifications_unresolved
    fn, queue, bus = bucket.notifications
    assert fn.target_type == "lambda" and fn.target is not None and fn.target.ref == "aws_lambda_function.fn"
    assert [e.value for e in fn.events] == ["s3:ObjectCreated:*"]
    assert _known(fn.prefix) == "in/" and _known(fn.suffix) == ".csv"
    assert _where(fn) == _at(TF, "lambda_function {")
    assert _where(fn.prefix) == _at(TF, '"in/"') and _where(fn.suffix) == _at(TF, '".csv"')
    assert fn.prefix is not None
    assert fn.prefix.source.pointer == "/aws_s3_bucket_notification.uploads/lambda_function/0/filter_prefix"
    assert queue.target_type == "sqs" and queue.target is not None and queue.target.ref == "aws_sqs_queue.jobs"
    assert queue.prefix is None and _where(queue.events[0]) == _at(TF, '"s3:ObjectRemoved:*"')
    assert bus.target_type == "eventbridge" and bus.target is None and _where(bus) == _at(TF, "true\n")


def test_terraform_queues_topics_subscriptions(tmp_path: Path) -> None:
    app = _tf(tmp_path, TF)
    jobs = app.queues["aws_sqs_queue.jobs"]
    assert _known(jobs.name) == "jobs.fifo" and _known(jobs.fifo) is True and _known(jobs.visibility_timeout) == 90
    assert jobs.redrive_target is not None and jobs.redrive_target.ref == "aws_sqs_queue.dlq"
    assert _known(jobs.max_receive_count) == 4
    assert _where(jobs.redrive_target) == _at(TF, "aws_sqs_queue.dlq.arn")
    assert _where(jobs.max_receive_count) == _at(TF, "4\n")
    other = app.queues["aws_sqs_queue.other"]  # from aws_sqs_queue_redrive_policy, JSON text
    assert _known(other.redrive_target) == "arn:aws:sqs:eu-west-1:123456789012:dlq"
    assert _known(other.max_receive_count) == 7
    assert _where(other.max_receive_count) == _at(TF, '"{\\"deadLetterTargetArn')

    news = app.topics["aws_sns_topic.news"]
    assert _known(news.name) == "news" and _known(news.fifo) is False
    (sub,) = app.subscriptions
    assert sub.topic.ref == "aws_sns_topic.news" and _known(sub.protocol) == "lambda"
    assert sub.endpoint.ref == "aws_lambda_function.fn" and _known(sub.filter_policy_scope) == "MessageBody"
    # a heredoc: each element keeps its own line
    assert sub.filter_policy is not None
    kinds = sub.filter_policy.value["kind"]
    assert [k.value for k in kinds.value] == ["order"]
    assert _where(kinds.value[0]) == _at(TF, '"order"')


def test_terraform_tables_streams_rules(tmp_path: Path) -> None:
    app = _tf(tmp_path, TF)
    orders = app.tables["aws_dynamodb_table.orders"]
    assert _known(orders.stream_enabled) is True and _known(orders.stream_view_type) == "NEW_AND_OLD_IMAGES"
    assert _where(orders.stream_view_type) == _at(TF, '"NEW_AND_OLD_IMAGES"')
    assert _known(app.streams["aws_kinesis_stream.clicks"].name) == "clicks"
    assert _known(app.event_buses["aws_cloudwatch_event_bus.shop"].name) == "shop"

    rule = app.event_rules["aws_cloudwatch_event_rule.orders"]
    assert rule.bus is not None and rule.bus.ref == "aws_cloudwatch_event_bus.shop"
    assert rule.pattern is not None and rule.pattern.value["source"].value[0].value == "shop.orders"
    assert _where(rule.pattern.value["source"].value[0]) == _at(TF, '"shop.orders"')
    # is_enabled = false: the rule's state
    assert _known(rule.state) == "DISABLED" and _where(rule.state) == _at(TF, "false", 2)
    (target,) = rule.targets
    assert target.arn.ref == "aws_lambda_function.fn" and _known(target.id) == "fn"
    assert target.dead_letter_target is not None and target.dead_letter_target.ref == "aws_sqs_queue.dlq"
    assert _where(target.dead_letter_target) == _at(TF, "aws_sqs_queue.dlq.arn", 2)

    hourly = app.event_rules["aws_cloudwatch_event_rule.hourly"]
    assert _known(hourly.schedule) == "rate(1 hour)" and hourly.targets == () and hourly.bus is None

    nightly = app.event_rules["aws_scheduler_schedule.nightly"]
    assert nightly.resource_type == "aws_scheduler_schedule" and _known(nightly.state) == "DISABLED"
    (target,) = nightly.targets
    assert target.arn.ref == "aws_lambda_function.fn" and target.id is None
    assert target.dead_letter_target is not None and target.dead_letter_target.ref == "aws_sqs_queue.dlq"
    assert _where(target) == _at(TF, "target {")


def test_terraform_unknown_notifications(tmp_path: Path) -> None:
    """A ``dynamic`` notification block: the set is not known. ``eventbridge`` from a variable
    whose default is true: a notification the module may deploy, the set not known."""
    app = _tf(tmp_path, """\
variable "queues" {
  type = map(string)
}

variable "to_bus" {
  type    = bool
  default = true
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}

resource "aws_s3_bucket_notification" "b" {
  bucket      = aws_s3_bucket.b.bucket
  eventbridge = var.to_bus
  dynamic "queue" {
    for_each = var.queues
    content {
      queue_arn = queue.value
      events    = ["s3:ObjectCreated:*"]
    }
  }
}
""")
    bucket = app.buckets["aws_s3_bucket.b"]
    assert bucket.notifications_unresolved
    (bus,) = bucket.notifications
    assert bus.target_type == "eventbridge"


# -- Terraform plan ------------------------------------------------------------------------

def _resource(address: str, values: dict[str, Any]) -> dict[str, Any]:
    rtype, name = address.split(".")
    return {"address": address, "mode": "managed", "type": rtype, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": values,
            "sensitive_values": {}}


def _config(address: str, expressions: dict[str, Any]) -> dict[str, Any]:
    rtype, name = address.split(".")
    return {"address": address, "mode": "managed", "type": rtype, "name": name, "provider_config_key": "aws",
            "expressions": expressions, "schema_version": 0}


def _refs(*refs: str) -> dict[str, Any]:
    return {"references": list(refs)}


PLAN = {
    "format_version": "1.2",
    "terraform_version": "1.9.5",
    "planned_values": {"root_module": {"resources": [
        _resource("aws_s3_bucket.uploads", {"bucket": "acme-uploads", "force_destroy": False}),
        # lambda_function_arn is not known before apply: absent from the plan
        _resource("aws_s3_bucket_notification.uploads", {
            "bucket": "acme-uploads", "eventbridge": False, "queue": [], "topic": [],
            "lambda_function": [{"events": ["s3:ObjectCreated:*"], "filter_prefix": "in/", "filter_suffix": ""}]}),
        _resource("aws_sqs_queue.jobs", {"name": "jobs", "fifo_queue": False, "visibility_timeout_seconds": 60}),
        _resource("aws_sqs_queue.dlq", {
            "name": "dlq", "fifo_queue": False, "visibility_timeout_seconds": 30,
            "redrive_policy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:123456789012:last\","
                              "\"maxReceiveCount\":9}"}),
        _resource("aws_sns_topic.news", {"name": "news", "fifo_topic": False}),
        _resource("aws_sns_topic_subscription.news", {
            "protocol": "lambda", "filter_policy": "{\"kind\":[\"order\"]}", "filter_policy_scope": "MessageBody"}),
        _resource("aws_dynamodb_table.orders", {"name": "orders", "hash_key": "id", "stream_enabled": True,
                                                "stream_view_type": "NEW_IMAGE"}),
        _resource("aws_dynamodb_table.plain", {"name": "plain", "hash_key": "id", "stream_enabled": False,
                                               "stream_view_type": ""}),
        _resource("aws_cloudwatch_event_rule.orders", {
            "name": "orders", "event_bus_name": "default", "event_pattern": "{\"source\":[\"shop.orders\"]}",
            "is_enabled": True, "state": "ENABLED", "schedule_expression": None}),
        _resource("aws_cloudwatch_event_rule.audit", {
            "name": "orders", "event_bus_name": "audit", "event_pattern": "{\"source\":[\"audit\"]}",
            "state": "ENABLED"}),
        _resource("aws_cloudwatch_event_target.orders", {
            "rule": "orders", "event_bus_name": "default", "target_id": "fn",
            "dead_letter_config": [{"arn": "arn:aws:sqs:eu-west-1:123456789012:dlq"}]}),
        _resource("aws_scheduler_schedule.nightly", {
            "name": "nightly", "schedule_expression": "rate(1 day)", "state": "ENABLED",
            "flexible_time_window": [{"mode": "OFF", "maximum_window_in_minutes": None}],
            "target": [{"role_arn": "arn:aws:iam::123456789012:role/s", "dead_letter_config": [],
                        "retry_policy": []}]}),
        _resource("aws_lambda_function.fn", {"function_name": "fn", "handler": "app.handler",
                                             "runtime": "python3.12", "filename": "fn.zip"}),
    ]}},
    "configuration": {"provider_config": {}, "root_module": {"resources": [
        _config("aws_s3_bucket_notification.uploads", {
            "bucket": _refs("aws_s3_bucket.uploads.id", "aws_s3_bucket.uploads"),
            "lambda_function": [{
                "events": {"constant_value": ["s3:ObjectCreated:*"]}, "filter_prefix": {"constant_value": "in/"},
                "lambda_function_arn": _refs("aws_lambda_function.fn.arn", "aws_lambda_function.fn")}]}),
        _config("aws_sqs_queue.jobs", {"name": {"constant_value": "jobs"},
                                       "redrive_policy": _refs("aws_sqs_queue.dlq.arn", "aws_sqs_queue.dlq")}),
        _config("aws_sns_topic_subscription.news", {
            "topic_arn": _refs("aws_sns_topic.news.arn", "aws_sns_topic.news"),
            "endpoint": _refs("aws_lambda_function.fn.arn", "aws_lambda_function.fn"),
            "protocol": {"constant_value": "lambda"}}),
        _config("aws_cloudwatch_event_target.orders", {
            "rule": _refs("aws_cloudwatch_event_rule.orders.name", "aws_cloudwatch_event_rule.orders"),
            "arn": _refs("aws_lambda_function.fn.arn", "aws_lambda_function.fn")}),
    ]}},
}


def test_plan(tmp_path: Path) -> None:
    """Plan values: blocks are lists of mappings, JSON documents are text, unset optional strings
    are "", values known only after apply come from the configuration's references (also inside
    the blocks the plan lists) or stay unknown; an attaching resource whose reference is known
    finds its owner by name (a rule: by name on the target's bus)."""
    text = json.dumps(PLAN, indent=2)
    app = _load(tmp_path, "plan.json", text)
    assert app.dialect == "terraform"
    bucket = app.buckets["aws_s3_bucket.uploads"]
    assert _known(bucket.name) == "acme-uploads" and not bucket.notifications_unresolved
    assert _where(bucket.name) == _at(text, '"acme-uploads"')
    (note,) = bucket.notifications  # eventbridge false; filter_suffix "" is no filter
    assert note.target_type == "lambda" and note.suffix is None and _known(note.prefix) == "in/"
    # not known before apply: the reference of the block's configuration
    assert note.target is not None and not note.target.is_known() and note.target.ref == "aws_lambda_function.fn"
    assert [e.value for e in note.events] == ["s3:ObjectCreated:*"]
    assert _where(note.events[0]) == _at(text, '"s3:ObjectCreated:*"')

    jobs = app.queues["aws_sqs_queue.jobs"]  # redrive policy unknown: the configuration's reference
    assert jobs.redrive_target is not None and jobs.redrive_target.ref == "aws_sqs_queue.dlq"
    assert jobs.max_receive_count is None
    dlq = app.queues["aws_sqs_queue.dlq"]
    assert _known(dlq.redrive_target) == "arn:aws:sqs:eu-west-1:123456789012:last"
    assert _known(dlq.max_receive_count) == 9 and _where(dlq.max_receive_count) == _at(text, '"{\\"deadLetterTargetArn')

    (sub,) = app.subscriptions
    assert sub.topic.ref == "aws_sns_topic.news" and sub.endpoint.ref == "aws_lambda_function.fn"
    assert sub.filter_policy is not None and sub.filter_policy.value["kind"].value[0].value == "order"
    assert _known(sub.filter_policy_scope) == "MessageBody"

    assert _known(app.tables["aws_dynamodb_table.orders"].stream_view_type) == "NEW_IMAGE"
    plain = app.tables["aws_dynamodb_table.plain"]
    assert _known(plain.stream_enabled) is False and plain.stream_view_type is None

    rules: dict[str, EventRule] = dict(app.event_rules)
    orders, audit = rules["aws_cloudwatch_event_rule.orders"], rules["aws_cloudwatch_event_rule.audit"]
    assert _known(orders.bus) == "default" and orders.schedule is None and _known(orders.state) == "ENABLED"
    assert orders.pattern is not None and orders.pattern.value["source"].value[0].value == "shop.orders"
    assert audit.targets == ()
    (target,) = orders.targets
    assert target.arn.ref == "aws_lambda_function.fn" and _known(target.id) == "fn"
    assert _known(target.dead_letter_target) == "arn:aws:sqs:eu-west-1:123456789012:dlq"
    assert _where(target.id) == _at(text, '"fn"')

    nightly = rules["aws_scheduler_schedule.nightly"]
    assert _known(nightly.schedule) == "rate(1 day)"
    (target,) = nightly.targets
    assert not target.arn.is_known() and target.dead_letter_target is None
