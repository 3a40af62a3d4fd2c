"""What the VP rules share: describing a subnet's path, and a VPC example."""

from __future__ import annotations

from lambdalint.reachability import SubnetPath
from lambdalint.rule import Related

VPC = """\
AWSTemplateFormatVersion: "2010-09-09"
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
  PublicRoutes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Internet:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PublicRoutes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  PublicAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Public, RouteTableId: !Ref PublicRoutes}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: {SubnetId: !Ref Public, AllocationId: eipalloc-0123456789abcdef0}
  PrivateA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: eu-west-1a}
  PrivateB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: eu-west-1b}
  PrivateRoutes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  ViaNat:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PrivateRoutes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
  PrivateAssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref PrivateA, RouteTableId: !Ref PrivateRoutes}
  PrivateAssocB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref PrivateB, RouteTableId: !Ref PrivateRoutes}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: function, VpcId: !Ref Vpc}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: artifacts, S3Key: fn.zip}
      Role: arn:aws:iam::123456789012:role/fn
      VpcConfig:
        SecurityGroupIds: [!Ref Group]
        SubnetIds: SUBNETS
"""


def describe(p: SubnetPath) -> str:
    """subnet X -> route table Y -> 0.0.0.0/0 -> target Z"""
    subnet = p.subnet.id if p.subnet else str(p.entry.known() or "?")
    parts = [f"subnet {subnet}"]
    if p.table is not None:
        parts.append(f"{'main ' if p.main else ''}route table {p.table.id}")
    elif p.main:
        parts.append("the VPC's main route table (local route only)")
    if p.route is not None:
        target = p.route.target.ref if p.route.target is not None and p.route.target.ref else (
            p.route.target.known() if p.route.target is not None else "?")
        destination = p.route.destination.known() or "its default route"
        parts.append(f"{destination} -> {p.route.target_type} {target or 'a target not named'}")
    elif p.table is not None:
        parts.append("no default route")
    return " -> ".join(parts)


def related(p: SubnetPath) -> list[Related]:
    out = []
    if p.subnet is not None:
        out.append(Related(p.subnet.source, f"subnet {p.subnet.id}"))
    if p.table is not None:
        out.append(Related(p.table.source, f"route table {p.table.id}"))
    if p.route is not None:
        out.append(Related(p.route.source, "its default route"))
    return out
