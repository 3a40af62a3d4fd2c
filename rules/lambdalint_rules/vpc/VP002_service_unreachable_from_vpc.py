from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lambdalint.iam.effective import entries, execution_role, permissions, target_service
from lambdalint.model import Application, LambdaFunction, VpcEndpoint
from lambdalint.reachability import SubnetPath, subnet_paths, vpc_entries
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint.values import Located
from lambdalint.wording import service_name, with_article
from lambdalint_rules.vpc._common import VPC, describe, related

#: actions the Lambda service uses itself (logs, network interfaces, event-source polling), and
#: file-system client actions (EFS, S3 Files), authorised when the file system is mounted
#: through its mount target inside the VPC: they need no route from the function's subnets
_SERVICE_USED = re.compile(
    r"^(logs:.*|xray:.*|(elasticfilesystem|s3files):Client.*|"
    # the network-interface actions of AWSLambdaVPCAccessExecutionRole: Lambda's, not the code's
    r"ec2:(Create|Describe|Delete|Attach|Detach)NetworkInterfaces?|ec2:(Assign|Unassign)PrivateIpAddresses|"
    r"ec2:Describe(Subnets|Vpcs|SecurityGroups)|sqs:(ReceiveMessage|DeleteMessage|GetQueueAttributes)|"
    r"kinesis:(Get.*|Describe.*|List.*|SubscribeToShard)|dynamodb:(DescribeStream|GetRecords|GetShardIterator|"
    r"ListStreams)|kafka:.*|"
    # data planes reached through network interfaces in the VPC (RDS and Neptune connections,
    # MSK and ElastiCache clusters), or whose endpoint may be there (an OpenSearch domain with
    # VPCOptions, which the model does not read): no route to the internet is needed, or none known
    r"rds-db:.*|neptune-db:.*|kafka-cluster:.*|elasticache:Connect|es:ESHttp.*)$", re.IGNORECASE)
#: IAM service prefixes whose endpoint service name differs
_ENDPOINT_NAME = {"cloudwatch": "monitoring", "ses": "email", "states": "states", "events": "events"}
_GATEWAY = ("s3", "dynamodb")
_ENDPOINT_SERVICE = re.compile(r"\.([a-z0-9-]+)$")

_ISOLATED = VPC.replace("SUBNETS", "[!Ref Isolated]").replace(
    "      Role: arn:aws:iam::123456789012:role/fn\n", "      Role: !GetAtt Role.Arn\n") + """\
  Isolated:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24, AvailabilityZone: eu-west-1c}
  IsolatedRoutes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  IsolatedAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Isolated, RouteTableId: !Ref IsolatedRoutes}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]
      Policies:
        - PolicyName: reports
          PolicyDocument:
            Statement: [{Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::reports/*}]
"""


def _endpoint_service(e: VpcEndpoint) -> str | None:
    if e.service_name is None:
        return None
    text = e.service_name.known()
    if not isinstance(text, str):
        value: Any = e.service_name.value
        text = getattr(value, "expr", None)
    m = _ENDPOINT_SERVICE.search(text) if isinstance(text, str) else None
    return m.group(1) if m else None


def _services(fn: LambdaFunction, app: Application, ctx: Context) -> dict[str, str] | None:
    """The AWS services the function's code calls (service -> why), or None when its role is
    not fully known."""
    role = execution_role(fn, app)
    if role is None:
        return None
    perms = permissions(role, app, ctx.data, ctx.memo)
    if not perms.complete:
        return None
    out: dict[str, str] = {}
    for grant in perms.grants:
        if not grant.statement.is_allow():
            continue
        granted = [str(e.value) for e in entries(grant.statement.action) if isinstance(e.known(), str)]
        prefixes = {a.split(":", 1)[0].lower() for a in granted if ":" in a}
        for action in granted:
            if ":" not in action or _SERVICE_USED.match(action):
                continue
            service = action.split(":", 1)[0].lower()
            if service in ("*", "iam", "sts") or service.startswith("*"):
                continue
            if grant.policy.kind == "aws-managed" and any(service.startswith(p + "-") for p in prefixes):
                continue  # a sub-service a broad managed policy brings along (s3-object-lambda with s3)
            out.setdefault(service, f"its role allows {action}")
    for target, why in ((fn.dead_letter_target, "its dead-letter target"),
                        *((d, "its destination") for d in fn.destinations)):
        target_kind = target_service(target, app) if target is not None else None
        if target_kind:
            out.setdefault(target_kind, why)
    return out


