"""VPC networking in CloudFormation: VPCs, subnets, route tables and routes, associations,
NAT and internet gateways, endpoints and security groups, folded into :class:`Network`.

Read: ``AWS::EC2::VPC``; ``AWS::EC2::Subnet`` (``VpcId``, ``AvailabilityZone``,
``AvailabilityZoneId``, ``CidrBlock``, ``MapPublicIpOnLaunch``); ``AWS::EC2::RouteTable``
(``VpcId``) with every ``AWS::EC2::Route`` naming it (a destination and one target);
``AWS::EC2::SubnetRouteTableAssociation``; ``AWS::EC2::NatGateway`` (``SubnetId``,
``ConnectivityType``); ``AWS::EC2::InternetGateway`` with its ``AWS::EC2::VPCGatewayAttachment``;
``AWS::EC2::EgressOnlyInternetGateway``; ``AWS::EC2::VPCEndpoint``; ``AWS::EC2::SecurityGroup``
(``SecurityGroupEgress``) with every ``AWS::EC2::SecurityGroupEgress`` naming it; and
``AWS::EC2::VPNGatewayRoutePropagation``, whose propagated routes make a table's routes unknown.

A group that declares no egress rule (inline or as a resource) keeps AWS's default rule, which
is written out as an all-protocols rule to ``0.0.0.0/0`` located at the group's declaration.
A subnet without an explicit association uses its VPC's main route table, which a template
cannot define: nothing is mapped for it (the rules decide).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
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
    replace,
)
from lambdalint.parsers.common import as_bool
from lambdalint.parsers.intrinsics import _esc, _stringify
from lambdalint.values import Located, SourceRef, Unresolved, UnresolvedText

if TYPE_CHECKING:
    from collections.abc import Callable

    from lambdalint.parsers.cfn_view import TemplateView
    from lambdalint.parsers.nodes import Node

#: route target properties and the kind of target each names (``GatewayId`` is told apart later)
ROUTE_TARGETS = (
    ("NatGatewayId", "nat-gateway"), ("InstanceId", "instance"), ("TransitGatewayId", "transit-gateway"),
    ("VpcPeeringConnectionId", "vpc-peering"), ("EgressOnlyInternetGatewayId", "egress-only-internet-gateway"),
    ("NetworkInterfaceId", "network-interface"), ("VpcEndpointId", "vpc-endpoint"),
    ("CarrierGatewayId", "carrier-gateway"), ("LocalGatewayId", "local-gateway"), ("CoreNetworkArn", "core-network"),
    ("GatewayId", "gateway"),
)
_DESTINATIONS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId")
#: the properties of an egress rule (inline or ``AWS::EC2::SecurityGroupEgress``)
_RULE_KEYS = ("IpProtocol", "FromPort", "ToPort", "CidrIp", "CidrIpv6", "DestinationPrefixListId",
              "DestinationSecurityGroupId")
#: a variable of Fn::Sub (``${!Literal}`` is not one), as the resolver reads them
_SUB_VAR = re.compile(r"\$\{([^}!]+)\}")


def gateway_kind(loc: Located[str], resource_types: Mapping[str, str]) -> str:
    """What a ``GatewayId`` / ``gateway_id`` names: an internet gateway, a VPC endpoint
    (``vpce-``), a virtual private gateway (``vgw-``) or ``local``, by the referenced
    resource's type or the literal id's prefix; ``unknown`` otherwise."""
    rtype = resource_types.get(loc.ref or "", "")
    value = loc.known()
    text = value if isinstance(value, str) else ""
    if rtype in ("AWS::EC2::InternetGateway", "aws_internet_gateway") or text.startswith("igw-"):
        return "internet-gateway"
    if rtype in ("AWS::EC2::VPCEndpoint", "aws_vpc_endpoint") or text.startswith("vpce-"):
        return "vpc-endpoint"
    if rtype in ("AWS::EC2::VPNGateway", "aws_vpn_gateway") or text.startswith("vgw-"):
        return "virtual-private-gateway"
    if text == "local":
        return "local"
    return "unknown"


def entries(loc: Located[tuple[Located[str], ...]] | None) -> tuple[Located[str], ...]:
    """The entries of a list of ids: each entry of a known list; for a list the input does not
    determine (a ``List<>`` parameter, ``Fn::If``), one unresolved entry at the list, so that a
    rule sees that entries exist without knowing them."""
    if loc is None:
        return ()
    if isinstance(loc.value, tuple):
        return loc.value
    expr = loc.value.expr if isinstance(loc.value, Unresolved) else "list"
    return (Located(Unresolved(expr), loc.source, ref=loc.ref),)


def read(p: TemplateView) -> Network:
    """Every VPC resource of the template."""
    return _Reader(p).read()


class _Reader:
    """One pass over the template's EC2 resources, then what resources say about others
    (routes, associations, attachments, egress rules) folded into them."""

    def __init__(self, p: TemplateView) -> None:
        self.p = p
        self.vpcs: dict[str, SourceRef] = {}
        self.subnets: dict[str, Subnet] = {}
        self.tables: dict[str, RouteTable] = {}
        self.nats: dict[str, NatGateway] = {}
        self.igws: dict[str, InternetGateway] = {}
        self.endpoints: dict[str, VpcEndpoint] = {}
        self.groups: dict[str, SecurityGroup] = {}
        #: route table id -> routes of AWS::EC2::Route resources
        self.routes: dict[str, list[Route]] = {}
        #: route tables with routes that are not known
        self.unknown_routes: set[str] = set()
        #: subnet id -> its associated route table
        self.associations: dict[str, Located[str]] = {}
        #: internet gateway id -> the VPC it is attached to
        self.attachments: dict[str, Located[str]] = {}
        #: group id -> rules of AWS::EC2::SecurityGroupEgress resources
        self.egress: dict[str, list[SecurityGroupRule]] = {}
        #: groups an egress rule resource may target (through Fn::If): their rules are not known
        self.unknown_egress: set[str] = set()

    def read(self) -> Network:
        readers: dict[str, Callable[[str, str, Node | None, str, SourceRef], None]] = {
            "AWS::EC2::VPC": self._vpc, "AWS::EC2::Subnet": self._subnet, "AWS::EC2::RouteTable": self._table,
            "AWS::EC2::Route": self._route, "AWS::EC2::SubnetRouteTableAssociation": self._association,
            "AWS::EC2::NatGateway": self._nat, "AWS::EC2::InternetGateway": self._igw,
            "AWS::EC2::EgressOnlyInternetGateway": self._igw, "AWS::EC2::VPCGatewayAttachment": self._attachment,
            "AWS::EC2::VPCEndpoint": self._endpoint, "AWS::EC2::SecurityGroup": self._group,
            "AWS::EC2::SecurityGroupEgress": self._egress_rule,
            "AWS::EC2::VPNGatewayRoutePropagation": self._propagation,
        }
        for rid, node in self.p.resources.items():
            reader = readers.get(self.p.resource_types.get(rid, ""))
            if reader is not None:
                reader(rid, self.p.resource_types[rid], self.p.sub(node, "Properties"),
                       f"/Resources/{_esc(rid)}/Properties", self.p.declarations[rid])
        self._fold()
        return Network(self.vpcs, self.subnets, self.tables, self.nats, self.igws, self.endpoints, self.groups)

    # -- resources -------------------------------------------------------------------------

    def _vpc(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        self.vpcs[rid] = decl

    def _subnet(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        p = self.p
        self.subnets[rid] = Subnet(rid, rtype, decl, p.str_prop(props, "VpcId", ptr),
                                   p.str_prop(props, "AvailabilityZone", ptr),
                                   p.str_prop(props, "AvailabilityZoneId", ptr), p.str_prop(props, "CidrBlock", ptr),
                                   as_bool(p.prop(props, "MapPublicIpOnLaunch", ptr)))

    def _table(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        self.tables[rid] = RouteTable(rid, rtype, decl, self.p.str_prop(props, "VpcId", ptr))

    def _route(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        """``AWS::EC2::Route``: a route of the table ``RouteTableId`` names (a route whose
        destination or target is not known makes the table's routes unknown)."""
        owner = self.p.prop(props, "RouteTableId", ptr)
        if owner is None or owner.ref is None:
            return
        route = _route(self.p, props, ptr)
        if route is None or not route.destination.is_known():
            self.unknown_routes.add(owner.ref)
        if route is not None:
            self.routes.setdefault(owner.ref, []).append(route)

    def _association(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        member, chosen = self.p.prop(props, "SubnetId", ptr), self.p.str_prop(props, "RouteTableId", ptr)
        if member is not None and member.ref is not None and chosen is not None:
            self.associations[member.ref] = chosen

    def _nat(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        self.nats[rid] = NatGateway(rid, rtype, decl, self.p.str_prop(props, "SubnetId", ptr),
                                    self.p.str_prop(props, "ConnectivityType", ptr))

    def _igw(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        """An internet gateway (attached by ``AWS::EC2::VPCGatewayAttachment``), or an
        egress-only one, which names its VPC itself."""
        if rtype == "AWS::EC2::EgressOnlyInternetGateway":
            self.igws[rid] = InternetGateway(rid, rtype, decl, self.p.str_prop(props, "VpcId", ptr), egress_only=True)
        else:
            self.igws[rid] = InternetGateway(rid, rtype, decl)

    def _attachment(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        gateway, vpc = self.p.prop(props, "InternetGatewayId", ptr), self.p.str_prop(props, "VpcId", ptr)
        if gateway is not None and gateway.ref is not None and vpc is not None:
            self.attachments[gateway.ref] = vpc

    def _endpoint(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        p = self.p
        self.endpoints[rid] = VpcEndpoint(
            rid, rtype, decl, p.str_prop(props, "VpcId", ptr), _service_name(p, props, ptr),
            p.str_prop(props, "VpcEndpointType", ptr), entries(p.list_prop(props, "RouteTableIds", ptr)),
            entries(p.list_prop(props, "SubnetIds", ptr)), as_bool(p.prop(props, "PrivateDnsEnabled", ptr)))

    def _group(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        """A security group with its inline ``SecurityGroupEgress`` rules."""
        rules: list[SecurityGroupRule] = []
        unresolved = False
        listed = self.p.prop(props, "SecurityGroupEgress", ptr)
        if listed is not None:
            if not isinstance(listed.value, tuple):
                unresolved = True  # Fn::If, a list from elsewhere
            else:
                for item in listed.value:
                    if isinstance(item.value, dict):
                        rules.append(_rule(self.p, item.value, item.source))
                    else:
                        unresolved = True
        self.groups[rid] = SecurityGroup(rid, rtype, decl, self.p.str_prop(props, "VpcId", ptr), tuple(rules),
                                         unresolved)

    def _egress_rule(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        """``AWS::EC2::SecurityGroupEgress``: a rule of the group ``GroupId`` names, located at
        the rule resource's declaration."""
        target = self.p.prop(props, "GroupId", ptr)
        if target is None:
            return
        if target.ref is None:
            self.unknown_egress.update(c.ref for c in target.candidates if c.ref is not None)
            return
        values = {k: v for k in _RULE_KEYS if (v := self.p.prop(props, k, ptr)) is not None}
        self.egress.setdefault(target.ref, []).append(_rule(self.p, values, decl))

    def _propagation(self, rid: str, rtype: str, props: Node | None, ptr: str, decl: SourceRef) -> None:
        """``AWS::EC2::VPNGatewayRoutePropagation``: routes learned from a VPN, not known here."""
        for entry in entries(self.p.list_prop(props, "RouteTableIds", ptr)):
            if entry.ref is not None:
                self.unknown_routes.add(entry.ref)

    # -- what resources say about others ---------------------------------------------------

    def _fold(self) -> None:
        for tid, table in self.tables.items():
            self.tables[tid] = replace(table, routes=tuple(self.routes.get(tid, ())),
                                       routes_unresolved=tid in self.unknown_routes)
        for sid, table_id in self.associations.items():
            if sid in self.subnets:
                self.subnets[sid] = replace(self.subnets[sid], route_table=table_id)
        for gid, vpc in self.attachments.items():
            if gid in self.igws:
                self.igws[gid] = replace(self.igws[gid], vpc=vpc)
        for gid, group in self.groups.items():
            extra = tuple(self.egress.get(gid, ()))
            unresolved = group.egress_unresolved or gid in self.unknown_egress
            if extra:
                group = replace(group, egress=group.egress + extra)
            elif not group.egress and not unresolved:
                # AWS adds its allow-all rule only to a group created without egress rules
                group = replace(group, egress=(_allow_all(group.source),))
            self.groups[gid] = replace(group, egress_unresolved=unresolved)


def route_from(get: Callable[[str], Located[str] | None], destinations: tuple[str, ...],
               targets: tuple[tuple[str, str], ...], types: Mapping[str, str]) -> Route | None:
    """A route from its attributes (``get`` reads one by name, in either dialect): its
    destination and its target, or None when either is missing."""
    destination = next((d for key in destinations if (d := get(key)) is not None), None)
    if destination is None:
        return None
    for key, kind in targets:
        target = get(key)
        if target is not None:
            if kind == "gateway":
                kind = gateway_kind(target, types)
            return Route(destination.source, destination, kind, target)
    return None


def _route(p: TemplateView, props: Node | None, ptr: str) -> Route | None:
    return route_from(lambda key: p.str_prop(props, key, ptr), _DESTINATIONS, ROUTE_TARGETS, p.resource_types)


def _rule(p: TemplateView, values: dict[str, Located[Any]], src: SourceRef) -> SecurityGroupRule:
    """An egress rule from its located properties (an inline entry, or a rule resource's)."""
    def s(key: str) -> Located[str] | None:
        return p.r.string(values[key], key) if key in values else None

    def i(key: str) -> Located[int] | None:
        return p.r.integer(values[key], key) if key in values else None

    return SecurityGroupRule(src, s("IpProtocol"), i("FromPort"), i("ToPort"), s("CidrIp"), s("CidrIpv6"),
                             s("DestinationPrefixListId"), s("DestinationSecurityGroupId"))


def _allow_all(src: SourceRef) -> SecurityGroupRule:
    """AWS's default egress rule of a group that declares none: everything to everywhere."""
    return SecurityGroupRule(src, Located("-1", src), None, None, Located("0.0.0.0/0", src))


# -- endpoint service names ------------------------------------------------------------------

def _service_name(p: TemplateView, props: Node | None, ptr: str) -> Located[str] | None:
    """``ServiceName``. Built with ``Fn::Sub`` or ``Fn::Join`` from parts some of which are
    not known (``com.amazonaws.${AWS::Region}.s3``), it stays unresolved but as an
    :class:`UnresolvedText`: its text with each unknown part as ``${name}``, and its parts
    (literal strings and located unknown values), as Terraform templates are read, so that a
    rule can read the service from the known end of the name."""
    loc = p.str_prop(props, "ServiceName", ptr)
    node = props.get("ServiceName") if props is not None and props.is_map() else None
    if loc is None or node is None or loc.is_known() or not isinstance(loc.value, Unresolved) \
            or isinstance(loc.value, UnresolvedText) or not node.is_map() or len(node.value) != 1:
        return loc
    ((fn, arg),) = node.value.items()
    pointer = f"{loc.source.pointer}/{fn}"
    parts = _sub_parts(p, arg, pointer, loc.source) if fn == "Fn::Sub" else \
        _join_parts(p, arg, pointer) if fn == "Fn::Join" else None
    if parts is None:
        return loc
    return Located(UnresolvedText(loc.value.expr, parts), loc.source, loc.candidates, loc.ref, loc.origin)


def _sub_parts(p: TemplateView, arg: Node, pointer: str, src: SourceRef) -> tuple[Any, ...] | None:
    """The parts of ``Fn::Sub``: literal text, and each unknown variable (a pseudo parameter,
    a resource attribute, a variable of the map that is not known) located at the ``Fn::Sub``."""
    template: Any = arg.value
    variables: dict[str, Located[Any]] = {}
    if isinstance(template, list) and template:
        if len(template) > 1 and template[1].is_map():
            variables = {k: p.r.resolve(v, f"{pointer}/1/{_esc(k)}") for k, v in template[1].value.items()}
        template = template[0].value
    if not isinstance(template, str):
        return None
    parts: list[Any] = []
    last = 0
    for m in _SUB_VAR.finditer(template):
        parts.append(template[last:m.start()].replace("${!", "${"))
        name = m.group(1).strip()
        given = variables.get(name)
        if given is not None and isinstance(given.value, (str, int, float)):
            parts.append(_stringify(given.value))
        elif given is not None:
            parts.append(given)
        else:
            target = name.split(".", 1)[0]
            parts.append(Located(Unresolved(name), src, ref=target if target in p.resources else None))
        last = m.end()
    parts.append(template[last:].replace("${!", "${"))
    return _merged(parts)


def _join_parts(p: TemplateView, arg: Node, pointer: str) -> tuple[Any, ...] | None:
    """The parts of ``Fn::Join``: known items as text (with the separator), the others located."""
    joined = p.r.resolve(arg, pointer).known()
    if not isinstance(joined, tuple) or len(joined) != 2:
        return None
    sep, items = joined[0].known(), joined[1].known()
    if not isinstance(sep, str) or not isinstance(items, tuple):
        return None
    parts: list[Any] = []
    for n, item in enumerate(items):
        if n:
            parts.append(sep)
        parts.append(_stringify(item.value) if isinstance(item.value, (str, int, float)) else item)
    return _merged(parts)


def _merged(parts: list[Any]) -> tuple[Any, ...]:
    """Adjacent literal strings joined, empty ones dropped."""
    out: list[Any] = []
    for part in parts:
        if isinstance(part, str) and out and isinstance(out[-1], str):
            out[-1] += part
        elif part != "":
            out.append(part)
    return tuple(out)
