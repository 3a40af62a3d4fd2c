from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.reachability import subnet_paths, vpc_entries
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules.vpc._common import VPC


class SingleAzSubnets(FunctionRule):
    """All of a function's subnets are in one Availability Zone.

    Judged when every subnet is defined in the application with a known `AvailabilityZone`
    (or `AvailabilityZoneId`), or one the defaults decide (`"${var.region}a"` with the
    variable's default, a parameter's default).

    ## Why is this bad?
    Lambda runs the function only in the Availability Zones of its subnets. With one zone, an
    outage of that zone stops the function entirely; AWS recommends subnets in at least two
    zones for high availability.

    ## How to fix
    Add a subnet in another Availability Zone to `SubnetIds`.
    """

    id = "VP005"
    name = "single-az-subnets"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("vpc", "availability")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/security-resilience.html",
    )
    bad_example = VPC.replace("SUBNETS", "[!Ref PrivateA]")
    good_example = VPC.replace("SUBNETS", "[!Ref PrivateA, !Ref PrivateB]")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        paths = subnet_paths(fn, ctx.app)
        listed = vpc_entries(fn, "SubnetIds", "subnet_ids")
        if not paths or listed is None:
            return
        zones = set()
        for p in paths:
            zone = p.subnet.availability_zone or p.subnet.availability_zone_id if p.subnet else None
            # the zone, or its one candidate ("${var.region}a" over the variable's default)
            options = {c.value for c in zone.possible()} if zone is not None else set()
            if len(options) != 1:
                return
            (value,) = options
            if not isinstance(value, str):
                return
            zones.add(value)
        if len(zones) == 1:
            (only,) = zones
            yield self.at(listed, f"Function {fn.display_name} runs only in Availability Zone {only}: all its "
                                  f"subnets are there. Add a subnet in another zone.", fn=fn,
                          related=[Related(p.subnet.source, f"subnet {p.subnet.id}") for p in paths if p.subnet])
