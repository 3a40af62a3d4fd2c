"""Messages say what is true of the input (issue: messages that never lie and never leak)."""

from __future__ import annotations

from templates import FUNCTION

from lambdalint.testing import lint_text

STREAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: {ShardCount: 1}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://b/k.zip
      Events:
        S:
          Type: Kinesis
          Properties:
            Stream: !GetAtt Stream.Arn
            StartingPosition: LATEST
"""


def test_ev005_says_the_shard_is_blocked_only_when_retries_are_unbounded() -> None:
    [open_ended] = lint_text(STREAM, select=["EV005"]).findings
    assert "block the shard" in open_ended.message
    for bound in ("MaximumRetryAttempts: 2", "MaximumRecordAgeInSeconds: 3600"):
        [bounded] = lint_text(STREAM + f"            {bound}\n", select=["EV005"]).findings
        assert "block the shard" not in bounded.message
        assert f"retried until {bound.split(':')[0]} ends them" in bounded.message
    [infinite] = lint_text(STREAM + "            MaximumRetryAttempts: -1\n", select=["EV005"]).findings
    assert "block the shard" in infinite.message


def test_al002_never_prints_none_for_a_version_it_does_not_know() -> None:
    template = "Parameters:\n  Extra:\n    Type: String\n" + FUNCTION + """\
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Fn
      FunctionVersion: "1"
      Name: live
      RoutingConfig:
        AdditionalVersionWeights:
          - {FunctionVersion: !Ref Extra, FunctionWeight: 1.5}
"""
    [finding] = lint_text(template, select=["AL002"]).findings
    assert "None" not in finding.message and "gives its additional version the weight 1.5" in finding.message


def test_a_scheduler_schedule_is_called_a_schedule() -> None:
    template = FUNCTION + """\
  Nightly:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(1 day)
      FlexibleTimeWindow: {Mode: "OFF"}
      Target:
        Arn: !GetAtt Fn.Arn
        RoleArn: arn:aws:iam::123456789012:role/scheduler
"""
    [finding] = lint_text(template, select=["EV004"]).findings
    assert "(EventBridge Scheduler schedule Nightly" in finding.message and "rule" not in finding.message


def test_im013_describes_the_trust_policy_it_read() -> None:
    template = FUNCTION.replace("arn:aws:iam::123456789012:role/lambda", "!GetAtt Role.Arn") + """\
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: arn:aws:iam::123456789012:root}
            Action: sts:AssumeRole
          - Effect: Deny
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
"""
    [finding] = lint_text(template, select=["IM013"]).findings
    assert ("it trusts only the account root of 123456789012, and denies lambda.amazonaws.com; remove the "
            "statement that denies it") in finding.message


def test_rt005_advice_fits_the_property_it_names() -> None:
    image = FUNCTION.replace("      Code: {S3Bucket: b, S3Key: k}\n", "      PackageType: Image\n"
                             "      Code: {ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1}\n")
    image += "      Layers: [arn:aws:lambda:eu-west-1:123456789012:layer:deps:1]\n"
    advice = {f.message.split("Remove it (")[1] for f in lint_text(image, select=["RT005"]).findings}
    assert advice == {"set the command in the image configuration: ImageConfig.Command, Terraform "
                      "image_config.command).", "the image's base image is the runtime).",
                      "build the layers' contents into the image)."}


LOOP = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://artifacts/worker.zip
      Policies:
        - SQSSendMessagePolicy:
            QueueName: !GetAtt Jobs.QueueName
      Events:
        Poll:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""


def test_rc001_says_a_loop_rests_on_a_wildcard_only_when_it_does() -> None:
    [scoped] = lint_text(LOOP, select=["RC001"]).findings
    assert "wildcard" not in scoped.message
    statement = "        - Statement:\n            - {Effect: Allow, Action: sqs:SendMessage, Resource: '*'}\n"
    template = "        - SQSSendMessagePolicy:\n            QueueName: !GetAtt Jobs.QueueName\n"
    wildcard = LOOP.replace(template, statement)
    [loose] = lint_text(wildcard, select=["RC001"]).findings
    assert "The loop rests on a wildcard permission" in loose.message


def test_rc001_says_what_an_eventbridge_loop_needs() -> None:
    template = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Plugin:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://artifacts/plugin.zip
      Policies:
        - EventBridgePutEventsPolicy:
            EventBusName: default
      Events:
        Trigger:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [video.pluginManager]
"""
    [finding] = lint_text(template, select=["RC001"]).findings
    assert "The loop needs the function to put events with source video.pluginManager" in finding.message
