"""VPC networking in Terraform: ``aws_vpc``, ``aws_subnet``, ``aws_route_table``,
``aws_route``, ``aws_route_table_association``, ``aws_main_route_table_association``,
``aws_default_route_table``, ``aws_nat_gateway``, ``aws_internet_gateway`` (and its
attachment), ``aws_egress_only_internet_gateway``, ``aws_vpc_endpoint`` (and its route table and
subnet associations) and ``aws_security_group`` with its rule resources.

Terraform removes AWS's default allow-all egress rule from the security groups it creates, so a
group with no egress block and no egress rule resource allows no outbound traffic at all.
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
from lambdalint.parsers.cfn_network import gateway_kind
from lambdalint.parsers.common import as_bool, items
from lambdalint.parsers.terraform.iam import blocks
from lambdalint.values import Located, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.nodes import Node
    from lambdalint.parsers.terraform.module import ModuleParser

_TARGETS = (
    ("nat_gateway_id", "nat-gateway"), ("instance_id", "instance"), ("transit_gateway_id", "transit-gateway"),
    ("vpc_peering_connection_id", "vpc-peering"), ("egress_only_gateway_id", "egress-only-internet-gateway"),
    ("network_interface_id", "network-interface"), ("vpc_endpoint_id", "vpc-endpoint"),
    ("carrier_gateway_id", "carrier-gateway"), ("local_gateway_id", "local-gateway"),
    ("core_network_arn", "core-network"), ("gateway_id", "gateway"),
)
_INLINE_DESTINATIONS = ("cidr_block", "ipv6_cidr_block", "destination_prefix_list_id")
_ROUTE_DESTINATIONS = ("destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id")


def read(p: ModuleParser) -> Network:
    from lambdalint.parsers.terraform.module import resource_type

    types = {a: resource_type(a) for a in p.resources}
    vpcs = {a: p.decl[a].with_pointer(f"/{a}") for a, t in types.items() if t in ("aws_vpc", "aws_default_vpc")}
    subnets: dict[str, Subnet] = {}
    tables: dict[str, RouteTable] = {}
    nats: dict[str, NatGateway] = {}
    igws: dict[str, InternetGateway] = {}
    endpoints: dict[str, VpcEndpoint] = {}
    groups: dict[str, SecurityGroup] = {}
    later: list[tuple[str, str, Node]] = []
    for address, body in p.resources.items():
        rtype = types[address]
        if not body.is_map():
            continue
        decl = p.decl[address].with_pointer(f"/{address}")
        if rtype == "aws_subnet":
            subnets[address] = Subnet(address, rtype, decl, p.string(body, "vpc_id", address),
                                      p.string(body, "availability_zone", address),
                                      p.string(body, "availability_zone_id", address),
                                      p.string(body, "cidr_block", address),
                                      as_bool(p.attr(body, "map_public_ip_on_launch", address)))
        elif rtype in ("aws_route_table", "aws_default_route_table"):
            routes, unknown = _inline_routes(p, body, address, types)
            vpc = p.string(body, "vpc_id", address)
            if rtype == "aws_default_route_table":
                owner = p.attr(body, "default_route_table_id", address)
                vpc = Located(Unresolved("vpc"), owner.source, ref=owner.ref) if owner is not None else None
            tables[address] = RouteTable(address, rtype, decl, vpc, routes, unknown, rtype == "aws_default_route_table")
        elif rtype == "aws_nat_gateway":
            nats[address] = NatGateway(address, rtype, decl, p.string(body, "subnet_id", address),
                                       p.string(body, "connectivity_type", address))
        elif rtype in ("aws_internet_gateway", "aws_egress_only_internet_gateway"):
            igws[address] = InternetGateway(address, rtype, decl, p.string(body, "vpc_id", address),
                                            rtype == "aws_egress_only_internet_gateway")
        elif rtype == "aws_vpc_endpoint":
            endpoints[address] = VpcEndpoint(
                address, rtype, decl, p.string(body, "vpc_id", address), p.string(body, "service_name", address),
                p.string(body, "vpc_endpoint_type", address), items(p.strings(body, "route_table_ids", address)),
                items(p.strings(body, "subnet_ids", address)), as_bool(p.attr(body, "private_dns_enabled", address)))
        elif rtype in ("aws_security_group", "aws_default_security_group"):
            groups[address] = _group(p, address, rtype, decl, body)
        elif rtype in ("aws_route", "aws_route_table_association", "aws_main_route_table_association",
                       "aws_internet_gateway_attachment", "aws_vpc_endpoint_route_table_association",
                       "aws_vpc_endpoint_subnet_association", "aws_security_group_rule",
                       "aws_vpc_security_group_egress_rule"):
            later.append((address, rtype, body))
    for address, rtype, body in later:
        _attach(p, address, rtype, body, types, subnets, tables, igws, endpoints, groups)
    return Network(vpcs, subnets, tables, nats, igws, endpoints, groups)




def _ref(p: ModuleParser, body: Node, key: str, address: str, table: dict[str, Any]) -> str | None:
    loc = p.attr(body, key, address)
    return loc.ref if loc is not None and loc.ref in table else None


def _route_of(p: ModuleParser, body: Node, address: str, destinations: tuple[str, ...],
              types: dict[str, str]) -> Route | None:
    destination = next((d for key in destinations if (d := p.string(body, key, address)) is not None
                        and d.known() != ""), None)
    for key, kind in _TARGETS:
        target = p.string(body, key, address)
        if target is None or target.known() == "":  # a plan writes "" for targets not set
            continue
        if destination is None:
            return None
        if kind == "gateway":
            kind = gateway_kind(target, types)
        return Route(destination.source, destination, kind, target)
    return None


def _inline_routes(p: ModuleParser, body: Node, address: str,
                   types: dict[str, str]) -> tuple[tuple[Route, ...], bool]:
    routes: list[Route] = []
    unknown = body.get("dynamic") is not None
    for i, block in enumerate(blocks(body, "route")):
        route = _route_of(p, block, f"{address}/route/{i}", _INLINE_DESTINATIONS, types)
        if route is None:
            unknown = True
        else:
            routes.append(route)
    return tuple(routes), unknown


def _group(p: ModuleParser, address: str, rtype: str, decl: Any, body: Node) -> SecurityGroup:
    rules: list[SecurityGroupRule] = []
    unresolved = body.get("dynamic") is not None
    for i, block in enumerate(blocks(body, "egress")):
        where = f"{address}/egress/{i}"
        protocol, low, high = (p.string(block, "protocol", where), p.integer(block, "from_port", where),
                               p.integer(block, "to_port", where))
        src = block.src.with_pointer(f"/{where}")
        targets = 0
        for key in ("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups"):
            listed = p.strings(block, key, where)
            if listed is None:
                continue
            if not isinstance(listed.value, tuple):
                unresolved = True
                continue
            for item in listed.value:
                targets += 1
                rules.append(SecurityGroupRule(src, protocol, low, high,
                                               item if key == "cidr_blocks" else None,
                                               item if key == "ipv6_cidr_blocks" else None,
                                               item if key == "prefix_list_ids" else None,
                                               item if key == "security_groups" else None))
        if p.attr(block, "self", where) is not None:
            targets += 1
            rules.append(SecurityGroupRule(src, protocol, low, high, security_group=Located(address, src)))
        if not targets:
            unresolved = True  # a rule whose destinations are not readable
    return SecurityGroup(address, rtype, decl, p.string(body, "vpc_id", address), tuple(rules), unresolved)


def _attach(p: ModuleParser, address: str, rtype: str, body: Node, types: dict[str, str],
            subnets: dict[str, Subnet], tables: dict[str, RouteTable], igws: dict[str, InternetGateway],
            endpoints: dict[str, VpcEndpoint], groups: dict[str, SecurityGroup]) -> None:
    """Resources that change another one: routes, associations, attachments, rules."""
    from dataclasses import replace

    if rtype == "aws_route":
        tid = _ref(p, body, "route_table_id", address, tables)
        if tid is not None:
            route = _route_of(p, body, address, _ROUTE_DESTINATIONS, types)
            t = tables[tid]
            tables[tid] = replace(t, routes=(*t.routes, route)) if route else replace(t, routes_unresolved=True)
    elif rtype == "aws_route_table_association":
        sid = _ref(p, body, "subnet_id", address, subnets)
        table = p.string(body, "route_table_id", address)
        if sid is not None and table is not None:
            subnets[sid] = replace(subnets[sid], route_table=table)
    elif rtype == "aws_main_route_table_association":
        tid = _ref(p, body, "route_table_id", address, tables)
        if tid is not None:
            tables[tid] = replace(tables[tid], main=True, vpc=tables[tid].vpc or p.string(body, "vpc_id", address))
    elif rtype == "aws_internet_gateway_attachment":
        gid = _ref(p, body, "internet_gateway_id", address, igws)
        if gid is not None:
            igws[gid] = replace(igws[gid], vpc=p.string(body, "vpc_id", address))
    elif rtype in ("aws_vpc_endpoint_route_table_association", "aws_vpc_endpoint_subnet_association"):
        eid = _ref(p, body, "vpc_endpoint_id", address, endpoints)
        key = "route_table_id" if rtype.endswith("route_table_association") else "subnet_id"
        value = p.string(body, key, address)
        if eid is not None and value is not None:
            e = endpoints[eid]
            endpoints[eid] = replace(e, route_tables=(*e.route_tables, value)) if key == "route_table_id" else \
                replace(e, subnets=(*e.subnets, value))
    elif rtype in ("aws_security_group_rule", "aws_vpc_security_group_egress_rule"):
        if rtype == "aws_security_group_rule":
            kind = p.string(body, "type", address)
            if kind is None or kind.known() != "egress":
                if kind is None or not kind.is_known():
                    gid = _ref(p, body, "security_group_id", address, groups)
                    if gid is not None:
                        groups[gid] = replace(groups[gid], egress_unresolved=True)
                return
        gid = _ref(p, body, "security_group_id", address, groups)
        if gid is None:
            return
        src = p.decl[address].with_pointer(f"/{address}")
        low, high = p.integer(body, "from_port", address), p.integer(body, "to_port", address)
        if rtype == "aws_security_group_rule":
            protocol = p.string(body, "protocol", address)
            cidrs = p.strings(body, "cidr_blocks", address)
            v6 = p.strings(body, "ipv6_cidr_blocks", address)
            other = p.string(body, "source_security_group_id", address)
            rules = [SecurityGroupRule(src, protocol, low, high, cidr=c) for c in items(cidrs)]
            rules += [SecurityGroupRule(src, protocol, low, high, ipv6_cidr=c) for c in items(v6)]
            if other is not None:
                rules.append(SecurityGroupRule(src, protocol, low, high, security_group=other))
            if not rules or (cidrs is not None and not isinstance(cidrs.value, tuple)):
                groups[gid] = replace(groups[gid], egress_unresolved=True)
        else:
            rules = [SecurityGroupRule(src, p.string(body, "ip_protocol", address), low, high,
                                       p.string(body, "cidr_ipv4", address), p.string(body, "cidr_ipv6", address),
                                       p.string(body, "prefix_list_id", address),
                                       p.string(body, "referenced_security_group_id", address))]
        g = groups[gid]
        groups[gid] = replace(g, egress=(*g.egress, *rules))
