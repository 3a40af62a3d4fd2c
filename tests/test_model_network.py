"""VPC networking read into the model (``Application.network``): CloudFormation YAML and JSON,
Terraform HCL and a Terraform plan, with the exact place of the values read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lambdalint.loading import load_file, load_terraform
from lambdalint.model import Application, Network, SecurityGroupRule
from lambdalint.parsers.nodes import Node
from lambdalint.parsers.yaml_loader import load_text
from lambdalint.reachability import path
from lambdalint.values import Located, SourceRef, UnresolvedText

# -- helpers ------------------------------------------------------------------------------------


def _plain(node: Node) -> Any:
    """A loaded document as plain data (YAML short-form tags become their long form)."""
    value = node.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _load(tmp_path: Path, name: str, text: str) -> Application:
    (tmp_path / name).write_text(text)
    app, _ = load_file(str(tmp_path / name), name)
    assert app is not None and not app.problems, app.problems if app else None
    return app


def _terraform(tmp_path: Path, text: str) -> Network:
    (tmp_path / "main.tf").write_text(text)
    app, _ = load_terraform(str(tmp_path), str(tmp_path))
    assert not app.problems, app.problems
    return app.network


def _at(text: str, where: Located[Any] | SourceRef | None) -> str:
    """The text of the input a value (or a source region) covers."""
    assert where is not None
    src = where.source if isinstance(where, Located) else where
    lines = text.splitlines()
    if src.line == src.end_line:
        return lines[src.line - 1][src.column - 1:src.end_column - 1]
    return "\n".join([lines[src.line - 1][src.column - 1:], *lines[src.line:src.end_line - 1],
                      lines[src.end_line - 1][:src.end_column - 1]])


def _pos(loc: Located[Any] | SourceRef | None) -> tuple[int, int]:
    assert loc is not None
    src = loc.source if isinstance(loc, Located) else loc
    return src.line, src.column


def _ref(loc: Located[Any] | None) -> str | None:
    assert loc is not None
    return loc.ref


def _value(loc: Located[Any] | None) -> Any:
    assert loc is not None
    return loc.value


def _destinations(rules: tuple[SecurityGroupRule, ...]) -> list[tuple[Any, ...]]:
    """Each rule as (protocol, from, to, destination) with known values or references."""
    out = []
    for r in rules:
        target = r.cidr or r.ipv6_cidr or r.prefix_list or r.security_group
        assert target is not None
        out.append((r.protocol.known() if r.protocol else None, r.from_port.known() if r.from_port else None,
                    r.to_port.known() if r.to_port else None, target.known() or target.ref))
    return out


def _verdicts(net: Network, subnets: dict[str, str]) -> dict[str, str]:
    """The reachability verdict of each subnet (the rules' view of the model)."""
    return {sid: path(Located("subnet", net.subnets[sid].source, ref=sid), net).verdict for sid in subnets}


# -- CloudFormation -----------------------------------------------------------------------------

CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ExistingSubnet:
    Type: AWS::EC2::Subnet::Id
  Destination:
    Type: String
    Default: 0.0.0.0/0
  Restricted:
    Type: String
    AllowedValues: ["yes", "no"]
Conditions:
  IsRestricted: !Equals [!Ref Restricted, "yes"]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  PublicA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
      AvailabilityZone: eu-west-1a
      MapPublicIpOnLaunch: true
  PublicB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      AvailabilityZoneId: euw1-az2
  PrivateA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
      AvailabilityZone: eu-west-1a
  PrivateB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.3.0/24
      AvailabilityZone: eu-west-1b
  PublicRoutes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PublicDefault:
    Type: AWS::EC2::Route
    DependsOn: IgwAttachment
    Properties:
      RouteTableId: !Ref PublicRoutes
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  PublicAssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PublicA
      RouteTableId: !Ref PublicRoutes
  PublicAssocB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PublicB
      RouteTableId: !Ref PublicRoutes
  NatIp:
    Type: AWS::EC2::EIP
    Properties:
      Domain: vpc
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref PublicA
      AllocationId: !GetAtt NatIp.AllocationId
  PrivateRoutes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateRoutes
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref Nat
  EgressOnly:
    Type: AWS::EC2::EgressOnlyInternetGateway
    Properties:
      VpcId: !Ref Vpc
  PrivateIpv6:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateRoutes
      DestinationIpv6CidrBlock: ::/0
      EgressOnlyInternetGatewayId: !Ref EgressOnly
  PrivateAssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PrivateA
      RouteTableId: !Ref PrivateRoutes
  PrivateAssocB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PrivateB
      RouteTableId: !Ref PrivateRoutes
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
      RouteTableIds: [!Ref PrivateRoutes]
  DynamoDbEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Join ["", ["com.amazonaws.", !Ref "AWS::Region", ".dynamodb"]]
      VpcEndpointType: Gateway
      RouteTableIds:
        - !Ref PrivateRoutes
  SqsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.eu-west-1.sqs
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      SubnetIds: [!Ref PrivateA, !Ref PrivateB]
      SecurityGroupIds: [!GetAtt HttpsOnly.GroupId]
  OpenGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: no egress declared
      VpcId: !Ref Vpc
  HttpsOnly:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: https only
      VpcId: !Ref Vpc
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
  DbClient:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: egress declared as a resource
      VpcId: !Ref Vpc
  DbClientEgress:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !GetAtt DbClient.GroupId
      IpProtocol: tcp
      FromPort: 5432
      ToPort: 5432
      DestinationSecurityGroupId: !GetAtt HttpsOnly.GroupId
  Conditional:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: egress depends on a condition
      VpcId: !Ref Vpc
      SecurityGroupEgress: !If
        - IsRestricted
        - [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16}]
        - !Ref AWS::NoValue
  ElsewhereNat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref ExistingSubnet
      ConnectivityType: private
  ElsewhereAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref ExistingSubnet
      RouteTableId: !Ref PrivateRoutes
  ParamRoutes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  ParamRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref ParamRoutes
      DestinationCidrBlock: !Ref Destination
      GatewayId: igw-0123456789abcdef0
