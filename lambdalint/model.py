"""The typed model every rule reads: one :class:`Application` per deployable unit.

Parsers (``lambdalint.parsers``) build it; rules only read it. Every dialect difference
(SAM Globals, intrinsics, implicit SAM resources, Terraform variables) is absorbed before a
rule sees the model, so each rule is written once.

Resources are keyed by a ``ResourceId``: a CloudFormation logical id or a Terraform address.
Later areas (IAM, recursion, VPC, aliases) add their resource kinds here.

Records are frozen ``msgspec.Struct`` classes: they read like dataclasses, but defining one
costs microseconds instead of the half millisecond a frozen dataclass spends generating its
methods (38 of them were a fifth of a small run's start-up), and creating one is several
times faster. Copy one with a change through :func:`replace`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from msgspec import Struct, field
from msgspec.structs import replace as _replace_struct

from lambdalint.values import Located, SourceRef

ResourceId = str
Dialect = Literal["sam", "cloudformation", "terraform"]
_R = TypeVar("_R")


def replace(record: _R, **changes: Any) -> _R:
    """A copy of a model record, or of a located value, with some fields changed."""
    if isinstance(record, Struct):
        return _replace_struct(record, **changes)
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]


class Problem(Struct, frozen=True):
    """Something that kept (part of) the input from being read: reported as LL000."""

    message: str
    source: SourceRef


class Suppression(Struct, frozen=True):
    """One ``ignore`` entry, from a comment, template ``Metadata`` or config."""

    rule: str
    reason: str | None
    source: SourceRef
    #: ``line``: a comment that covers its own line (and, on a resource's first line, the
    #: resource); ``resource``: a resource's Metadata; ``file``: template Metadata or config;
    #: ``baseline``: an entry of a baseline file (``source`` is the entry), which matches one
    #: finding of ``path`` by its fingerprint
    scope: Literal["line", "resource", "file", "baseline"]
    resource: ResourceId | None = None
    #: a baseline entry: the file it is about (as reported) and the finding's fingerprint
    path: str | None = None
    fingerprint: str | None = None


class EnvVar(Struct, frozen=True):
    key: Located[str]
    value: Located[str]


class Environment(Struct, frozen=True):
    """A function's environment variables, after SAM Globals merging."""

    source: SourceRef
    variables: tuple[EnvVar, ...] = ()
    #: the variables map itself is not known (``Fn::If`` around it, a Terraform expression)
    unresolved: bool = False


CodeKind = Literal["local", "s3", "inline", "image", "unknown"]


class CodeArtifact(Struct, frozen=True):
    """Where a function's or layer's code comes from."""

    kind: CodeKind
    source: SourceRef
    #: for ``local``: the path as written, and the absolute path it names
    location: Located[str] | None = None
    local_path: str | None = None
    #: True when the artifact is uploaded directly with the API call (Terraform ``filename``),
    #: where the 50 MB zipped limit applies; SAM and CloudFormation upload to S3 first
    direct_upload: bool = False


class Trigger(Struct, frozen=True):
    """Something that invokes a function: a SAM event, an event source mapping, ...

    ``type`` uses SAM's event type names for every dialect (``SQS``, ``Kinesis``,
    ``DynamoDB``, ``MSK``, ``S3``, ...)."""

    id: ResourceId
    type: str
    source: SourceRef
    function: ResourceId
    properties: Mapping[str, Located[Any]] = field(default_factory=dict)
    #: the ARN of the queue, stream or cluster an event source mapping polls
    source_arn: Located[str] | None = None
    #: where an event source mapping names the function (None for a SAM event)
    target: Located[str] | None = None
    #: the alias or version invoked: None for the unqualified function, an unknown value when
    #: the input does not tell (SAM events invoke the ``AutoPublishAlias`` alias when there is one)
    qualifier: Located[str] | None = None


