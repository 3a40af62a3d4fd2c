"""The IAM layer: policy documents from every dialect, roles with their attachments, what an
execution role allows, and the action database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lambdalint.data import DataStore
from lambdalint.iam import actions
from lambdalint.iam.effective import execution_role, may_allow, permissions
from lambdalint.loading import load_file, load_terraform
from lambdalint.model import Application

SAM = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Bucket: {Type: String}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://artifacts/app.zip
      Policies:
        - S3ReadPolicy:
            BucketName: !Ref Bucket
        - AmazonSQSFullAccess
        - Statement:
            - Effect: Allow
              Action: [dynamodb:PutItem]
              Resource: '*'
"""


def _cfn(tmp_path: Path, text: str, name: str = "t.yaml") -> Application:
    (tmp_path / name).write_text(text)
    app, _ = load_file(str(tmp_path / name), name)
    assert app is not None and not app.problems, app.problems if app else None
    return app


def test_sam_generated_role_expands_templates_and_managed_names(tmp_path: Path) -> None:
    app = _cfn(tmp_path, SAM)
    fn = app.functions["Fn"]
    role = execution_role(fn, app)
    assert role is not None and role.id == "FnRole" and role.implicit
    arns = [a.value for a in role.managed_policy_arns]
    assert arns == ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                    "arn:aws:iam::aws:policy/AmazonSQSFullAccess"]
    template, inline = role.policies
    assert template.kind == "sam-template" and template.name == "policy template S3ReadPolicy"
    actions_of = [a.value for a in template.statements[0].action.value]  # type: ignore[union-attr]
    assert "s3:GetObject" in actions_of
    # the template's resources name the parameter passed in, unknown here
    assert all(not r.is_known() for r in template.statements[0].resource.value)  # type: ignore[union-attr]
    stmt = inline.statements[0]
    assert inline.kind == "inline" and stmt.action.value[0].source.line == 17  # type: ignore[union-attr]
    perms = permissions(role, app, DataStore(), {})
    assert perms.complete  # every policy is known: SAM's, the template, the managed ones in the table
    assert may_allow(perms, "sqs:SendMessage") and may_allow(perms, "logs:PutLogEvents")
    assert not may_allow(perms, "iam:PassRole")


def test_unknown_managed_policy_makes_the_role_incomplete(tmp_path: Path) -> None:
    app = _cfn(tmp_path, SAM.replace("AmazonSQSFullAccess", "arn:aws:iam::123456789012:policy/team"))
    role = execution_role(app.functions["Fn"], app)
    assert role is not None and not permissions(role, app, DataStore(), {}).complete


def test_policy_resources_attach_to_the_role_they_name(tmp_path: Path) -> None:
    app = _cfn(tmp_path, """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: worker
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      ManagedPolicyArns: [!Ref Shared]
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}
  ByName:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: by-name
      Roles: [worker]
      PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: '*'}]}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: b, S3Key: k}
      Role: !GetAtt Role.Arn
""")
    role = app.roles["Role"]
    assert [d.name for d in role.policies] == ["policy by-name"]
    perms = permissions(role, app, DataStore(), {})
    assert perms.complete and may_allow(perms, "s3:GetObject") and may_allow(perms, "sqs:SendMessage")


def test_connectors_make_every_role_incomplete(tmp_path: Path) -> None:
    app = _cfn(tmp_path, SAM + """\
  Conn:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Fn}
      Destination: {Id: Fn}
      Permissions: [Read]
""")
    assert app.roles["FnRole"].unresolved


HCL = """\
resource "aws_s3_bucket" "b" {}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "heredoc" {
  role   = aws_iam_role.r.id
  policy = <<EOF
{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "${aws_s3_bucket.b.arn}/out/*"
    }
  ]
}
EOF
}

resource "aws_iam_policy" "encoded" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:SendMessage"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = aws_iam_policy.encoded.arn
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.r.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
"""