"""


def _cfn(tmp_path: Path, dialect: str) -> tuple[Network, str]:
    """The template above, as YAML or as the same document written in JSON."""
    if dialect == "json":
        root = load_text(CFN, "vpc.yaml")
        assert root is not None
        text = json.dumps(_plain(root), indent=2) + "\n"
    else:
        text = CFN
    return _load(tmp_path, f"vpc.{dialect}", text).network, text


@pytest.mark.parametrize("dialect", ["yaml", "json"])
def test_cloudformation_vpc(tmp_path: Path, dialect: str) -> None:
    net, text = _cfn(tmp_path, dialect)
    assert list(net.vpcs) == ["Vpc"]
    assert _at(text, net.vpcs["Vpc"]).strip('"') == "Vpc"
    igw = net.internet_gateways["Igw"]
    assert (_ref(igw.vpc), igw.egress_only) == ("Vpc", False)
    assert _ref(net.internet_gateways["EgressOnly"].vpc) == "Vpc" and net.internet_gateways["EgressOnly"].egress_only
    public_a, public_b = net.subnets["PublicA"], net.subnets["PublicB"]
    assert (_value(public_a.availability_zone), _value(public_a.cidr), _value(public_a.map_public_ip)) == (
        "eu-west-1a", "10.0.0.0/24", True)
    assert public_b.availability_zone is None and _value(public_b.availability_zone_id) == "euw1-az2"
    assert public_b.map_public_ip is None
    assert {sid: _ref(s.route_table) for sid, s in net.subnets.items()} == {
        "PublicA": "PublicRoutes", "PublicB": "PublicRoutes", "PrivateA": "PrivateRoutes",
        "PrivateB": "PrivateRoutes"}
    assert {sid: _ref(s.vpc) for sid, s in net.subnets.items()} == dict.fromkeys(net.subnets, "Vpc")

    (to_internet,) = net.route_tables["PublicRoutes"].routes
    assert (to_internet.destination.value, to_internet.target_type, _ref(to_internet.target)) == (
        "0.0.0.0/0", "internet-gateway", "Igw")
    private = net.route_tables["PrivateRoutes"]
    assert [(r.destination.value, r.target_type, _ref(r.target)) for r in private.routes] == [
        ("0.0.0.0/0", "nat-gateway", "Nat"), ("::/0", "egress-only-internet-gateway", "EgressOnly")]
    assert not private.routes_unresolved and not private.main and _ref(private.vpc) == "Vpc"
    nat = net.nat_gateways["Nat"]
    assert _ref(nat.subnet) == "PublicA" and nat.connectivity is None  # AWS's default: public

    s3, dynamodb, sqs = net.endpoints["S3Endpoint"], net.endpoints["DynamoDbEndpoint"], net.endpoints["SqsEndpoint"]
    assert [t.ref for t in s3.route_tables] == ["PrivateRoutes"] and s3.endpoint_type is None and not s3.subnets
    assert [t.ref for t in dynamodb.route_tables] == ["PrivateRoutes"] and _value(dynamodb.endpoint_type) == "Gateway"
    assert (_value(sqs.service_name), _value(sqs.endpoint_type), _value(sqs.private_dns)) == (
        "com.amazonaws.eu-west-1.sqs", "Interface", True)
    assert [s.ref for s in sqs.subnets] == ["PrivateA", "PrivateB"] and not sqs.route_tables

    # no egress declared: AWS's allow-all rule, written out at the group
    open_group = net.security_groups["OpenGroup"]
    (default,) = open_group.egress
    assert (_value(default.protocol), _value(default.cidr), default.from_port, default.to_port) == (
        "-1", "0.0.0.0/0", None, None)
    assert default.source == open_group.source and not open_group.egress_unresolved
    https = net.security_groups["HttpsOnly"]
    assert _destinations(https.egress) == [("tcp", 443, 443, "0.0.0.0/0")] and not https.egress_unresolved
    # a separate egress rule resource replaces the default rule
    db = net.security_groups["DbClient"]
    assert _destinations(db.egress) == [("tcp", 5432, 5432, "HttpsOnly")]
    assert _at(text, db.egress[0].source).strip('"') == "DbClientEgress"

    # the model as the rules follow it
    assert _verdicts(net, {"PublicA": "", "PublicB": "", "PrivateA": "", "PrivateB": ""}) == {
        "PublicA": "public", "PublicB": "public", "PrivateA": "nat", "PrivateB": "nat"}

    # every value points at its text
    assert _at(text, to_internet.destination.source) == ('"0.0.0.0/0"' if dialect == "json" else "0.0.0.0/0")
    assert _at(text, https.egress[0].from_port) == "443"
    assert _at(text, sqs.private_dns) == "true"
    assert _at(text, public_b.availability_zone_id).strip('"') == "euw1-az2"


def test_cloudformation_yaml_positions(tmp_path: Path) -> None:
    net, _ = _cfn(tmp_path, "yaml")
    (to_internet,) = net.route_tables["PublicRoutes"].routes
    assert _pos(to_internet.destination) == (59, 29) and _pos(to_internet.target) == (60, 18)
    assert to_internet.destination.source.pointer == "/Resources/PublicDefault/Properties/DestinationCidrBlock"
    assert _pos(net.nat_gateways["Nat"].subnet) == (78, 17)
    assert _pos(net.subnets["PrivateA"].route_table) == (104, 21)  # at the association
    assert _pos(net.internet_gateways["Igw"].vpc) == (23, 14)  # at the attachment
    assert _pos(net.endpoints["S3Endpoint"].route_tables[0]) == (115, 23)
    assert _pos(net.endpoints["SqsEndpoint"].subnets[1]) == (131, 34)
    (rule,) = net.security_groups["HttpsOnly"].egress
    assert _pos(rule.source) == (144, 11) and _pos(rule.from_port) == (145, 21) and _pos(rule.cidr) == (147, 19)
    assert _pos(net.security_groups["OpenGroup"].egress[0].source) == (133, 3)
    (db,) = net.security_groups["DbClient"].egress
    assert _pos(db.source) == (153, 3) and _pos(db.security_group) == (160, 35)


def test_cloudformation_json_positions(tmp_path: Path) -> None:
    net, text = _cfn(tmp_path, "json")
    lines = text.splitlines()
    (to_internet,) = net.route_tables["PublicRoutes"].routes
    line, column = _pos(to_internet.destination)
    assert lines[line - 1].strip() == '"DestinationCidrBlock": "0.0.0.0/0",'
    assert lines[line - 1][column - 1:] == '"0.0.0.0/0",'
    assert lines[to_internet.destination.source.line + 1].strip() == '"Ref": "Igw"'  # GatewayId follows
    assert _pos(to_internet.target) == (line + 1, lines[line].index("{") + 1)


@pytest.mark.parametrize("dialect", ["yaml", "json"])
def test_cloudformation_service_names(tmp_path: Path, dialect: str) -> None:
    """``Fn::Sub``/``Fn::Join`` service names with ``AWS::Region``: unresolved, but with their
    text and their parts, as Terraform templates are."""
    net, text = _cfn(tmp_path, dialect)
    s3 = net.endpoints["S3Endpoint"].service_name
    assert s3 is not None and not s3.is_known() and isinstance(s3.value, UnresolvedText)
    assert s3.value.expr == "com.amazonaws.${AWS::Region}.s3"
    first, region, last = s3.value.parts
    assert (first, region.value.expr, last) == ("com.amazonaws.", "AWS::Region", ".s3")
    assert s3.source.pointer == "/Resources/S3Endpoint/Properties/ServiceName"
    if dialect == "yaml":
        assert _pos(s3) == (114, 20) and _at(text, s3.source) == "!Sub com.amazonaws.${AWS::Region}.s3"
    dynamodb = net.endpoints["DynamoDbEndpoint"].service_name
    assert dynamodb is not None and isinstance(dynamodb.value, UnresolvedText)
    assert dynamodb.value.expr == "com.amazonaws.${AWS::Region}.dynamodb"
    first, region, last = dynamodb.value.parts
    assert (first, last) == ("com.amazonaws.", ".dynamodb")
    assert " ".join(_at(text, region.source).split()) in ('!Ref "AWS::Region"', '{ "Ref": "AWS::Region" }')


@pytest.mark.parametrize("dialect", ["yaml", "json"])
def test_cloudformation_unresolved(tmp_path: Path, dialect: str) -> None:
    net, _ = _cfn(tmp_path, dialect)
    # a subnet from a parameter: unresolved, with no resource to point at
    elsewhere = net.nat_gateways["ElsewhereNat"]
    assert elsewhere.subnet is not None and not elsewhere.subnet.is_known() and elsewhere.subnet.ref is None
    assert _value(elsewhere.connectivity) == "private"
    if dialect == "yaml":
        assert _pos(elsewhere.subnet) == (173, 17)
    assert "ExistingSubnet" not in net.subnets  # its association names no subnet of the template
    # a route whose destination comes from a parameter: kept (its default a candidate), routes unknown
    table = net.route_tables["ParamRoutes"]
    (route,) = table.routes
    assert table.routes_unresolved and not route.destination.is_known()
    assert [c.value for c in route.destination.possible()] == ["0.0.0.0/0"]
    assert route.target_type == "internet-gateway"  # a literal igw- id
    # egress rules under a condition: unknown, and no default rule guessed
    conditional = net.security_groups["Conditional"]
    assert conditional.egress_unresolved and conditional.egress == ()


CFN_LISTS = """\
Parameters:
  Tables: {Type: CommaDelimitedList}
  UseFirst: {Type: String}