class Permission(Struct, frozen=True):
    """One statement of a function's resource-based policy (``AWS::Lambda::Permission``, or the
    permission SAM creates for a push event)."""

    id: ResourceId
    source: SourceRef
    function: Located[str]
    action: Located[str]
    principal: Located[str]
    source_arn: Located[str] | None = None
    source_account: Located[str] | None = None
    principal_org_id: Located[str] | None = None
    function_url_auth_type: Located[str] | None = None
    event_source_token: Located[str] | None = None
    #: ``InvokedViaFunctionUrl``: the permission only lets calls through the function URL
    invoked_via_function_url: Located[Any] | None = None
    #: the alias or version the permission is for: None for the unqualified function, an
    #: unknown value when the input does not tell (``function.ref`` is the function's id even
    #: when ``FunctionName`` names an alias)
    qualifier: Located[str] | None = None
    #: created by a parser for an implicit resource (SAM event), not written by the user
    implicit: bool = False


class Layer(Struct, frozen=True):
    """A layer version defined in the application."""

    id: ResourceId
    source: SourceRef
    name: Located[str] | None = None
    compatible_runtimes: Located[tuple[Located[str], ...]] | None = None
    compatible_architectures: Located[tuple[Located[str], ...]] | None = None
    content: CodeArtifact | None = None


class Statement(Struct, frozen=True):
    """One statement of an IAM policy document. Each element is the located list of its
    entries (a single string is a one-entry list located at the string)."""

    source: SourceRef
    effect: Located[str] | None = None
    action: Located[tuple[Located[str], ...]] | None = None
    not_action: Located[tuple[Located[str], ...]] | None = None
    resource: Located[tuple[Located[str], ...]] | None = None
    not_resource: Located[tuple[Located[str], ...]] | None = None
    #: ``Principal`` as written: ``"*"`` or a mapping of principal type to entries
    principal: Located[Any] | None = None
    not_principal: Located[Any] | None = None
    condition: Located[Any] | None = None

    def is_allow(self) -> bool:
        """The statement certainly allows (``Effect: Allow``, the only default-free case)."""
        return self.effect is not None and self.effect.known() == "Allow"

    def is_deny(self) -> bool:
        return self.effect is not None and self.effect.known() == "Deny"


PolicyKind = Literal["inline", "customer", "sam-template", "generated", "aws-managed", "trust"]


class PolicyDocument(Struct, frozen=True):
    """An IAM policy document, resolved as far as the input allows."""

    #: what a user calls it: "inline policy Logs", "policy template S3CrudPolicy", "AdministratorAccess"
    name: str
    #: where the document (or, for a managed policy, the reference to it) is written
    source: SourceRef
    statements: tuple[Statement, ...] = ()
    #: some statements (or the whole document) are not known: an intrinsic around them, a
    #: computed Terraform value, a managed policy lambdalint has no copy of
    unresolved: bool = False
    kind: PolicyKind = "inline"
    #: the policy resource that holds it (customer managed policy, ``AWS::IAM::Policy``)
    resource: ResourceId | None = None


