"""The typed model every rule reads: one :class:`Application` per deployable unit.

Parsers (``lambdalint.parsers``) build it; rules only read it. Every dialect difference
(SAM Globals, intrinsics, implicit SAM resources, Terraform variables) is absorbed before a
rule sees the model, so each rule is written once.

Resources are keyed by a ``ResourceId``: a CloudFormation logical id or a Terraform address.
Later areas (IAM, recursion, VPC, aliases) add their resource kinds here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from lambdalint.values import Located, SourceRef

ResourceId = str
Dialect = Literal["sam", "cloudformation", "terraform"]


@dataclass(frozen=True)
class Problem:
    """Something that kept (part of) the input from being read: reported as LL000."""

    message: str
    source: SourceRef


@dataclass(frozen=True)
class Suppression:
    """One ``ignore`` entry, from a comment, template ``Metadata`` or config."""

    rule: str
    reason: str | None
    source: SourceRef
    #: ``line``: a comment that covers its own line (and, on a resource's first line, the
    #: resource); ``resource``: a resource's Metadata; ``file``: template Metadata or config
    scope: Literal["line", "resource", "file"]
    resource: ResourceId | None = None


@dataclass(frozen=True)
class EnvVar:
    key: Located[str]
    value: Located[str]


@dataclass(frozen=True)
class Environment:
    """A function's environment variables, after SAM Globals merging."""

    source: SourceRef
    variables: tuple[EnvVar, ...] = ()
    #: the variables map itself is not known (``Fn::If`` around it, a Terraform expression)
    unresolved: bool = False


CodeKind = Literal["local", "s3", "inline", "image", "unknown"]


@dataclass(frozen=True)
class CodeArtifact:
    """Where a function's or layer's code comes from."""

    kind: CodeKind
    source: SourceRef
    #: for ``local``: the path as written, and the absolute path it names
    location: Located[str] | None = None
    local_path: str | None = None
    #: True when the artifact is uploaded directly with the API call (Terraform ``filename``),
    #: where the 50 MB zipped limit applies; SAM and CloudFormation upload to S3 first
    direct_upload: bool = False


@dataclass(frozen=True)
class Trigger:
    """Something that invokes a function: a SAM event, an event source mapping, ..."""

    id: ResourceId
    type: str
    source: SourceRef
    function: ResourceId
    properties: Mapping[str, Located[Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Permission:
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
    #: created by a parser for an implicit resource (SAM event), not written by the user
    implicit: bool = False


@dataclass(frozen=True)
class Layer:
    """A layer version defined in the application."""

    id: ResourceId
    source: SourceRef
    name: Located[str] | None = None
    compatible_runtimes: Located[tuple[Located[str], ...]] | None = None
    compatible_architectures: Located[tuple[Located[str], ...]] | None = None
    content: CodeArtifact | None = None


@dataclass(frozen=True)
class LambdaFunction:
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
    code: CodeArtifact | None = None
    role: Located[str] | None = None
    #: SAM ``Policies`` exactly as written (plain data, intrinsics kept), for the IAM layer
    policies: Located[Any] | None = None
    auto_publish_alias: Located[str] | None = None
    recursive_loop: Located[str] | None = None
    triggers: tuple[Trigger, ...] = ()
    #: raw ``VpcConfig``, for the VPC layer
    vpc_config: Located[Any] | None = None

    @property
    def display_name(self) -> str:
        name = self.name.known() if self.name else None
        return f"{self.id} ({name})" if name and name != self.id else self.id


@dataclass(frozen=True)
class Application:
    """One deployable unit: a CloudFormation/SAM template, or a Terraform root module."""

    path: str
    dialect: Dialect
    functions: Mapping[ResourceId, LambdaFunction] = field(default_factory=dict)
    layers: Mapping[ResourceId, Layer] = field(default_factory=dict)
    permissions: tuple[Permission, ...] = ()
    #: every resource's type and declaration, for rules that only need to know it exists
    resources: Mapping[ResourceId, tuple[str, SourceRef]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    suppressions: tuple[Suppression, ...] = ()

    def permissions_of(self, function_id: ResourceId) -> list[Permission]:
        return [p for p in self.permissions if p.function.ref == function_id]