Conditions:
  First: !Equals [!Ref UseFirst, "yes"]
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Routes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  Vgw: {Type: AWS::EC2::VPNGateway, Properties: {Type: ipsec.1}}
  ToVpn:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Routes, DestinationCidrBlock: 192.168.0.0/16, GatewayId: !Ref Vgw}
  ToEndpoint:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Routes, DestinationPrefixListId: pl-0123, GatewayId: vpce-0123}
  Propagation:
    Type: AWS::EC2::VPNGatewayRoutePropagation
    Properties: {RouteTableIds: [!Ref Routes], VpnGatewayId: !Ref Vgw}
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-west-1.s3, RouteTableIds: !Ref Tables}
  A: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: a, VpcId: !Ref Vpc}}
  B: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: b, VpcId: !Ref Vpc}}
  C:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: c, VpcId: !Ref Vpc, SecurityGroupEgress: []}
  Either:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !If [First, !Ref A, !Ref B]
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIp: 0.0.0.0/0
"""


def test_cloudformation_lists_and_targets(tmp_path: Path) -> None:
    net = _load(tmp_path, "lists.yaml", CFN_LISTS).network
    routes = net.route_tables["Routes"]
    assert [(r.destination.value, r.target_type) for r in routes.routes] == [
        ("192.168.0.0/16", "virtual-private-gateway"), ("pl-0123", "vpc-endpoint")]
    assert routes.routes_unresolved  # routes propagated from the VPN are not known
    # a list of route tables from a parameter: one unresolved entry, not an empty list
    (entry,) = net.endpoints["Endpoint"].route_tables
    assert not entry.is_known() and _pos(entry) == (21, 91)
    # an egress rule resource whose group depends on a condition: both groups unknown
    for gid in ("A", "B"):
        assert net.security_groups[gid].egress_unresolved and net.security_groups[gid].egress == ()
    # an empty SecurityGroupEgress declares no rule: AWS's default one applies
    assert _destinations(net.security_groups["C"].egress) == [("-1", None, None, "0.0.0.0/0")]


# -- Terraform ----------------------------------------------------------------------------------

TF = """\
data "aws_region" "current" {}