class Role(Struct, frozen=True):
    """An IAM role defined in the application (or generated for a function by SAM or the
    Terraform lambda module), with every policy attached to it in the application."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    name: Located[str] | None = None
    trust_policy: PolicyDocument | None = None
    #: inline policies and policy resources attached to the role (``AWS::IAM::Policy``,
    #: ``aws_iam_role_policy``, SAM ``Policies`` statements and templates)
    policies: tuple[PolicyDocument, ...] = ()
    #: managed policies attached by ARN; a reference to a managed policy of the application
    #: carries its id in ``ref``
    managed_policy_arns: tuple[Located[str], ...] = ()
    #: the set of attached policies itself is not fully known (a policy list that is an
    #: intrinsic, a Terraform ``for_each`` attachment over unknown values, SAM connectors)
    unresolved: bool = False
    #: generated by a parser, not written by the user (SAM's function role)
    implicit: bool = False


class FunctionUrl(Struct, frozen=True):
    """A function URL (``AWS::Lambda::Url``, SAM ``FunctionUrlConfig``, ``aws_lambda_function_url``)."""

    id: ResourceId
    source: SourceRef
    function: Located[str]
    auth_type: Located[str] | None = None
    qualifier: Located[str] | None = None
    implicit: bool = False


# -- versions and aliases ------------------------------------------------------------------

class Alias(Struct, frozen=True):
    """A function alias (``AWS::Lambda::Alias``, the alias SAM creates for ``AutoPublishAlias``,
    ``aws_lambda_alias``)."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    #: the function it belongs to (``ref`` is the function's id)
    function: Located[str]
    name: Located[str] | None = None
    #: the version it points to ("$LATEST", a number, or a reference to a version)
    function_version: Located[str] | None = None
    #: weighted routing: (additional version, weight) pairs
    routing: tuple[tuple[Located[str], Located[float]], ...] = ()
    #: the routing configuration is there but not readable
    routing_unresolved: bool = False
    provisioned_concurrency: Located[int] | None = None
    #: created by SAM (``AutoPublishAlias``), not written by the user
    implicit: bool = False


