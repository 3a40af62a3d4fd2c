"""Event sources, destinations and VPC networking read into the model, in every dialect."""

from __future__ import annotations

import json
from pathlib import Path

from lambdalint.loading import load_file, load_terraform
from lambdalint.model import Application

CFN_VPC = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ExistingSubnet: {Type: String}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Public:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: eu-west-1a}
  Private:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: eu-west-1b}
  PublicRoutes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  ToInternet:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PublicRoutes
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  PublicAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Public, RouteTableId: !Ref PublicRoutes}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: {SubnetId: !Ref Public, AllocationId: eipalloc-0123}
  PrivateRoutes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  ViaNat:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PrivateRoutes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
  PrivateAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Private, RouteTableId: !Ref PrivateRoutes}
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
      RouteTableIds: [!Ref PrivateRoutes]
  Open:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: default egress, VpcId: !Ref Vpc}
  Closed:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: https only
      VpcId: !Ref Vpc
      SecurityGroupEgress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
"""


def _load(tmp_path: Path, name: str, text: str) -> Application:
    (tmp_path / name).write_text(text)
    app, _ = load_file(str(tmp_path / name), name)
    assert app is not None and not app.problems, app.problems if app else None
    return app


def test_cloudformation_vpc(tmp_path: Path) -> None:
    net = _load(tmp_path, "vpc.yaml", CFN_VPC).network
    assert list(net.vpcs) == ["Vpc"]
    assert net.internet_gateways["Igw"].vpc is not None and net.internet_gateways["Igw"].vpc.ref == "Vpc"
    public = net.subnets["Public"]
    assert public.route_table is not None and public.route_table.ref == "PublicRoutes"
    assert public.availability_zone is not None and public.availability_zone.value == "eu-west-1a"
    (route,) = net.route_tables["PublicRoutes"].routes
    assert (route.target_type, route.destination.value, route.destination.source.line) == (
        "internet-gateway", "0.0.0.0/0", 26)
    assert net.route_tables["PrivateRoutes"].routes[0].target_type == "nat-gateway"
    assert net.nat_gateways["Nat"].subnet is not None and net.nat_gateways["Nat"].subnet.ref == "Public"
    assert [r.ref for r in net.endpoints["S3Endpoint"].route_tables] == ["PrivateRoutes"]
    # a group that declares no egress rule keeps AWS's default allow-all rule
    (default,) = net.security_groups["Open"].egress
    assert default.cidr is not None and default.cidr.value == "0.0.0.0/0"
    (https,) = net.security_groups["Closed"].egress
    assert https.from_port is not None and https.from_port.value == 443


TF_VPC = """\
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_nat_gateway" "nat" {
  subnet_id = var.public_subnet_id
}

resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.main.default_route_table_id
}