variable "existing_subnet_id" {
  type = string
}

variable "extra_rules" {
  type    = list(number)
  default = []
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_egress_only_internet_gateway" "v6" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public_a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.0.0/24"
  availability_zone       = "eu-west-1a"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private_a" {
  vpc_id               = aws_vpc.main.id
  cidr_block           = "10.0.2.0/24"
  availability_zone_id = "euw1-az1"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.3.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public_a" {
  subnet_id      = aws_subnet.public_a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public_a.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "private_default" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.nat.id
}

resource "aws_route" "private_v6" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.v6.id
}

resource "aws_route_table_association" "private_a" {
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "private_b" {
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.eu-west-1.dynamodb"
}

resource "aws_vpc_endpoint_route_table_association" "dynamodb" {
  vpc_endpoint_id = aws_vpc_endpoint.dynamodb.id
  route_table_id  = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "sqs" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.sqs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.https.id]
}

resource "aws_security_group" "closed" {
  name   = "closed"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "https" {
  name   = "https"
  vpc_id = aws_vpc.main.id

  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/16", "0.0.0.0/0"]
  }

  egress {
    protocol  = "-1"
    from_port = 0
    to_port   = 0
    self      = true
  }
}

resource "aws_security_group" "db_client" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_egress_rule" "db" {
  security_group_id            = aws_security_group.db_client.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.https.id
}

resource "aws_security_group_rule" "dns" {
  type              = "egress"
  security_group_id = aws_security_group.db_client.id
  protocol          = "udp"
  from_port         = 53
  to_port           = 53
  cidr_blocks       = ["10.0.0.2/32"]
}

resource "aws_security_group_rule" "inbound" {
  type              = "ingress"
  security_group_id = aws_security_group.closed.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.0.0.0/16"]
}

resource "aws_security_group" "dynamic" {
  vpc_id = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.extra_rules
    content {
      protocol    = "tcp"
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["10.0.0.0/16"]
    }
  }
}

