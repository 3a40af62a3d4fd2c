from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.reachability import subnet_paths, vpc_entries
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules.vpc._common import VPC, describe, related


class InconsistentSubnetEgress(FunctionRule):
    """Some of a function's subnets reach the internet and some do not.

    A subnet reaches the internet through a NAT gateway that sits in a public subnet; it does
    not when its route table (or its VPC's main table) has no default route or only a route to
    an internet gateway. Subnets whose path the input does not define are left out.

    ## Why is this bad?
    Lambda spreads invocations over all the function's subnets: calls that leave from a subnet
    without a way out time out, the others succeed. The function fails at random, which is
    much harder to diagnose than failing always.

    ## How to fix
    Give every subnet of the function the same egress: a default route to a NAT gateway in
    each, or VPC endpoints for what the function calls.
    """

    id = "VP006"
    name = "inconsistent-subnet-egress"
    severity = Severity.ERROR
    kind = "soft"
    tags = ("vpc", "networking")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html",
    )
    bad_example = VPC.replace("SUBNETS", "[!Ref PrivateA, !Ref PrivateB, !Ref Isolated]") + """\
  Isolated:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24, AvailabilityZone: eu-west-1c}
"""
    good_example = VPC.replace("SUBNETS", "[!Ref PrivateA, !Ref PrivateB]")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        paths = subnet_paths(fn, ctx.app)
        listed = vpc_entries(fn, "SubnetIds", "subnet_ids")
        if not paths or listed is None:
            return
        out = [p for p in paths if p.verdict == "nat"]
        closed = [p for p in paths if p.verdict in ("isolated", "public")]
        if not out or not closed:
            return
        reaching = ", ".join(p.subnet.id for p in out if p.subnet)
        yield self.at(listed, f"Function {fn.display_name} reaches the internet from {reaching} "
                              f"but not from {'; '.join(describe(p) for p in closed)}: invocations fail at random. "
                              f"Give every subnet a route to a NAT gateway.", fn=fn,
                      related=[r for p in closed for r in related(p)])
