from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction, SecurityGroupRule
from lambdalint.reachability import vpc_entries
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules.vpc._common import VPC

_CLOSED = VPC.replace(
    "Properties: {GroupDescription: function, VpcId: !Ref Vpc}",
    "Properties:\n      GroupDescription: function\n      VpcId: !Ref Vpc\n      SecurityGroupEgress:\n"
    "        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}")


def _open(rule: SecurityGroupRule) -> bool:
    """The rule lets traffic out: anything but a rule to the loopback network only."""
    cidr = rule.cidr.known() if rule.cidr is not None else None
    loopback = isinstance(cidr, str) and cidr.startswith("127.")
    others = (rule.ipv6_cidr, rule.prefix_list, rule.security_group)
    return not (loopback and all(o is None for o in others))


class EgressBlocked(FunctionRule):
    """None of a function's security groups allows outbound traffic.

    Every group of the function's `SecurityGroupIds` must be defined in the application, with
    its egress rules known. A CloudFormation group that declares no egress rule keeps AWS's
    default allow-all rule, so CloudFormation closes a group with a rule to the loopback
    address (`127.0.0.1/32`), which this rule counts as no egress; a Terraform
    `aws_security_group` without `egress` blocks or egress rule resources has none (Terraform
    removes the default).

    ## Why is this bad?
    Security groups are stateful but outbound connections still need an egress rule: the
    function cannot call any AWS service, database or API, and every call times out.

    ## How to fix
    Add an egress rule for what the function calls (`tcp` 443 to `0.0.0.0/0` or to a VPC
    endpoint's security group, the database port to its group).
    """

    id = "VP004"
    name = "egress-blocked"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("vpc", "networking")
    references = (
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group",
    )
    bad_example = VPC.replace(
        "Properties: {GroupDescription: function, VpcId: !Ref Vpc}",
        "Properties:\n      GroupDescription: function\n      VpcId: !Ref Vpc\n      SecurityGroupEgress:\n"
        "        - {IpProtocol: \"-1\", CidrIp: 127.0.0.1/32}").replace("SUBNETS", "[!Ref PrivateA, !Ref PrivateB]")
    good_example = _CLOSED.replace("SUBNETS", "[!Ref PrivateA, !Ref PrivateB]")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        listed = vpc_entries(fn, "SecurityGroupIds", "security_group_ids")
        if listed is None or not isinstance(listed.value, tuple) or not listed.value:
            return
        groups = [ctx.app.network.security_groups.get(e.ref) if e.ref else None for e in listed.value]
        if any(g is None or g.egress_unresolved or any(_open(r) for r in g.egress) for g in groups):
            return
        names = ", ".join(g.id for g in groups if g is not None)
        yield self.at(listed, f"Function {fn.display_name}'s security groups ({names}) allow no outbound traffic: "
                              f"every call it makes times out. Add an egress rule for what it calls.", fn=fn,
                      related=[Related(g.source, f"security group {g.id}") for g in groups if g is not None])