resource "aws_security_group" "dynamic_egress" {
  vpc_id = aws_vpc.main.id

  dynamic "egress" {
    for_each = var.extra_rules
    content {
      protocol    = "tcp"
      from_port   = egress.value
      to_port     = egress.value
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.main.default_route_table_id
}

resource "aws_nat_gateway" "elsewhere" {
  subnet_id         = var.existing_subnet_id
  connectivity_type = "private"
}

resource "aws_vpc" "other" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_route" "other_main" {
  route_table_id         = aws_vpc.other.main_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.igw.id
}

resource "aws_route_table" "other" {
  vpc_id = aws_vpc.other.id
  route {
    cidr_block = "0.0.0.0/0"
    instance_id = "i-0123456789abcdef0"
  }
}

resource "aws_main_route_table_association" "other" {
  vpc_id         = aws_vpc.other.id
  route_table_id = aws_route_table.other.id
}
"""


def test_terraform_vpc(tmp_path: Path) -> None:
    net = _terraform(tmp_path, TF)
    assert list(net.vpcs) == ["aws_vpc.main", "aws_vpc.other"]
    assert _pos(net.vpcs["aws_vpc.main"]) == (12, 20)
    assert _ref(net.internet_gateways["aws_internet_gateway.igw"].vpc) == "aws_vpc.main"
    assert net.internet_gateways["aws_egress_only_internet_gateway.v6"].egress_only
    public = net.subnets["aws_subnet.public_a"]
    assert (_value(public.availability_zone), _value(public.cidr), _value(public.map_public_ip)) == (
        "eu-west-1a", "10.0.0.0/24", True)
    assert _value(net.subnets["aws_subnet.private_a"].availability_zone_id) == "euw1-az1"
    assert {sid: _ref(s.route_table) for sid, s in net.subnets.items()} == {
        "aws_subnet.public_a": "aws_route_table.public", "aws_subnet.private_a": "aws_route_table.private",
        "aws_subnet.private_b": "aws_route_table.private"}
    assert _pos(net.subnets["aws_subnet.private_b"].route_table) == (89, 20)  # at the association

    (inline,) = net.route_tables["aws_route_table.public"].routes
    assert (inline.destination.value, inline.target_type, _ref(inline.target)) == (
        "0.0.0.0/0", "internet-gateway", "aws_internet_gateway.igw")
    assert _pos(inline.destination) == (47, 18) and _pos(inline.target) == (48, 18)
    assert inline.destination.source.pointer == "/aws_route_table.public/route/0/cidr_block"
    private = net.route_tables["aws_route_table.private"]
    assert [(r.destination.value, r.target_type, _ref(r.target)) for r in private.routes] == [
        ("0.0.0.0/0", "nat-gateway", "aws_nat_gateway.nat"),
        ("::/0", "egress-only-internet-gateway", "aws_egress_only_internet_gateway.v6")]
    assert _pos(private.routes[0].destination) == (72, 28) and _pos(private.routes[0].target) == (73, 28)
    assert not private.routes_unresolved and not private.main
    assert _ref(net.nat_gateways["aws_nat_gateway.nat"].subnet) == "aws_subnet.public_a"

    s3 = net.endpoints["aws_vpc_endpoint.s3"]
    assert [t.ref for t in s3.route_tables] == ["aws_route_table.private"] and _pos(s3.route_tables[0]) == (96, 24)
    assert isinstance(_value(s3.service_name), UnresolvedText)
    assert _value(s3.service_name).expr == "com.amazonaws.${data.aws_region.current.name}.s3"
    dynamodb = net.endpoints["aws_vpc_endpoint.dynamodb"]  # its table through an association resource
    assert [t.ref for t in dynamodb.route_tables] == ["aws_route_table.private"]
    assert _pos(dynamodb.route_tables[0]) == (106, 21) and dynamodb.endpoint_type is None
    sqs = net.endpoints["aws_vpc_endpoint.sqs"]
    assert (_value(sqs.endpoint_type), _value(sqs.private_dns)) == ("Interface", True)
    assert [s.ref for s in sqs.subnets] == ["aws_subnet.private_a", "aws_subnet.private_b"]

    # Terraform removes AWS's default egress rule: a group without egress allows nothing
    closed = net.security_groups["aws_security_group.closed"]
    assert closed.egress == () and not closed.egress_unresolved  # an ingress rule resource changes nothing
    https = net.security_groups["aws_security_group.https"]
    assert _destinations(https.egress) == [("tcp", 443, 443, "10.0.0.0/16"), ("tcp", 443, 443, "0.0.0.0/0"),
                                           ("-1", 0, 0, "aws_security_group.https")]
    assert _pos(https.egress[1].cidr) == (131, 35) and _pos(https.egress[0].source) == (127, 3)
    assert _pos(https.egress[2].security_group) == (138, 17)  # `self = true`
    db = net.security_groups["aws_security_group.db_client"]
    assert _destinations(db.egress) == [("tcp", 5432, 5432, "aws_security_group.https"), ("udp", 53, 53, "10.0.0.2/32")]
    assert _pos(db.egress[0].source) == (146, 47) and _pos(db.egress[0].security_group) == (151, 34)
    assert _pos(db.egress[1].cidr) == (160, 24)

    assert _verdicts(net, {"aws_subnet.public_a": "", "aws_subnet.private_a": "", "aws_subnet.private_b": ""}) == {
        "aws_subnet.public_a": "public", "aws_subnet.private_a": "nat", "aws_subnet.private_b": "nat"}


def test_terraform_main_tables(tmp_path: Path) -> None:
    net = _terraform(tmp_path, TF)
    default = net.route_tables["aws_default_route_table.main"]
    assert default.main and _ref(default.vpc) == "aws_vpc.main" and default.routes == ()
    # a route on the table AWS creates with the VPC; a main association makes another table main
    own = net.route_tables["aws_vpc.other.default_route_table"]
    (route,) = own.routes
    assert (route.destination.value, route.target_type, _pos(route.destination)) == (
        "0.0.0.0/0", "internet-gateway", (215, 28))
    assert own.source == net.vpcs["aws_vpc.other"] and _ref(own.vpc) == "aws_vpc.other" and not own.main
    other = net.route_tables["aws_route_table.other"]
    assert other.main and [(r.target_type, _value(r.target)) for r in other.routes] == [
        ("instance", "i-0123456789abcdef0")]


def test_terraform_unresolved(tmp_path: Path) -> None:
    net = _terraform(tmp_path, TF)
    # a subnet from a variable without a value: unresolved, pointing at no resource
    nat = net.nat_gateways["aws_nat_gateway.elsewhere"]
    assert nat.subnet is not None and not nat.subnet.is_known() and nat.subnet.ref is None
    assert _pos(nat.subnet) == (205, 23) and _value(nat.connectivity) == "private"
    # dynamic egress blocks: rules not known; a dynamic ingress block says nothing about egress
    assert net.security_groups["aws_security_group.dynamic_egress"].egress_unresolved
    assert net.security_groups["aws_security_group.dynamic_egress"].egress == ()
    dynamic_ingress = net.security_groups["aws_security_group.dynamic"]
    assert not dynamic_ingress.egress_unresolved and dynamic_ingress.egress == ()


TF_MORE = """\
variable "cidrs" {
  type = list(string)
}

variable "routes" {
  type = list(string)
}

variable "rule_type" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.main.default_route_table_id
  route {
    cidr_block                = "10.1.0.0/16"
    vpc_peering_connection_id = "pcx-0123"
  }
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_vpc.main.default_route_table_id]
}