class Version(Struct, frozen=True):
    """A published version (``AWS::Lambda::Version``; SAM ``AutoPublishAlias`` and Terraform
    ``publish = true`` publish one too, shown as ``implicit``)."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    function: Located[str]
    provisioned_concurrency: Located[int] | None = None
    implicit: bool = False
    #: a version the function may publish: a variable the files do not fix decides
    maybe: bool = False


# -- who invokes a function -----------------------------------------------------------------

class Invocation(Struct, frozen=True):
    """Something in the application set up to invoke one of its functions: an event source
    mapping or SAM event, a bucket notification, an SNS subscription, an EventBridge target, an
    API Gateway integration, a function URL or a permission (written ones; the ones SAM creates
    for an event are the event's)."""

    #: what a user calls it, followed by ``name`` in messages: "event source mapping",
    #: "S3 notification of bucket", "permission", ...
    kind: str
    #: the resource (or SAM event) that sets it up
    name: ResourceId
    #: where the function is named (the event itself for SAM events)
    source: SourceRef
    function: ResourceId
    #: the alias or version invoked: None for the unqualified function; an unknown value when
    #: the input does not tell
    qualifier: Located[str] | None = None
    #: a SAM event (SAM decides what it invokes)
    implicit: bool = False


class ApiIntegration(Struct, frozen=True):
    """A Lambda integration of an API Gateway API: REST (``AWS::ApiGateway::Method``, SAM
    ``Api`` events, ``aws_api_gateway_integration``), HTTP or WebSocket
    (``AWS::ApiGatewayV2::Integration``, SAM ``HttpApi`` events, ``aws_apigatewayv2_integration``)."""

    id: ResourceId
    source: SourceRef
    #: ``REST``, ``HTTP`` or ``WEBSOCKET``; None for an API Gateway v2 API whose protocol is not known
    api_type: str | None
    #: the function invoked (its id)
    function: ResourceId
    #: the integration URI (or SAM event) naming the function
    target: Located[str]
    #: ``TimeoutInMillis`` / ``timeout_milliseconds``; None when not set (the API type's default)
    timeout_ms: Located[int] | None = None
    #: the alias or version invoked (as :attr:`Invocation.qualifier`)
    qualifier: Located[str] | None = None
    #: created by SAM for an ``Api``/``HttpApi`` event
    implicit: bool = False
    #: the ``X-Amz-Invocation-Type`` request parameter as written (``'Event'``: the function
    #: is invoked asynchronously and the API answers at once); unknown when the request
    #: parameters are not known; None when not set (a synchronous invocation)
    invocation_type: Located[str] | None = None
    #: the response is streamed (``ResponseTransferMode: STREAM``, or a mode not known), which
    #: has its own, longer timeout
    streaming: bool = False


# -- event sources and destinations (for the recursion and event rules) ---------------------

class BucketNotification(Struct, frozen=True):
    """One notification of a bucket: which events of which keys go to which target."""

    source: SourceRef
    #: "lambda", "sqs", "sns" or "eventbridge" (all events to the default bus)
    target_type: str
    #: the target's ARN (a reference keeps the target's id in ``ref``); None for eventbridge
    target: Located[str] | None
    events: tuple[Located[str], ...] = ()
    prefix: Located[str] | None = None
    suffix: Located[str] | None = None
    #: written by SAM for a function's ``S3`` event
    implicit: bool = False


class Bucket(Struct, frozen=True):
    """``AWS::S3::Bucket`` / ``aws_s3_bucket`` with its notifications (from the bucket's
    ``NotificationConfiguration``, ``aws_s3_bucket_notification`` or SAM S3 events)."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    name: Located[str] | None = None
    notifications: tuple[BucketNotification, ...] = ()
    #: the notification configuration exists but is not known (an intrinsic, a dynamic block)
    notifications_unresolved: bool = False


class Queue(Struct, frozen=True):
    """``AWS::SQS::Queue`` / ``aws_sqs_queue``."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    name: Located[str] | None = None
    fifo: Located[bool] | None = None
    visibility_timeout: Located[int] | None = None
    #: the dead-letter queue of its redrive policy
    redrive_target: Located[str] | None = None
    max_receive_count: Located[int] | None = None


class Topic(Struct, frozen=True):
    """``AWS::SNS::Topic`` / ``aws_sns_topic``."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    name: Located[str] | None = None
    fifo: Located[bool] | None = None


class Subscription(Struct, frozen=True):
    """An SNS subscription (``AWS::SNS::Subscription``, a topic's inline ``Subscription``,
    ``aws_sns_topic_subscription``, SAM SNS events)."""

    id: ResourceId
    source: SourceRef
    topic: Located[str]
    protocol: Located[str]
    endpoint: Located[str]
    filter_policy: Located[Any] | None = None
    #: "MessageAttributes" (default) or "MessageBody"
    filter_policy_scope: Located[str] | None = None
    implicit: bool = False


class Table(Struct, frozen=True):
    """``AWS::DynamoDB::Table`` / ``aws_dynamodb_table`` (and global tables)."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    name: Located[str] | None = None
    #: ``StreamSpecification.StreamViewType`` / ``stream_view_type`` when a stream is enabled
    stream_view_type: Located[str] | None = None
    #: ``stream_enabled`` (Terraform) or the presence of ``StreamSpecification``
    stream_enabled: Located[bool] | None = None


class KinesisStream(Struct, frozen=True):
    """``AWS::Kinesis::Stream`` / ``aws_kinesis_stream``."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    name: Located[str] | None = None


class EventTarget(Struct, frozen=True):
    source: SourceRef
    #: the target's ARN (a reference keeps the target's id in ``ref``)
    arn: Located[str]
    id: Located[str] | None = None
    dead_letter_target: Located[str] | None = None


class EventRule(Struct, frozen=True):
    """An EventBridge rule (``AWS::Events::Rule``, ``aws_cloudwatch_event_rule`` with its
    ``aws_cloudwatch_event_target``s, SAM ``EventBridgeRule``/``CloudWatchEvent``/``Schedule``
    events) or an EventBridge Scheduler schedule (``AWS::Scheduler::Schedule``, SAM
    ``ScheduleV2``)."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    #: the bus it listens on (None: the default bus)
    bus: Located[str] | None = None
    pattern: Located[Any] | None = None
    schedule: Located[str] | None = None
    targets: tuple[EventTarget, ...] = ()
    state: Located[str] | None = None
    implicit: bool = False

    @property
    def label(self) -> str:
        """How a message names it: an EventBridge Scheduler schedule is no rule."""
        kind = "EventBridge Scheduler schedule" if self.resource_type in (
            "AWS::Scheduler::Schedule", "aws_scheduler_schedule") else "EventBridge rule"
        return f"{kind} {self.id}"


class StateMachine(Struct, frozen=True):
    """A Step Functions state machine (``AWS::StepFunctions::StateMachine``, SAM
    ``AWS::Serverless::StateMachine``, ``aws_sfn_state_machine``) and the functions its
    definition invokes."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    name: Located[str] | None = None
    #: the functions its tasks invoke (a reference keeps the function's id in ``ref``)
    invokes: tuple[Located[str], ...] = ()
    #: the definition is not readable (a file, an unknown value), or a task picks its function
    #: at run time (``FunctionName.$``)
    definition_unresolved: bool = False


class EventBus(Struct, frozen=True):
    id: ResourceId
    resource_type: str
    source: SourceRef
    name: Located[str] | None = None


# -- VPC networking (for the VPC rules) ----------------------------------------------------

class Route(Struct, frozen=True):
    source: SourceRef
    #: the destination: an IPv4 or IPv6 CIDR, or a prefix list id
    destination: Located[str]
    #: "internet-gateway", "nat-gateway", "instance", "transit-gateway", "vpc-peering",
    #: "egress-only-internet-gateway", "network-interface", "vpc-endpoint", "local",
    #: "carrier-gateway", "local-gateway", "core-network", "virtual-private-gateway" or "unknown"
    target_type: str
    target: Located[str] | None = None


class RouteTable(Struct, frozen=True):
    """A route table with its routes (inline, ``AWS::EC2::Route``, ``aws_route``); the VPC's
    main route table when ``main`` (``aws_default_route_table``, main association)."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    vpc: Located[str] | None = None
    routes: tuple[Route, ...] = ()
    #: routes exist that are not known (a dynamic block, a route with an unknown destination)
    routes_unresolved: bool = False
    main: bool = False


class Subnet(Struct, frozen=True):
    id: ResourceId
    resource_type: str
    source: SourceRef
    vpc: Located[str] | None = None
    availability_zone: Located[str] | None = None
    #: ``AvailabilityZoneId`` / ``availability_zone_id``
    availability_zone_id: Located[str] | None = None
    cidr: Located[str] | None = None
    map_public_ip: Located[bool] | None = None
    #: the route table explicitly associated with it (``AWS::EC2::SubnetRouteTableAssociation``,
    #: ``aws_route_table_association``)
    route_table: Located[str] | None = None


class NatGateway(Struct, frozen=True):
    id: ResourceId
    resource_type: str
    source: SourceRef
    subnet: Located[str] | None = None
    #: "public" (default) or "private"
    connectivity: Located[str] | None = None


class InternetGateway(Struct, frozen=True):
    """An internet gateway (or an egress-only one, ``egress_only``) and the VPC it is attached to."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    vpc: Located[str] | None = None
    egress_only: bool = False


class VpcEndpoint(Struct, frozen=True):
    id: ResourceId
    resource_type: str
    source: SourceRef
    vpc: Located[str] | None = None
    service_name: Located[str] | None = None
    #: "Gateway", "Interface", "GatewayLoadBalancer" (default Gateway)
    endpoint_type: Located[str] | None = None
    #: the route tables and subnets it serves; an unknown entry stands for a list that is not
    #: known (a parameter, an ``Fn::If``)
    route_tables: tuple[Located[str], ...] = ()
    subnets: tuple[Located[str], ...] = ()
    private_dns: Located[bool] | None = None


class SecurityGroupRule(Struct, frozen=True):
    source: SourceRef
    protocol: Located[str] | None = None
    from_port: Located[int] | None = None
    to_port: Located[int] | None = None
    #: one of: an IPv4 CIDR, an IPv6 CIDR, a prefix list id, a security group
    cidr: Located[str] | None = None
    ipv6_cidr: Located[str] | None = None
    prefix_list: Located[str] | None = None
    security_group: Located[str] | None = None


class SecurityGroup(Struct, frozen=True):
    """A security group with its egress rules: inline ones and separate rule resources. In
    CloudFormation a group that declares no egress rule allows all outbound traffic; in
    Terraform ``aws_security_group`` removes that default, so a group with no egress rule
    allows none. ``egress`` holds the effective rules (the default written out as a rule
    located at the group)."""

    id: ResourceId
    resource_type: str
    source: SourceRef
    vpc: Located[str] | None = None
    egress: tuple[SecurityGroupRule, ...] = ()
    #: egress rules exist that are not known (a dynamic block, an intrinsic list)
    egress_unresolved: bool = False


class Network(Struct, frozen=True):
    """Every VPC resource of the application, by id."""

    vpcs: Mapping[ResourceId, SourceRef] = field(default_factory=dict)
    subnets: Mapping[ResourceId, Subnet] = field(default_factory=dict)
    route_tables: Mapping[ResourceId, RouteTable] = field(default_factory=dict)
    nat_gateways: Mapping[ResourceId, NatGateway] = field(default_factory=dict)
    internet_gateways: Mapping[ResourceId, InternetGateway] = field(default_factory=dict)
    endpoints: Mapping[ResourceId, VpcEndpoint] = field(default_factory=dict)
    security_groups: Mapping[ResourceId, SecurityGroup] = field(default_factory=dict)


class LambdaFunction(Struct, frozen=True):
    id: ResourceId
    #: ``AWS::Serverless::Function``, ``AWS::Lambda::Function`` or ``aws_lambda_function``
    resource_type: str
    #: where the resource is declared (its logical id or Terraform block label)
    source: SourceRef
    name: Located[str] | None = None
    runtime: Located[str] | None = None
    handler: Located[str] | None = None
    package_type: Located[str] | None = None
    memory_size: Located[int] | None = None
    timeout: Located[int] | None = None
    ephemeral_storage: Located[int] | None = None
    architectures: Located[tuple[Located[str], ...]] | None = None
    layers: Located[tuple[Located[str], ...]] | None = None
    environment: Environment | None = None
    reserved_concurrency: Located[int] | None = None
    #: SnapStart ``ApplyOn`` (``PublishedVersions`` or ``None``)
    snap_start: Located[str] | None = None
    #: ``FileSystemConfigs`` (EFS) is set
    file_systems: Located[bool] | None = None
    #: Lambda Managed Instances (``CapacityProviderConfig``) is set
    capacity_provider: Located[bool] | None = None
    #: provisioned concurrency configured anywhere for this function (SAM
    #: ``ProvisionedConcurrencyConfig``, aliases, versions, Terraform configs)
    provisioned_concurrency: tuple[Located[int], ...] = ()
    #: provisioned concurrency set where Lambda refuses it: on ``$LATEST`` (an alias pointing
    #: there, a Terraform config with ``qualifier = "$LATEST"``) or, in SAM, without
    #: ``AutoPublishAlias``
    provisioned_on_latest: tuple[Located[int], ...] = ()
    #: SAM ``DeploymentPreference`` (gradual deployments through CodeDeploy)
    deployment_preference: Located[Any] | None = None
    code: CodeArtifact | None = None
    role: Located[str] | None = None
    #: SAM ``Policies`` exactly as written (plain data, intrinsics kept), for the IAM layer
    policies: Located[Any] | None = None
    auto_publish_alias: Located[str] | None = None
    recursive_loop: Located[str] | None = None
    triggers: tuple[Trigger, ...] = ()
    #: raw ``VpcConfig``, for the VPC layer
    vpc_config: Located[Any] | None = None
    #: the dead-letter queue or topic (``DeadLetterConfig.TargetArn``)
    dead_letter_target: Located[str] | None = None
    #: asynchronous invocation destinations (on success, on failure)
    destinations: tuple[Located[str], ...] = ()
    #: the on-failure destination of asynchronous invocations (its ARN, or where SAM is told
    #: to create one)
    failure_destination: Located[str] | None = None
    #: the qualifiers (``$LATEST``, an alias or version name) whose event invoke configs give
    #: the on-failure destination: a source that invokes another qualifier is not covered;
    #: empty when it covers every source (SAM's own EventInvokeConfig) or is not known
    failure_qualifiers: tuple[Located[str], ...] = ()
    #: asynchronous invocation settings (``EventInvokeConfig``)
    max_retry_attempts: Located[int] | None = None
    max_event_age: Located[int] | None = None

    def named_by(self, ref: str | None) -> bool:
        """``ref`` names this function, or the Terraform ``for_each``/``count`` block it is an
        instance of (``f`` for ``f["a"]``)."""
        return ref is not None and ref in (self.id, self.id.split("[", 1)[0])

    @property
    def display_name(self) -> str:
        name = self.name.known() if self.name else None
        return f"{self.id} ({name})" if name and name != self.id else self.id


class Application(Struct, frozen=True):
    """One deployable unit: a CloudFormation/SAM template, or a Terraform root module."""

    path: str
    dialect: Dialect
    functions: Mapping[ResourceId, LambdaFunction] = field(default_factory=dict)
    layers: Mapping[ResourceId, Layer] = field(default_factory=dict)
    permissions: tuple[Permission, ...] = ()
    roles: Mapping[ResourceId, Role] = field(default_factory=dict)
    #: customer managed policies, by id, for references to them
    managed_policies: Mapping[ResourceId, PolicyDocument] = field(default_factory=dict)
    function_urls: tuple[FunctionUrl, ...] = ()
    aliases: Mapping[ResourceId, Alias] = field(default_factory=dict)
    versions: Mapping[ResourceId, Version] = field(default_factory=dict)
    buckets: Mapping[ResourceId, Bucket] = field(default_factory=dict)
    queues: Mapping[ResourceId, Queue] = field(default_factory=dict)
    topics: Mapping[ResourceId, Topic] = field(default_factory=dict)
    subscriptions: tuple[Subscription, ...] = ()
    tables: Mapping[ResourceId, Table] = field(default_factory=dict)
    streams: Mapping[ResourceId, KinesisStream] = field(default_factory=dict)
    event_rules: Mapping[ResourceId, EventRule] = field(default_factory=dict)
    event_buses: Mapping[ResourceId, EventBus] = field(default_factory=dict)
    state_machines: Mapping[ResourceId, StateMachine] = field(default_factory=dict)
    api_integrations: tuple[ApiIntegration, ...] = ()
    #: every way the application invokes its functions, with the qualifier each targets
    invocations: tuple[Invocation, ...] = ()
    network: Network = field(default_factory=Network)
    #: every resource's type and declaration, for rules that only need to know it exists
    resources: Mapping[ResourceId, tuple[str, SourceRef]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    #: what the reader could not look at and the user should know (a module that is not
    #: downloaded): printed as warnings, never findings, never the exit status
    notes: tuple[str, ...] = ()
    #: Terraform: the address of every module call read (``module.a``, ``module.a.module.b``)
    #: and where it is written, so that a finding inside a module names its caller
    module_calls: Mapping[str, SourceRef] = field(default_factory=dict)

    def unaliased(self, ref: str | None) -> str | None:
        """The function an alias or version reference stands for; any other reference as is."""
        qualified = (self.aliases.get(ref) or self.versions.get(ref)) if ref is not None else None
        return qualified.function.ref if qualified is not None else ref

    def permissions_of(self, function_id: ResourceId) -> list[Permission]:
        # an instance of a Terraform for_each/count block (`f["a"]`) has the block's permissions
        base = function_id.split("[", 1)[0]
        return [p for p in self.permissions if p.function.ref in (function_id, base)]
