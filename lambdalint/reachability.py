"""Where a function's network interfaces can reach: subnet -> route table -> default route.

For each subnet of a function's VPC configuration the path is followed as far as the
application defines it: the subnet's explicit route table association, else its VPC's main
route table (one the application defines with ``aws_default_route_table`` or a main
association, else the table AWS creates with the VPC, which holds only the local route), then
the IPv4 default route (``0.0.0.0/0``) and what it points at. A NAT gateway is followed to its
own subnet, which needs a route to an internet gateway. Anything the input does not define (a
subnet or VPC from a parameter, a route table with unknown routes, a transit gateway) is
``unknown``: no rule concludes anything from it.
"""

from __future__ import annotations

from typing import Any, Literal

from msgspec import Struct

from lambdalint.model import Application, LambdaFunction, Network, Route, RouteTable, Subnet
from lambdalint.values import Located

#: "public": default route to an internet gateway (Lambda's interfaces get no public IP there);
#: "nat": default route to a NAT gateway that reaches the internet; "isolated": no default route;
#: "unknown": the input does not say
Verdict = Literal["public", "nat", "isolated", "unknown"]
DEFAULT_ROUTES = ("0.0.0.0/0",)


class SubnetPath(Struct, frozen=True):
    #: the entry of the function's SubnetIds
    entry: Located[str]
    subnet: Subnet | None
    table: RouteTable | None
    route: Route | None
    verdict: Verdict
    #: the route table is the VPC's main table (no explicit association)
    main: bool = False


def vpc_entries(fn: LambdaFunction, key_cfn: str, key_tf: str) -> Located[tuple[Located[str], ...]] | None:
    """The function's SubnetIds or SecurityGroupIds list, whichever dialect wrote it."""
    config = fn.vpc_config
    if config is None or not config.is_known():
        return None
    value: Any = config.value
    if isinstance(value, tuple) and value and isinstance(value[0].value, dict):  # a Terraform block
        value = value[0].value
    if isinstance(value, dict):
        found = value.get(key_cfn) or value.get(key_tf)
        return found if found is not None else None
    if isinstance(value, tuple) and key_cfn == "SubnetIds":  # the lambda module: vpc_subnet_ids
        return config
    return None


def subnet_paths(fn: LambdaFunction, app: Application) -> list[SubnetPath] | None:
    """The path of each of the function's subnets (``None``: no VPC or an unknown list)."""
    listed = vpc_entries(fn, "SubnetIds", "subnet_ids")
    if listed is None or not isinstance(listed.value, tuple) or not listed.value:
        return None
    return [path(entry, app.network) for entry in listed.value]


def _main_table(net: Network, vpc: Located[str] | None) -> tuple[RouteTable | None, bool]:
    """The VPC's main route table: one the application defines, else (when the VPC itself is
    defined) the one AWS creates with only the local route, given as ``(None, True)``."""
    if vpc is None or vpc.ref is None:
        return None, False
    for table in net.route_tables.values():
        if table.main and table.vpc is not None and table.vpc.ref == vpc.ref:
            return table, True
    return None, vpc.ref in net.vpcs


def path(entry: Located[str], net: Network, follow_nat: bool = True) -> SubnetPath:
    """The subnet's path; ``follow_nat=False`` stops at a NAT gateway (verdict ``unknown``)."""
    subnet = net.subnets.get(entry.ref) if entry.ref is not None else None
    if subnet is None:
        return SubnetPath(entry, None, None, None, "unknown")
    table: RouteTable | None = None
    main = False
    if subnet.route_table is not None:
        table = net.route_tables.get(subnet.route_table.ref) if subnet.route_table.ref else None
        if table is None:
            return SubnetPath(entry, subnet, None, None, "unknown")
    else:
        table, implicit = _main_table(net, subnet.vpc)
        main = True
        if table is None:
            return SubnetPath(entry, subnet, None, None, "isolated" if implicit else "unknown", True)
    route = next((r for r in table.routes if r.destination.known() in DEFAULT_ROUTES), None)
    if route is None:
        return SubnetPath(entry, subnet, table, None, "unknown" if table.routes_unresolved else "isolated", main)
    if route.target_type == "internet-gateway":
        return SubnetPath(entry, subnet, table, route, "public", main)
    if route.target_type == "nat-gateway":
        return SubnetPath(entry, subnet, table, route, nat_verdict(route, net) if follow_nat else "unknown", main)
    return SubnetPath(entry, subnet, table, route, "unknown", main)


def nat_verdict(route: Route, net: Network) -> Verdict:
    """A NAT gateway gives internet access when it sits in a public subnet; in a subnet whose
    default route is missing or leads to a NAT gateway (itself or another) it gives none."""
    nat = net.nat_gateways.get(route.target.ref) if route.target is not None and route.target.ref else None
    if nat is None or nat.subnet is None:
        return "unknown"
    connectivity = nat.connectivity.known() if nat.connectivity is not None else "public"
    if connectivity == "private":
        return "isolated"
    if connectivity != "public":
        return "unknown"
    own = path(nat.subnet, net, follow_nat=False)
    if own.verdict == "public":
        return "nat"
    no_way_out = own.verdict == "isolated" or (own.route is not None and own.route.target_type == "nat-gateway")
    return "isolated" if no_way_out else "unknown"
