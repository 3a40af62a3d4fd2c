from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.reachability import subnet_paths
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules.vpc._common import VPC, describe, related


class LambdaInPublicSubnet(FunctionRule):
    """A function's subnet routes to the internet through an internet gateway (a public subnet).

    The path is followed from the function's `SubnetIds` to the subnet's route table (or its
    VPC's main route table) and its `0.0.0.0/0` route. Subnets, route tables or routes the input
    does not define are never judged.

    ## Why is this bad?
    Lambda's network interfaces get only private IP addresses, never a public one, so a default
    route to an internet gateway leads nowhere: calls to the internet and to AWS services
    without a VPC endpoint time out, although the subnet looks "public".

    ## How to fix
    Place the function in private subnets whose default route goes to a NAT gateway (which
    itself sits in a public subnet), or add VPC endpoints for the AWS services it calls.
    """

    id = "VP001"
    name = "lambda-in-public-subnet"
    severity = Severity.ERROR
    kind = "soft"
    tags = ("vpc", "networking")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
    )
    bad_example = VPC.replace("SUBNETS", "[!Ref Public]")
    good_example = VPC.replace("SUBNETS", "[!Ref PrivateA, !Ref PrivateB]")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        for p in subnet_paths(fn, ctx.app) or ():
            if p.verdict == "public":
                yield self.at(p.entry, f"Function {fn.display_name} is in a public subnet ({describe(p)}): its "
                                       f"network interfaces get no public IP, so it cannot reach the internet. "
                                       f"Use private subnets that route to a NAT gateway.", fn=fn,
                              related=related(p))