resource "aws_security_group" "none" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "dynamic" {
  vpc_id = aws_vpc.main.id
  dynamic "egress" {
    for_each = var.rules
    content {
      from_port   = egress.value
      to_port     = egress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.none.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

variable "public_subnet_id" {}
variable "rules" {}
"""


def test_terraform_vpc(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF_VPC)
    app, _ = load_terraform(str(tmp_path), str(tmp_path))
    net = app.network
    subnet = net.subnets["aws_subnet.private"]
    assert subnet.route_table is not None and subnet.route_table.ref == "aws_route_table.private"
    (route,) = net.route_tables["aws_route_table.private"].routes
    assert (route.target_type, route.destination.source.line) == ("nat-gateway", 14)
    assert net.route_tables["aws_default_route_table.main"].main
    nat = net.nat_gateways["aws_nat_gateway.nat"]
    assert nat.subnet is not None and not nat.subnet.is_known()  # a variable without default
    # Terraform drops the default egress: only the separate rule remains
    (rule,) = net.security_groups["aws_security_group.none"].egress
    assert rule.from_port is not None and rule.from_port.value == 443
    assert net.security_groups["aws_security_group.dynamic"].egress_unresolved


def test_plan_vpc(tmp_path: Path) -> None:
    doc = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_route_table.public", "mode": "managed", "type": "aws_route_table", "name": "public",
         "values": {"route": [{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-0abc", "nat_gateway_id": "",
                               "ipv6_cidr_block": "", "destination_prefix_list_id": ""}]}},
        {"address": "aws_security_group.sg", "mode": "managed", "type": "aws_security_group", "name": "sg",
         "values": {"egress": []}}]}}}
    (tmp_path / "plan.json").write_text(json.dumps(doc, indent=2))
    app, _ = load_file(str(tmp_path / "plan.json"), "plan.json")
    assert app is not None
    (route,) = app.network.route_tables["aws_route_table.public"].routes
    assert route.target_type == "internet-gateway"
    sg = app.network.security_groups["aws_security_group.sg"]
    assert sg.egress == () and not sg.egress_unresolved


EVENTS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: photos
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
      VisibilityTimeout: 120
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 5}
  Dlq:
    Type: AWS::SQS::Queue
  Topic:
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
            Bucket: !Ref Bucket
            Events: [s3:ObjectCreated:Put]
            Filter: {S3Key: {Rules: [{Name: suffix, Value: .jpg}]}}
        Notify:
          Type: SNS
          Properties: {Topic: !Ref Topic}
        Nightly:
          Type: Schedule
          Properties: {Schedule: cron(0 2 * * ? *)}
"""


def test_sam_events_become_resources(tmp_path: Path) -> None:
    app = _load(tmp_path, "events.yaml", EVENTS)
    (note,) = app.buckets["Bucket"].notifications
    assert note.target_type == "lambda" and note.target is not None and note.target.ref == "Fn"
    assert note.suffix is not None and note.suffix.value == ".jpg" and note.prefix is None
    queue = app.queues["Queue"]
    assert queue.fifo is not None and queue.fifo.value is True
    assert queue.redrive_target is not None and queue.redrive_target.ref == "Dlq"
    (sub,) = app.subscriptions
    assert sub.implicit and sub.topic.ref == "Topic" and sub.endpoint.ref == "Fn"
    rule = app.event_rules["FnNightly"]
    assert rule.schedule is not None and rule.schedule.value == "cron(0 2 * * ? *)"


TF_EVENTS = """\
resource "aws_s3_bucket" "b" {
  bucket = "uploads"
}

resource "aws_s3_bucket_notification" "b" {
  bucket = aws_s3_bucket.b.id
  queue {
    queue_arn     = aws_sqs_queue.q.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = "in/"
  }
}

resource "aws_sqs_queue" "q" {
  name                       = "q"
  visibility_timeout_seconds = 30
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 3
  })
}

resource "aws_sqs_queue" "dlq" {}

resource "aws_dynamodb_table" "t" {
  name             = "t"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
}

resource "aws_cloudwatch_event_rule" "r" {
  event_pattern = jsonencode({ source = ["shop.orders"] })
}

resource "aws_cloudwatch_event_target" "r" {
  rule = aws_cloudwatch_event_rule.r.name
  arn  = aws_sqs_queue.q.arn
}
"""


def test_terraform_events(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF_EVENTS)
    app, _ = load_terraform(str(tmp_path), str(tmp_path))
    (note,) = app.buckets["aws_s3_bucket.b"].notifications
    assert note.target_type == "sqs" and note.prefix is not None and note.prefix.value == "in/"
    assert note.prefix.source.line == 10
    queue = app.queues["aws_sqs_queue.q"]
    assert queue.redrive_target is not None and queue.redrive_target.ref == "aws_sqs_queue.dlq"
    assert queue.max_receive_count is not None and queue.max_receive_count.value == 3
    table = app.tables["aws_dynamodb_table.t"]
    assert table.stream_view_type is not None and table.stream_view_type.value == "NEW_IMAGE"
    rule = app.event_rules["aws_cloudwatch_event_rule.r"]
    assert rule.pattern is not None and rule.pattern.value["source"].value[0].value == "shop.orders"
    (target,) = rule.targets
    assert target.arn.ref == "aws_sqs_queue.q"


ALIASES = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://artifacts/api.zip
      AutoPublishAlias: live-v2
      ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 5}
      EventInvokeConfig: {MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 600}
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: artifacts, S3Key: worker.zip}
      Role: arn:aws:iam::123456789012:role/worker
  WorkerV1:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Worker}
  WorkerLive:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Worker
      Name: live
      FunctionVersion: !GetAtt WorkerV1.Version
      RoutingConfig:
        AdditionalVersionWeights: [{FunctionVersion: "2", FunctionWeight: 0.1}]
  WorkerAsync:
    Type: AWS::Lambda::EventInvokeConfig
    Properties: {FunctionName: !Ref Worker, Qualifier: $LATEST, MaximumRetryAttempts: 0}
"""


def test_cloudformation_versions_and_aliases(tmp_path: Path) -> None:
    app = _load(tmp_path, "aliases.yaml", ALIASES)
    generated = app.aliases["ApiAliasliveDv2"]
    assert generated.implicit and generated.name is not None and generated.name.value == "live-v2"
    assert generated.provisioned_concurrency is not None and generated.provisioned_concurrency.value == 5
    assert app.versions["ApiVersion"].implicit
    live = app.aliases["WorkerLive"]
    assert live.function.ref == "Worker" and live.function_version is not None
    ((version, weight),) = live.routing
    assert (version.value, weight.value, weight.source.line) == ("2", 0.1, 29)
    api, worker = app.functions["Api"], app.functions["Worker"]
    assert api.max_retry_attempts is not None and api.max_retry_attempts.value == 1
    assert api.max_event_age is not None and api.max_event_age.value == 600
    assert worker.max_retry_attempts is not None and worker.max_retry_attempts.value == 0


def test_terraform_aliases(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("""\
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/fn"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  publish       = true
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.fn.function_name
  function_version = aws_lambda_function.fn.version
  routing_config {
    additional_version_weights = {
      "3" = 0.25
    }
  }
}

resource "aws_lambda_function_event_invoke_config" "fn" {
  function_name                = aws_lambda_function.fn.function_name
  maximum_event_age_in_seconds = 3600
}
""")
    app, _ = load_terraform(str(tmp_path), str(tmp_path))
    live = app.aliases["aws_lambda_alias.live"]
    assert live.function.ref == "aws_lambda_function.fn"
    ((version, weight),) = live.routing
    assert (version.value, weight.value) == ("3", 0.25)
    assert app.versions["aws_lambda_function.fn.version"].implicit
    fn = app.functions["aws_lambda_function.fn"]
    assert fn.max_event_age is not None and fn.max_event_age.value == 3600 and fn.max_retry_attempts is None
