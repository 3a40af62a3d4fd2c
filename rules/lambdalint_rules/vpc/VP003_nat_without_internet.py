from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.reachability import path
from lambdalint.rule import ApplicationRule, Context, Finding, Related, Severity
from lambdalint_rules.vpc._common import VPC, describe, related


class NatWithoutInternet(ApplicationRule):
    """A public NAT gateway sits in a subnet with no route to an internet gateway.

    ## Why is this bad?
    A NAT gateway forwards traffic through its own subnet's route table. Placed in a private
    subnet (whose default route is not an internet gateway), it cannot reach the internet, and
    neither can any function whose subnets route through it: calls time out.

    ## How to fix
    Create the NAT gateway in a public subnet (one whose route table sends `0.0.0.0/0` to an
    internet gateway), and point the private subnets' default route at it.
    """

    id = "VP003"
    name = "nat-without-internet"
    severity = Severity.ERROR
    kind = "soft"
    tags = ("vpc", "networking")
    references = (
        "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-scenarios.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html",
    )
    bad_example = VPC.replace("SubnetId: !Ref Public, AllocationId", "SubnetId: !Ref PrivateA, AllocationId").replace(
        "SUBNETS", "[!Ref PrivateA, !Ref PrivateB]")
    good_example = VPC.replace("SUBNETS", "[!Ref PrivateA, !Ref PrivateB]")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        net = app.network
        for nat in net.nat_gateways.values():
            if nat.subnet is None:
                continue
            connectivity = nat.connectivity.known() if nat.connectivity is not None else "public"
            if connectivity != "public":
                continue
            own = path(nat.subnet, net, follow_nat=False)
            to_nat = own.route is not None and own.route.target_type == "nat-gateway"
            if own.verdict != "isolated" and not to_nat:
                continue
            yield self.finding(
                nat.subnet.source,
                f"NAT gateway {nat.id} is in a subnet with no route to an internet gateway ({describe(own)}): "
                f"it cannot reach the internet. Move it to a public subnet.",
                resource=nat.id, resource_source=nat.source,
                related=[Related(nat.source, f"NAT gateway {nat.id}"), *related(own)])
