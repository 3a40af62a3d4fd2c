"""VPC networking in Terraform (``.tf`` files and plans), folded into :class:`Network`.

Read: ``aws_vpc`` and ``aws_default_vpc``; ``aws_subnet``; ``aws_route_table`` and
``aws_default_route_table`` (inline ``route`` blocks, ``propagating_vgws``) with every
``aws_route`` naming them; ``aws_route_table_association``; ``aws_main_route_table_association``;
``aws_nat_gateway``; ``aws_internet_gateway`` (and ``aws_internet_gateway_attachment``);
``aws_egress_only_internet_gateway``; ``aws_vpc_endpoint`` (and its route table and subnet
associations); ``aws_security_group`` / ``aws_default_security_group`` (inline ``egress``) with
every ``aws_security_group_rule`` of type ``egress`` and ``aws_vpc_security_group_egress_rule``
naming them; ``aws_vpn_gateway_route_propagation``, whose routes are not known.

Terraform removes AWS's default allow-all egress rule from the security groups it creates (and
every rule from a default group it adopts), so a group with no egress block and no egress rule
resource allows no outbound traffic at all: no rule is added for it.

The route table AWS creates with a VPC, referenced as ``aws_vpc.x.default_route_table_id`` or
``aws_vpc.x.main_route_table_id``, is the ``aws_default_route_table`` adopting it, or else a
table ``aws_vpc.x.default_route_table`` located at the VPC (its main table unless an
``aws_main_route_table_association`` makes another one main); references to it point there.
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
    replace,
)
from lambdalint.parsers.cfn_network import entries, route_from
from lambdalint.parsers.common import as_bool
from lambdalint.parsers.terraform.iam import blocks
from lambdalint.values import Located, SourceRef, Unresolved

if TYPE_CHECKING:
    from collections.abc import Callable

    from lambdalint.parsers.nodes import Node
    from lambdalint.parsers.terraform.view import ModuleView

#: route target attributes and the kind of target each names (``gateway_id`` is told apart
#: later; ``instance_id`` was removed from the provider but older configurations have it)
_TARGETS = (
    ("nat_gateway_id", "nat-gateway"), ("instance_id", "instance"), ("transit_gateway_id", "transit-gateway"),
    ("vpc_peering_connection_id", "vpc-peering"), ("egress_only_gateway_id", "egress-only-internet-gateway"),
    ("network_interface_id", "network-interface"), ("vpc_endpoint_id", "vpc-endpoint"),
    ("carrier_gateway_id", "carrier-gateway"), ("local_gateway_id", "local-gateway"),
    ("core_network_arn", "core-network"), ("gateway_id", "gateway"),
)
_INLINE_DESTINATIONS = ("cidr_block", "ipv6_cidr_block", "destination_prefix_list_id")
_ROUTE_DESTINATIONS = ("destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id")
_VPCS = ("aws_vpc", "aws_default_vpc")
#: attributes of a VPC naming the route table AWS creates with it
_DEFAULT_TABLE_ATTRS = (".default_route_table_id", ".main_route_table_id")
#: the destination attributes of each kind of egress rule: (attribute, SecurityGroupRule field)
_BLOCK_LISTS = (("cidr_blocks", "cidr"), ("ipv6_cidr_blocks", "ipv6_cidr"), ("prefix_list_ids", "prefix_list"),
                ("security_groups", "security_group"))
_RULE_LISTS = (("cidr_blocks", "cidr"), ("ipv6_cidr_blocks", "ipv6_cidr"), ("prefix_list_ids", "prefix_list"))
_RULE_SINGLES = (("source_security_group_id", "security_group"),)
_VPC_RULE_SINGLES = (("cidr_ipv4", "cidr"), ("cidr_ipv6", "ipv6_cidr"), ("prefix_list_id", "prefix_list"),
                     ("referenced_security_group_id", "security_group"))


def read(p: ModuleView) -> Network:
    """Every VPC resource of the module (its local modules are read by their own parser)."""
    return _Reader(p).read()


def _given(loc: Located[str] | None) -> Located[str] | None:
    """An attribute that is set: a plan writes ``""`` for optional strings that are not."""
    return None if loc is None or loc.known() == "" else loc


def _dynamic(body: Node, label: str) -> bool:
    """The body has a ``dynamic "<label>"`` block: blocks whose number and content are not known."""
    node = body.get("dynamic")
    holders = node.value if node is not None and node.is_list() else [node] if node is not None else []
    return any(h.is_map() and label in h.value for h in holders)


class _Reader:
    """One pass over the module's resources, then the resources that change others (routes,
    associations, attachments, egress rules) folded into them."""

    def __init__(self, p: ModuleView) -> None:
        from lambdalint.parsers.terraform import resource_type

        self.p = p
        self.types = {a: resource_type(a) for a in p.resources}
        self.vpcs: dict[str, SourceRef] = {}
        self.subnets: dict[str, Subnet] = {}
        self.tables: dict[str, RouteTable] = {}
        self.nats: dict[str, NatGateway] = {}
        self.igws: dict[str, InternetGateway] = {}
        self.endpoints: dict[str, VpcEndpoint] = {}
        self.groups: dict[str, SecurityGroup] = {}
        #: VPC address -> the table a main association makes its main one
        self.main_tables: dict[str, str] = {}

    def read(self) -> Network:
        first: dict[str, Callable[[str, str, Node, SourceRef], None]] = {
            "aws_vpc": self._vpc, "aws_default_vpc": self._vpc, "aws_subnet": self._subnet,
            "aws_route_table": self._table, "aws_default_route_table": self._table, "aws_nat_gateway": self._nat,
            "aws_internet_gateway": self._igw, "aws_egress_only_internet_gateway": self._igw,
            "aws_security_group": self._group, "aws_default_security_group": self._group,
        }
        # endpoints name route tables, the VPC's own one included: read once every table is
        endpoints: dict[str, Callable[[str, str, Node, SourceRef], None]] = {"aws_vpc_endpoint": self._endpoint}
        later: dict[str, Callable[[str, str, Node, SourceRef], None]] = {
            "aws_route": self._route, "aws_route_table_association": self._association,
            "aws_main_route_table_association": self._main_association,
            "aws_vpn_gateway_route_propagation": self._propagation,
            "aws_internet_gateway_attachment": self._attachment,
            "aws_vpc_endpoint_route_table_association": self._endpoint_association,
            "aws_vpc_endpoint_subnet_association": self._endpoint_association,
            "aws_security_group_rule": self._rule_resource, "aws_vpc_security_group_egress_rule": self._rule_resource,
        }
        for readers in (first, endpoints, later):
            for address, body in self.p.resources.items():
                reader = readers.get(self.types[address])
                if reader is not None and body.is_map():
                    reader(address, self.types[address], body, self.p.decl[address].with_pointer(f"/{address}"))
        self._fold_main_tables()
        return Network(self.vpcs, self.subnets, self.tables, self.nats, self.igws, self.endpoints, self.groups)

    # -- helpers ---------------------------------------------------------------------------

    def _string(self, body: Node, key: str, address: str) -> Located[str] | None:
        return _given(self.p.string(body, key, address))

    def _ref(self, body: Node, key: str, address: str, table: dict[str, Any]) -> str | None:
        """The resource of ``table`` the attribute refers to."""
        loc = self.p.attr(body, key, address)
        return loc.ref if loc is not None and loc.ref in table else None

    def _table_id(self, body: Node, key: str, address: str) -> str | None:
        """The route table the attribute refers to (the VPC's own one included)."""
        loc = self._table_ref(self.p.attr(body, key, address))
        return loc.ref if loc is not None and loc.ref in self.tables else None

    def _table_ref(self, loc: Located[Any] | None) -> Located[Any] | None:
        """A reference to the route table AWS creates with a VPC (``aws_vpc.x.default_route_table_id``)
        made to point at that table."""
        if loc is None or loc.ref is None or self.types.get(loc.ref) not in _VPCS:
            return loc
        expr = loc.value.expr if isinstance(loc.value, Unresolved) else ""
        if not expr.endswith(_DEFAULT_TABLE_ATTRS):
            return loc
        return replace(loc, ref=self._default_table(loc.ref))

    def _default_table(self, vpc: str) -> str:
        """The id of the VPC's own route table: its ``aws_default_route_table``, else one
        located at the VPC, with no route but the local one until ``aws_route`` adds some."""
        for tid, table in self.tables.items():
            if self.types.get(tid) == "aws_default_route_table" and table.vpc is not None and table.vpc.ref == vpc:
                return tid
        tid = f"{vpc}.default_route_table"
        if tid not in self.tables:
            src = self.vpcs[vpc]
            self.tables[tid] = RouteTable(tid, self.types[vpc], src, Located(Unresolved(f"{vpc}.id"), src, ref=vpc),
                                          main=True)
        return tid

    def _route_of(self, body: Node, address: str, destinations: tuple[str, ...]) -> Route | None:
        """A route: its destination and target, or None when either is missing."""
        return route_from(lambda key: self._string(body, key, address), destinations, _TARGETS, self.types)

    def _add_route(self, tid: str, route: Route | None) -> None:
        """A route of the table (None, or one with an unknown destination: routes not known)."""
        table = self.tables[tid]
        if route is not None:
            table = replace(table, routes=(*table.routes, route))
        if route is None or not route.destination.is_known():
            table = replace(table, routes_unresolved=True)
        self.tables[tid] = table

    # -- resources -------------------------------------------------------------------------

    def _vpc(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        self.vpcs[address] = decl

    def _subnet(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        p = self.p
        self.subnets[address] = Subnet(address, rtype, decl, p.string(body, "vpc_id", address),
                                       self._string(body, "availability_zone", address),
                                       self._string(body, "availability_zone_id", address),
                                       self._string(body, "cidr_block", address),
                                       as_bool(p.attr(body, "map_public_ip_on_launch", address)))

    def _table(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        """A route table with its inline ``route`` blocks; ``aws_default_route_table`` adopts
        the VPC's own table (``default_route_table_id``), its main one."""
        vpc = self.p.string(body, "vpc_id", address)
        default = rtype == "aws_default_route_table"
        if default:
            owner = self.p.attr(body, "default_route_table_id", address)
            if owner is not None and owner.ref is not None:
                vpc = Located(Unresolved(f"{owner.ref}.id"), owner.source, ref=owner.ref)
        unknown = _dynamic(body, "route")
        vgws = self.p.attr(body, "propagating_vgws", address)
        if vgws is not None and vgws.value != ():
            unknown = True  # routes learned from a virtual private gateway
        self.tables[address] = RouteTable(address, rtype, decl, vpc, (), unknown, default)
        for i, block in enumerate(blocks(body, "route")):
            self._add_route(address, self._route_of(block, f"{address}/route/{i}", _INLINE_DESTINATIONS))

    def _nat(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        self.nats[address] = NatGateway(address, rtype, decl, self.p.string(body, "subnet_id", address),
                                        self._string(body, "connectivity_type", address))

    def _igw(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        self.igws[address] = InternetGateway(address, rtype, decl, self.p.string(body, "vpc_id", address),
                                             rtype == "aws_egress_only_internet_gateway")

    def _endpoint(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        p = self.p
        tables = tuple(self._table_ref(t) or t for t in entries(p.strings(body, "route_table_ids", address)))
        self.endpoints[address] = VpcEndpoint(
            address, rtype, decl, p.string(body, "vpc_id", address), p.string(body, "service_name", address),
            self._string(body, "vpc_endpoint_type", address), tables,
            entries(p.strings(body, "subnet_ids", address)), as_bool(p.attr(body, "private_dns_enabled", address)))

    def _group(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        """A security group with its inline ``egress`` blocks (in a plan, a list of objects)."""
        rules: list[SecurityGroupRule] = []
        unresolved = _dynamic(body, "egress")
        for i, block in enumerate(blocks(body, "egress")):
            where = f"{address}/egress/{i}"
            found, unknown = self._rules(block, where, block.src.with_pointer(f"/{where}"), address,
                                         _BLOCK_LISTS, ())
            rules += found
            unresolved = unresolved or unknown
        self.groups[address] = SecurityGroup(address, rtype, decl, self.p.string(body, "vpc_id", address),
                                             tuple(rules), unresolved)

    def _rules(self, body: Node, where: str, src: SourceRef, group: str, lists: tuple[tuple[str, str], ...],
               singles: tuple[tuple[str, str], ...]) -> tuple[list[SecurityGroupRule], bool]:
        """The rules one egress block or rule resource allows: one per destination (each CIDR,
        prefix list and group listed, ``self``), and whether some destination is not known."""
        p = self.p
        protocol = self._string(body, "protocol", where) or self._string(body, "ip_protocol", where)
        low, high = p.integer(body, "from_port", where), p.integer(body, "to_port", where)
        found: list[dict[str, Located[str]]] = []
        unknown = False
        for key, field in lists:
            listed = p.strings(body, key, where)
            if listed is not None and isinstance(listed.value, tuple):
                found += [{field: item} for item in listed.value]
            elif listed is not None:
                unknown = True  # `cidr_blocks = var.cidrs`
        found += [{field: loc} for key, field in singles if (loc := self._string(body, key, where)) is not None]
        itself = as_bool(p.attr(body, "self", where))
        if itself is not None and itself.known() is not False:
            if itself.known() is True:
                found.append({"security_group": Located(Unresolved(f"{group}.id"), itself.source, ref=group)})
            else:
                unknown = True
        rules = [SecurityGroupRule(src, protocol, low, high, **destination) for destination in found]
        # every rule has a protocol: without one, the rule is only partly known (a plan's value
        # not known until apply, rebuilt from the configuration's references)
        return rules, unknown or not rules or protocol is None

    # -- what resources say about others ---------------------------------------------------

    def _route(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        tid = self._table_id(body, "route_table_id", address)
        if tid is not None:
            self._add_route(tid, self._route_of(body, address, _ROUTE_DESTINATIONS))

    def _association(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        """``aws_route_table_association`` of a subnet (one of a gateway is edge routing)."""
        sid = self._ref(body, "subnet_id", address, self.subnets)
        table = self._table_ref(self.p.string(body, "route_table_id", address))
        if sid is not None and table is not None:
            self.subnets[sid] = replace(self.subnets[sid], route_table=table)

    def _main_association(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        tid = self._table_id(body, "route_table_id", address)
        if tid is None:
            return
        table = self.tables[tid]
        vpc = table.vpc or self.p.string(body, "vpc_id", address)
        self.tables[tid] = replace(table, main=True, vpc=vpc)
        if vpc is not None and vpc.ref is not None:
            self.main_tables[vpc.ref] = tid

    def _propagation(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        """``aws_vpn_gateway_route_propagation``: routes learned from a VPN, not known here."""
        tid = self._table_id(body, "route_table_id", address)
        if tid is not None:
            self.tables[tid] = replace(self.tables[tid], routes_unresolved=True)

    def _attachment(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        gid = self._ref(body, "internet_gateway_id", address, self.igws)
        if gid is not None:
            self.igws[gid] = replace(self.igws[gid], vpc=self.p.string(body, "vpc_id", address))

    def _endpoint_association(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        eid = self._ref(body, "vpc_endpoint_id", address, self.endpoints)
        if eid is None:
            return
        e = self.endpoints[eid]
        if rtype == "aws_vpc_endpoint_route_table_association":
            table = self._table_ref(self.p.string(body, "route_table_id", address))
            if table is not None:
                self.endpoints[eid] = replace(e, route_tables=(*e.route_tables, table))
        else:
            subnet = self.p.string(body, "subnet_id", address)
            if subnet is not None:
                self.endpoints[eid] = replace(e, subnets=(*e.subnets, subnet))

    def _rule_resource(self, address: str, rtype: str, body: Node, decl: SourceRef) -> None:
        """``aws_security_group_rule`` (``type = "egress"``) or ``aws_vpc_security_group_egress_rule``:
        rules of the group ``security_group_id`` names, located at the rule resource."""
        gid = self._ref(body, "security_group_id", address, self.groups)
        if gid is None:
            return
        if rtype == "aws_security_group_rule":
            kind = self.p.string(body, "type", address)
            if kind is not None and kind.is_known():
                if kind.known() != "egress":
                    return
            else:
                self.groups[gid] = replace(self.groups[gid], egress_unresolved=True)  # perhaps an egress rule
                return
            rules, unknown = self._rules(body, address, decl, gid, _RULE_LISTS, _RULE_SINGLES)
        else:
            rules, unknown = self._rules(body, address, decl, gid, (), _VPC_RULE_SINGLES)
        g = self.groups[gid]
        self.groups[gid] = replace(g, egress=(*g.egress, *rules), egress_unresolved=g.egress_unresolved or unknown)

    def _fold_main_tables(self) -> None:
        """A main association makes the VPC's own table an ordinary one."""
        for vpc, main in self.main_tables.items():
            for tid, table in self.tables.items():
                if tid != main and table.main and table.vpc is not None and table.vpc.ref == vpc:
                    self.tables[tid] = replace(table, main=False)