def _same_vpc(endpoint: Located[str] | None, subnet: Located[str] | None) -> bool | None:
    """Whether the endpoint is in the subnet's VPC; None when that is not known."""
    if endpoint is None:
        return False
    if endpoint.ref is not None and subnet is not None and subnet.ref is not None:
        return bool(endpoint.ref == subnet.ref)
    mine, theirs = endpoint.known(), subnet.known() if subnet is not None else None
    if isinstance(mine, str) and isinstance(theirs, str):
        return mine == theirs
    if (endpoint.ref is not None or isinstance(mine, str)) and subnet is not None and (
            subnet.ref is not None or isinstance(theirs, str)):
        return False  # a VPC of the application and a VPC named by its id
    return None


def _reachable(service: str, p: SubnetPath, app: Application) -> bool:
    """The subnet reaches the service: through a NAT, or an endpoint that may serve it (an
    endpoint whose VPC, service, route tables or private DNS are not known counts: never a
    guess)."""
    if p.verdict == "nat":
        return True
    name = _ENDPOINT_NAME.get(service, service)
    tables = app.network.route_tables
    for e in app.network.endpoints.values():
        offered = _endpoint_service(e)
        same = _same_vpc(e.vpc, p.subnet.vpc if p.subnet is not None else None)
        if same is False or (offered is not None and offered != name):
            continue
        if offered is None:
            if e.service_name is None or e.service_name.is_known():
                continue  # no service, or a known one of another kind (a partner service)
            return True
        if same is None:
            return True
        kind = e.endpoint_type.known() if e.endpoint_type is not None else "Gateway"
        if kind == "Gateway" and p.table is not None and any(
                t.ref == p.table.id or (not t.is_known() and t.ref not in tables) for t in e.route_tables):
            return True  # on the subnet's route table, or on a table that is not known
        if kind == "Interface" and e.private_dns is not None and e.private_dns.known() is not False:
            return True  # private DNS on, or not known
        if kind not in ("Gateway", "Interface"):
            return True  # not understood: never a guess
    return False


class ServiceUnreachableFromVpc(FunctionRule):
    """A function calls an AWS service its subnets cannot reach (no NAT route, no VPC endpoint).

    The services come from the function's execution role (when it is fully known), leaving out
    what the Lambda service itself uses (CloudWatch Logs, X-Ray, the network-interface actions
    of `AWSLambdaVPCAccessExecutionRole`, event source polling), file-system client actions
    (EFS and S3 Files are reached through their mount targets in the VPC), connections to data
    planes inside the VPC (`rds-db`, `neptune-db`, `kafka-cluster`, `elasticache:Connect`), and
    OpenSearch HTTP calls (the domain may have `VPCOptions`, which is not read: silent rather
    than a guess); a sub-service an AWS managed policy brings along with its main service
    (`s3-object-lambda` in `AmazonS3ReadOnlyAccess`) is no evidence either. Also from its
    dead-letter target and destinations. A subnet reaches a
    service through a default route to a working NAT gateway, a gateway endpoint (S3,
    DynamoDB) on its route table, or an interface endpoint with private DNS in its VPC. Judged
    only when every subnet's path is known and none reaches the service.

    ## Why is this bad?
    Calls to the service leave through the subnet's route table; with no NAT and no endpoint
    they go nowhere and time out, usually only after the function's whole timeout.

    ## How to fix
    Add a VPC endpoint for the service (a gateway endpoint for S3 and DynamoDB, an interface
    endpoint with private DNS for the others), or route the subnets to a NAT gateway.
    """

    id = "VP002"
    name = "service-unreachable-from-vpc"
    severity = Severity.ERROR
    kind = "soft"
    tags = ("vpc", "networking")
    precision = "high"
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
    )
    bad_example = _ISOLATED
    good_example = _ISOLATED + """\
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
      RouteTableIds: [!Ref IsolatedRoutes]
"""

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        paths = subnet_paths(fn, ctx.app)
        listed = vpc_entries(fn, "SubnetIds", "subnet_ids")
        if not paths or listed is None or any(p.verdict == "unknown" for p in paths):
            return
        if any(p.verdict == "nat" for p in paths):
            return  # the internet is reachable (VP006 judges subnets that differ)
        services = _services(fn, ctx.app, ctx)
        if not services:
            return
        for service, why in sorted(services.items()):
            if any(_reachable(service, p, ctx.app) for p in paths):
                continue
            shown = service_name(service)
            fix = (f"a gateway endpoint for {shown} on the subnets' route tables") if service in _GATEWAY \
                else f"an interface endpoint for {shown} with private DNS"
            where = "; ".join(describe(p) for p in paths)
            yield self.at(listed, f"Function {fn.display_name} calls {shown} ({why}) but its subnets reach "
                                  f"neither the internet nor {with_article(shown + ' endpoint')} ({where}): "
                                  f"calls time out. Add {fix}, or a NAT route.", fn=fn,
                          related=[r for p in paths for r in related(p)])
