"""VPC networking in CloudFormation: VPCs, subnets, route tables and routes, associations,
NAT and internet gateways, endpoints and security groups.

A subnet without an explicit association uses its VPC's main route table, which a template
cannot define; the VPC rules treat such a subnet's routes as unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambdalint.model import (
    InternetGateway,
    NatGateway,
    Network,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    VpcEndpoint,
)
from lambdalint.parsers.common import as_bool, items
from lambdalint.parsers.intrinsics import _esc
from lambdalint.values import Located, SourceRef

if TYPE_CHECKING:
    from lambdalint.parsers.cloudformation import TemplateParser
    from lambdalint.parsers.nodes import Node

#: route target properties and the kind of target each names
ROUTE_TARGETS = (
    ("NatGatewayId", "nat-gateway"), ("InstanceId", "instance"), ("TransitGatewayId", "transit-gateway"),
    ("VpcPeeringConnectionId", "vpc-peering"), ("EgressOnlyInternetGatewayId", "egress-only-internet-gateway"),
    ("NetworkInterfaceId", "network-interface"), ("VpcEndpointId", "vpc-endpoint"),
    ("CarrierGatewayId", "carrier-gateway"), ("LocalGatewayId", "local-gateway"), ("CoreNetworkArn", "core-network"),
    ("GatewayId", "gateway"),
)
_DESTINATIONS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId")


def gateway_kind(loc: Located[str], resource_types: dict[str, str]) -> str:
    """What a ``GatewayId`` names: an internet gateway, a VPC endpoint (``vpce-``) or a
    virtual private gateway, by the referenced resource's type or the literal id's prefix."""
    rtype = resource_types.get(loc.ref or "", "")
    text = loc.known() if isinstance(loc.known(), str) else ""
    if rtype in ("AWS::EC2::InternetGateway", "aws_internet_gateway") or str(text).startswith("igw-"):
        return "internet-gateway"
    if rtype in ("AWS::EC2::VPCEndpoint", "aws_vpc_endpoint") or str(text).startswith("vpce-"):
        return "vpc-endpoint"
    if rtype in ("AWS::EC2::VPNGateway", "aws_vpn_gateway") or str(text).startswith("vgw-"):
        return "virtual-private-gateway"
    if text == "local":
        return "local"
    return "unknown"


def read(p: TemplateParser) -> Network:
    vpcs: dict[str, SourceRef] = {}
    subnets: dict[str, Subnet] = {}
    tables: dict[str, RouteTable] = {}
    nats: dict[str, NatGateway] = {}
    igws: dict[str, InternetGateway] = {}
    endpoints: dict[str, VpcEndpoint] = {}
    groups: dict[str, SecurityGroup] = {}
    routes: dict[str, list[Route]] = {}
    unknown_routes: set[str] = set()
    associations: dict[str, Located[str]] = {}
    attachments: dict[str, Located[str]] = {}
    egress: dict[str, list[SecurityGroupRule]] = {}
    for rid, node in p.resources.items():
        rtype = p.resource_types.get(rid, "")
        if not rtype.startswith("AWS::EC2::"):
            continue
        ptr = f"/Resources/{_esc(rid)}/Properties"
        props = p.sub(node, "Properties")
        decl = p.declarations[rid]
        if rtype == "AWS::EC2::VPC":
            vpcs[rid] = decl
        elif rtype == "AWS::EC2::Subnet":
            subnets[rid] = Subnet(rid, rtype, decl, p.str_prop(props, "VpcId", ptr),
                                  p.str_prop(props, "AvailabilityZone", ptr),
                                  p.str_prop(props, "AvailabilityZoneId", ptr), p.str_prop(props, "CidrBlock", ptr),
                                  as_bool(p.prop(props, "MapPublicIpOnLaunch", ptr)))
        elif rtype == "AWS::EC2::RouteTable":
            tables[rid] = RouteTable(rid, rtype, decl, p.str_prop(props, "VpcId", ptr))
        elif rtype == "AWS::EC2::Route":
            owner = p.prop(props, "RouteTableId", ptr)
            route = _route(p, props, ptr, decl)
            if owner is not None and owner.ref is not None:
                if route is None:
                    unknown_routes.add(owner.ref)
                else:
                    routes.setdefault(owner.ref, []).append(route)
        elif rtype == "AWS::EC2::SubnetRouteTableAssociation":
            member, chosen = p.prop(props, "SubnetId", ptr), p.str_prop(props, "RouteTableId", ptr)
            if member is not None and member.ref is not None and chosen is not None:
                associations[member.ref] = chosen
        elif rtype == "AWS::EC2::NatGateway":
            nats[rid] = NatGateway(rid, rtype, decl, p.str_prop(props, "SubnetId", ptr),
                                   p.str_prop(props, "ConnectivityType", ptr))
        elif rtype == "AWS::EC2::InternetGateway":
            igws[rid] = InternetGateway(rid, rtype, decl)
        elif rtype == "AWS::EC2::EgressOnlyInternetGateway":
            igws[rid] = InternetGateway(rid, rtype, decl, p.str_prop(props, "VpcId", ptr), egress_only=True)
        elif rtype == "AWS::EC2::VPCGatewayAttachment":
            gateway, vpc = p.prop(props, "InternetGatewayId", ptr), p.str_prop(props, "VpcId", ptr)
            if gateway is not None and gateway.ref is not None and vpc is not None:
                attachments[gateway.ref] = vpc
        elif rtype == "AWS::EC2::VPCEndpoint":
            endpoints[rid] = VpcEndpoint(
                rid, rtype, decl, p.str_prop(props, "VpcId", ptr), p.str_prop(props, "ServiceName", ptr),
                p.str_prop(props, "VpcEndpointType", ptr), items(p.list_prop(props, "RouteTableIds", ptr)),
                items(p.list_prop(props, "SubnetIds", ptr)), as_bool(p.prop(props, "PrivateDnsEnabled", ptr)))
        elif rtype == "AWS::EC2::SecurityGroup":
            groups[rid] = _group(p, rid, rtype, decl, props, ptr)
        elif rtype == "AWS::EC2::SecurityGroupEgress":
            target = p.prop(props, "GroupId", ptr)
            if target is not None and target.ref is not None:
                egress.setdefault(target.ref, []).append(_rule(p, props, ptr, decl))
    for tid, table in list(tables.items()):
        tables[tid] = RouteTable(tid, table.resource_type, table.source, table.vpc, tuple(routes.get(tid, ())),
                                 tid in unknown_routes)
    for sid, subnet in list(subnets.items()):
        if sid in associations:
            subnets[sid] = Subnet(sid, subnet.resource_type, subnet.source, subnet.vpc, subnet.availability_zone,
                                  subnet.availability_zone_id, subnet.cidr, subnet.map_public_ip, associations[sid])
    for gid, igw in list(igws.items()):
        if gid in attachments:
            igws[gid] = InternetGateway(gid, igw.resource_type, igw.source, attachments[gid], igw.egress_only)
    for gid, group in list(groups.items()):
        extra = egress.get(gid, [])
        declared = group.egress or group.egress_unresolved
        if extra or not declared:
            # the default allow-all rule exists only while the group declares no egress rule
            rules = tuple(extra) if extra else (_allow_all(group.source),)
            groups[gid] = SecurityGroup(gid, group.resource_type, group.source, group.vpc, group.egress + rules,
                                        group.egress_unresolved)
    return Network(vpcs, subnets, tables, nats, igws, endpoints, groups)




def _route(p: TemplateParser, props: Node | None, ptr: str, decl: SourceRef) -> Route | None:
    """A route, or None when its destination or target is not known."""
    destination = next((d for key in _DESTINATIONS if (d := p.str_prop(props, key, ptr)) is not None), None)
    for key, kind in ROUTE_TARGETS:
        target = p.str_prop(props, key, ptr)
        if target is None:
            continue
        if destination is None:
            return None
        if kind == "gateway":
            kind = gateway_kind(target, p.resource_types)
        return Route(destination.source, destination, kind, target)
    return None


def _group(p: TemplateParser, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str) -> SecurityGroup:
    rules: list[SecurityGroupRule] = []
    unresolved = False
    listed = p.prop(props, "SecurityGroupEgress", ptr)
    if listed is not None:
        if not isinstance(listed.value, tuple):
            unresolved = True
        else:
            for item in listed.value:
                if not isinstance(item.value, dict):
                    unresolved = True
                    continue
                rules.append(_rule_of(p, item.value, item.source))
    return SecurityGroup(rid, rtype, decl, p.str_prop(props, "VpcId", ptr), tuple(rules), unresolved)


def _rule(p: TemplateParser, props: Node | None, ptr: str, decl: SourceRef) -> SecurityGroupRule:
    loc = p.prop(props, "IpProtocol", ptr)
    values = {k: v for k in ("IpProtocol", "FromPort", "ToPort", "CidrIp", "CidrIpv6", "DestinationPrefixListId",
                             "DestinationSecurityGroupId") if (v := p.prop(props, k, ptr)) is not None}
    return _rule_of(p, values, loc.source if loc is not None else decl)


def _rule_of(p: TemplateParser, d: dict[str, Located[Any]], src: SourceRef) -> SecurityGroupRule:
    def s(key: str) -> Located[str] | None:
        return p.r.string(d[key], key) if key in d else None

    def i(key: str) -> Located[int] | None:
        return p.r.integer(d[key], key) if key in d else None

    return SecurityGroupRule(src, s("IpProtocol"), i("FromPort"), i("ToPort"), s("CidrIp"), s("CidrIpv6"),
                             s("DestinationPrefixListId"), s("DestinationSecurityGroupId"))


def _allow_all(src: SourceRef) -> SecurityGroupRule:
    """AWS's default egress rule of a group that declares none: everything to everywhere."""
    return SecurityGroupRule(src, Located("-1", src), None, None, Located("0.0.0.0/0", src))