resource "aws_route_table" "dynamic" {
  vpc_id = aws_vpc.main.id
  dynamic "route" {
    for_each = var.routes
    content {
      cidr_block     = route.value
      nat_gateway_id = "nat-0123"
    }
  }
}

resource "aws_route_table" "vpn" {
  vpc_id           = aws_vpc.main.id
  propagating_vgws = ["vgw-0123"]
}

resource "aws_route_table" "propagated" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpn_gateway_route_propagation" "p" {
  vpn_gateway_id = "vgw-0123"
  route_table_id = aws_route_table.propagated.id
}

resource "aws_security_group" "listed" {
  vpc_id = aws_vpc.main.id
  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = var.cidrs
  }
}

resource "aws_security_group" "maybe" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "maybe" {
  type              = var.rule_type
  security_group_id = aws_security_group.maybe.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_ids   = ["pl-0123"]
}

resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  egress {
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    prefix_list_ids = ["pl-0456"]
  }
}
"""


def test_terraform_default_tables_and_unknown_lists(tmp_path: Path) -> None:
    net = _terraform(tmp_path, TF_MORE)
    default = net.route_tables["aws_default_route_table.main"]
    assert default.main and [r.target_type for r in default.routes] == ["vpc-peering"]
    # `aws_vpc.main.default_route_table_id` is the table aws_default_route_table adopts
    (table,) = net.endpoints["aws_vpc_endpoint.s3"].route_tables
    assert table.ref == "aws_default_route_table.main" and _pos(table) == (28, 22)
    assert set(net.route_tables) == {"aws_default_route_table.main", "aws_route_table.dynamic",
                                     "aws_route_table.vpn", "aws_route_table.propagated"}
    for tid in ("aws_route_table.dynamic", "aws_route_table.vpn", "aws_route_table.propagated"):
        assert net.route_tables[tid].routes_unresolved and net.route_tables[tid].routes == ()
    assert net.security_groups["aws_security_group.listed"].egress_unresolved  # cidr_blocks from a variable
    maybe = net.security_groups["aws_security_group.maybe"]
    assert maybe.egress_unresolved and maybe.egress == ()  # a rule of unknown type
    adopted = net.security_groups["aws_default_security_group.default"]
    assert _destinations(adopted.egress) == [("tcp", 443, 443, "pl-0456")] and not adopted.egress_unresolved


# -- Terraform plans ----------------------------------------------------------------------------

_ROUTE_KEYS = ("carrier_gateway_id", "cidr_block", "core_network_arn", "destination_prefix_list_id",
               "egress_only_gateway_id", "gateway_id", "ipv6_cidr_block", "local_gateway_id", "nat_gateway_id",
               "network_interface_id", "transit_gateway_id", "vpc_endpoint_id", "vpc_peering_connection_id")


def _resource(address: str, values: dict[str, Any]) -> dict[str, Any]:
    rtype, name = address.split(".")
    return {"address": address, "mode": "managed", "type": rtype, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 1, "values": values,
            "sensitive_values": {}}


def _refs(*refs: str) -> dict[str, Any]:
    return {"references": list(refs)}


def _plan() -> dict[str, Any]:
    """A plan of a new VPC: ids of new resources are not known, so the planned values omit
    them and the configuration gives the references."""
    route = dict.fromkeys(_ROUTE_KEYS, "")
    route.update(cidr_block="0.0.0.0/0", gateway_id="igw-0abc1234")  # an existing gateway
    rule = {"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 443, "ipv6_cidr_blocks": [],
            "prefix_list_ids": [], "protocol": "tcp", "security_groups": [], "self": False, "to_port": 443}
    vpc = _refs("aws_vpc.main.id", "aws_vpc.main")
    planned = [
        _resource("aws_vpc.main", {"cidr_block": "10.0.0.0/16"}),
        _resource("aws_subnet.public", {"cidr_block": "10.0.0.0/24", "availability_zone": "eu-west-1a",
                                        "map_public_ip_on_launch": True}),
        _resource("aws_subnet.private", {"cidr_block": "10.0.1.0/24", "availability_zone": "eu-west-1b",
                                         "map_public_ip_on_launch": False}),
        _resource("aws_route_table.public", {"route": [route], "propagating_vgws": []}),
        _resource("aws_route_table_association.public", {"gateway_id": None}),
        _resource("aws_nat_gateway.nat", {"connectivity_type": "public"}),
        _resource("aws_route_table.private", {"route": [], "propagating_vgws": []}),
        _resource("aws_route.private_default", {"destination_cidr_block": "0.0.0.0/0", "gateway_id": None,
                                                "destination_ipv6_cidr_block": None, "timeouts": None}),
        _resource("aws_route_table_association.private", {"gateway_id": None}),
        _resource("aws_vpc_endpoint.s3", {"service_name": "com.amazonaws.eu-west-1.s3",
                                          "vpc_endpoint_type": "Gateway", "policy": None}),
        _resource("aws_vpc_endpoint.sqs", {"service_name": "com.amazonaws.eu-west-1.sqs",
                                           "vpc_endpoint_type": "Interface", "private_dns_enabled": True}),
        _resource("aws_security_group.closed", {"name": "closed", "egress": [], "revoke_rules_on_delete": False}),
        _resource("aws_security_group.https", {"name": "https", "egress": [rule], "revoke_rules_on_delete": False}),
        _resource("aws_security_group.db", {"name": "db", "revoke_rules_on_delete": False}),
        _resource("aws_security_group_rule.db", {"type": "egress", "protocol": "tcp", "from_port": 5432,
                                                 "to_port": 5432, "cidr_blocks": None, "prefix_list_ids": None,
                                                 "self": False, "description": None}),
        _resource("aws_security_group.pending", {"name": "pending"}),
        _resource("aws_default_route_table.main", {"route": [], "propagating_vgws": None}),
    ]
    config = [
        {"address": "aws_subnet.public", "expressions": {"vpc_id": vpc}},
        {"address": "aws_subnet.private", "expressions": {"vpc_id": vpc}},
        {"address": "aws_route_table.public", "expressions": {"vpc_id": vpc}},
        {"address": "aws_route_table_association.public", "expressions": {
            "subnet_id": _refs("aws_subnet.public.id", "aws_subnet.public"),
            "route_table_id": _refs("aws_route_table.public.id", "aws_route_table.public")}},
        {"address": "aws_nat_gateway.nat", "expressions": {
            "subnet_id": _refs("aws_subnet.public.id", "aws_subnet.public")}},
        {"address": "aws_route_table.private", "expressions": {"vpc_id": vpc}},
        {"address": "aws_route.private_default", "expressions": {
            "route_table_id": _refs("aws_route_table.private.id", "aws_route_table.private"),
            "destination_cidr_block": {"constant_value": "0.0.0.0/0"},
            "nat_gateway_id": _refs("aws_nat_gateway.nat.id", "aws_nat_gateway.nat")}},
        {"address": "aws_route_table_association.private", "expressions": {
            "subnet_id": _refs("aws_subnet.private.id", "aws_subnet.private"),
            "route_table_id": _refs("aws_route_table.private.id", "aws_route_table.private")}},
        {"address": "aws_vpc_endpoint.s3", "expressions": {
            "vpc_id": vpc, "route_table_ids": _refs("aws_route_table.private.id", "aws_route_table.private")}},
        {"address": "aws_vpc_endpoint.sqs", "expressions": {
            "vpc_id": vpc, "subnet_ids": _refs("aws_subnet.private.id", "aws_subnet.private")}},
        {"address": "aws_security_group.closed", "expressions": {"vpc_id": vpc}},
        {"address": "aws_security_group.https", "expressions": {"vpc_id": vpc}},
        {"address": "aws_security_group.db", "expressions": {"vpc_id": vpc}},
        {"address": "aws_security_group_rule.db", "expressions": {
            "security_group_id": _refs("aws_security_group.db.id", "aws_security_group.db"),
            "source_security_group_id": _refs("aws_security_group.https.id", "aws_security_group.https")}},
        # egress blocks whose values are not known until apply: the plan omits them
        {"address": "aws_security_group.pending", "expressions": {"vpc_id": vpc, "egress": [{
            "protocol": {"constant_value": "tcp"},
            "security_groups": _refs("aws_security_group.db.id", "aws_security_group.db")}]}},
        {"address": "aws_default_route_table.main", "expressions": {
            "default_route_table_id": _refs("aws_vpc.main.default_route_table_id", "aws_vpc.main")}},
    ]
    return {"format_version": "1.2", "terraform_version": "1.9.5",
            "planned_values": {"root_module": {"resources": planned}},
            "configuration": {"root_module": {"resources": config}}}


def test_plan_vpc(tmp_path: Path) -> None:
    text = json.dumps(_plan(), indent=2) + "\n"
    net = _load(tmp_path, "plan.json", text).network
    assert list(net.vpcs) == ["aws_vpc.main"]
    assert _at(text, net.vpcs["aws_vpc.main"]) == '"aws_vpc.main"'
    public, private = net.subnets["aws_subnet.public"], net.subnets["aws_subnet.private"]
    assert _ref(public.vpc) == "aws_vpc.main" and _ref(public.route_table) == "aws_route_table.public"
    assert (_value(public.map_public_ip), _value(private.map_public_ip)) == (True, False)
    assert _ref(private.route_table) == "aws_route_table.private"
    # the plan's nested blocks: "" for targets not set
    (inline,) = net.route_tables["aws_route_table.public"].routes
    assert (inline.target_type, _value(inline.target)) == ("internet-gateway", "igw-0abc1234")
    assert _at(text, inline.target) == '"igw-0abc1234"'
    # a target not known until apply: the configuration's reference
    (via_nat,) = net.route_tables["aws_route_table.private"].routes
    assert (via_nat.destination.value, via_nat.target_type, _ref(via_nat.target)) == (
        "0.0.0.0/0", "nat-gateway", "aws_nat_gateway.nat")
    assert _at(text, via_nat.target) == '"aws_nat_gateway.nat.id"'
    assert not net.route_tables["aws_route_table.private"].routes_unresolved
    assert _ref(net.nat_gateways["aws_nat_gateway.nat"].subnet) == "aws_subnet.public"
    default = net.route_tables["aws_default_route_table.main"]
    assert default.main and _ref(default.vpc) == "aws_vpc.main"

    s3, sqs = net.endpoints["aws_vpc_endpoint.s3"], net.endpoints["aws_vpc_endpoint.sqs"]
    assert (_value(s3.service_name), [t.ref for t in s3.route_tables]) == (
        "com.amazonaws.eu-west-1.s3", ["aws_route_table.private"])
    assert (_value(sqs.private_dns), [s.ref for s in sqs.subnets]) == (True, ["aws_subnet.private"])

    closed, https = net.security_groups["aws_security_group.closed"], net.security_groups["aws_security_group.https"]
    assert closed.egress == () and not closed.egress_unresolved
    # the plan's egress list of objects: `self = false` and empty lists add nothing
    assert _destinations(https.egress) == [("tcp", 443, 443, "0.0.0.0/0")] and not https.egress_unresolved
    line, column = _pos(https.egress[0].from_port)
    assert text.splitlines()[line - 1][column - 1:] == "443,"
    db = net.security_groups["aws_security_group.db"]
    assert _destinations(db.egress) == [("tcp", 5432, 5432, "aws_security_group.https")]
    assert not db.egress_unresolved
    pending = net.security_groups["aws_security_group.pending"]
    assert pending.egress_unresolved

    assert _verdicts(net, {"aws_subnet.public": "", "aws_subnet.private": ""}) == {
        "aws_subnet.public": "public", "aws_subnet.private": "nat"}


def test_plan_beside_sources(tmp_path: Path) -> None:
    """With the configuration beside the plan, values point at the ``.tf`` files."""
    (tmp_path / "main.tf").write_text(TF)
    doc = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        _resource("aws_security_group.https", {"egress": [
            {"cidr_blocks": ["10.0.0.0/16", "0.0.0.0/0"], "description": "", "from_port": 443,
             "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": "tcp", "security_groups": [],
             "self": False, "to_port": 443},
            {"cidr_blocks": [], "description": "", "from_port": 0, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
             "protocol": "-1", "security_groups": [], "self": True, "to_port": 0}]}),
        _resource("aws_security_group.closed", {"egress": []})]}}}
    net = _load(tmp_path, "plan.json", json.dumps(doc, indent=2)).network
    https = net.security_groups["aws_security_group.https"]
    assert _destinations(https.egress) == [("tcp", 443, 443, "10.0.0.0/16"), ("tcp", 443, 443, "0.0.0.0/0"),
                                           ("-1", 0, 0, "aws_security_group.https")]
    assert https.egress[1].cidr is not None and https.egress[1].cidr.source.path.endswith("main.tf")
    assert _pos(https.egress[1].cidr) == (131, 35)
    assert net.security_groups["aws_security_group.closed"].egress == ()