def test_terraform_documents_keep_their_positions(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(HCL)
    app, _ = load_terraform(str(tmp_path), str(tmp_path))
    role = execution_role(app.functions["aws_lambda_function.f"], app)
    assert role is not None and role.id == "aws_iam_role.r"
    trust = role.trust_policy
    assert trust is not None and trust.statements[0].principal is not None
    heredoc = role.policies[0].statements[0]
    action = heredoc.action.value[0]  # type: ignore[union-attr]
    assert (action.value, action.source.line, action.source.column) == ("s3:PutObject", 25, 17)
    resource = heredoc.resource.value[0]  # type: ignore[union-attr]
    # an interpolation stays unknown, but keeps what it refers to and the text around it
    assert not resource.is_known() and resource.ref == "aws_s3_bucket.b"
    assert resource.value.expr == "${aws_s3_bucket.b.arn}/out/*"  # type: ignore[union-attr]
    encoded = app.managed_policies["aws_iam_policy.encoded"].statements[0]
    assert encoded.resource.value[0].source.line == 38  # type: ignore[union-attr]
    perms = permissions(role, app, DataStore(), {})
    assert perms.complete and may_allow(perms, "sqs:SendMessage") and not may_allow(perms, "sns:Publish")


def test_plan_policies_are_json_strings(tmp_path: Path) -> None:
    policy = json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    trust = json.dumps({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                       "Principal": {"Service": "lambda.amazonaws.com"}}]})
    doc = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
         "values": {"name": "r", "assume_role_policy": trust, "inline_policy": [{"name": "x", "policy": policy}]}},
        {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function", "name": "f",
         "values": {"function_name": "f", "runtime": "python3.13", "handler": "a.b"}}]}},
        "configuration": {"root_module": {"resources": [{"address": "aws_lambda_function.f", "expressions": {
            "role": {"references": ["aws_iam_role.r.arn", "aws_iam_role.r"]}}}]}}}
    (tmp_path / "plan.json").write_text(json.dumps(doc, indent=2))
    app, _ = load_file(str(tmp_path / "plan.json"), "plan.json")
    assert app is not None
    role = execution_role(app.functions["aws_lambda_function.f"], app)
    assert role is not None and role.policies[0].statements[0].action.value[0].value == "s3:*"  # type: ignore
    assert permissions(role, app, DataStore(), {}).complete


def test_action_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAMBDALINT_CACHE_DIR", str(tmp_path))
    actions.index.cache_clear()
    try:
        assert actions.available()
        assert list(tmp_path.glob("iam-actions-*.json")), "the index is cached"
        assert "s3:PutObject" in actions.expand("s3:put*")
        assert actions.expand("s3:NoSuchThing*") == []
        assert actions.level("s3:GetObject") == actions.READ
        assert actions.level("iam:PassRole") in (actions.WRITE, actions.PERMISSIONS)
        assert actions.resource_level("dynamodb:PutItem") is True
        assert actions.resource_level("cloudwatch:PutMetricData") is False
        assert actions.known("sqs:SendMessage") and not actions.known("sqs:SendMessages")
        actions.index.cache_clear()
        assert actions.level("S3:GETOBJECT") == actions.READ  # read back from the cache, case-insensitive
    finally:
        actions.index.cache_clear()


def test_managed_policy_arns_built_with_the_partition(tmp_path: Path) -> None:
    app = _cfn(tmp_path, """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole
        - !Join ['', ['arn:', !Ref AWS::Partition, ':iam::aws:policy/AmazonS3ReadOnlyAccess']]
""")
    perms = permissions(app.roles["Role"], app, DataStore(), {})
    assert [name for name, _ in perms.managed] == ["AWSLambdaSQSQueueExecutionRole", "AmazonS3ReadOnlyAccess"]
    assert perms.complete and may_allow(perms, "sqs:ReceiveMessage") and may_allow(perms, "s3:GetObject")
