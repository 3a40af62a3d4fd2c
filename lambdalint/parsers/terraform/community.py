"""The community module ``terraform-aws-modules/lambda/aws``, understood without its source.

It is by far the most used way to write a Lambda function in Terraform. A call to it becomes
the same :class:`LambdaFunction` a hand-written ``aws_lambda_function`` would, keyed by the
module address (``module.lambda_function``), from the module's documented inputs:
https://registry.terraform.io/modules/terraform-aws-modules/lambda/aws/latest#inputs
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from lambdalint.model import CodeArtifact, LambdaFunction, Layer
from lambdalint.parsers.nodes import Node
from lambdalint.values import Located, SourceRef, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.terraform.module import ModuleParser

_REGISTRY = re.compile(r"^(registry\.terraform\.io/)?terraform-aws-modules/lambda/aws(//.*)?$")
_GIT = re.compile(r"terraform-aws-modules/terraform-aws-lambda(\.git)?(//[^?]*)?(\?.*)?$")
#: variables that together identify a local copy of the module
_SIGNATURE = ("create_package", "source_path", "attach_policy_statements", "local_existing_package")


def is_lambda_module(source: str, base_dir: str) -> bool:
    if _REGISTRY.match(source) or _GIT.search(source):
        # the root module creates the function; submodules (//modules/deploy, ...) do not
        return "//modules/" not in source
    if source.startswith(("./", "../")):
        directory = os.path.normpath(os.path.join(base_dir, source))
        try:
            with open(os.path.join(directory, "variables.tf"), encoding="utf-8") as fh:
                text = fh.read()
        except OSError:
            return False
        return all(f'variable "{name}"' in text for name in _SIGNATURE)
    return False


def lambda_module_function(parser: ModuleParser, address: str, decl: SourceRef, body: Node) -> LambdaFunction | None:
    """The function a call to the module creates, or ``None`` when it creates none."""
    for flag in ("create", "create_function"):
        value = parser.attr(body, flag, address)
        if value is not None and value.known() is False:
            return None
    if is_layer_call(parser, body, address):
        return None
    reserved = parser.integer(body, "reserved_concurrent_executions", address)
    if reserved is not None and reserved.known() == -1:
        reserved = None
    provisioned = parser.integer(body, "provisioned_concurrent_executions", address)
    pcs = (provisioned,) if provisioned is not None and provisioned.known() != -1 else ()
    snap = parser.attr(body, "snap_start", address)
    snap_start: Located[str] | None = None
    if snap is not None:
        snap_start = Located("PublishedVersions" if snap.known() is True else "None", snap.source) \
            if snap.is_known() else Located(Unresolved("snap_start"), snap.source)
    efs = parser.attr(body, "file_system_arn", address)
    return LambdaFunction(
        id=address,
        resource_type="module:terraform-aws-modules/lambda/aws",
        source=decl,
        name=parser.string(body, "function_name", address),
        runtime=parser.string(body, "runtime", address),
        handler=parser.string(body, "handler", address),
        package_type=parser.string(body, "package_type", address),
        memory_size=parser.integer(body, "memory_size", address),
        timeout=parser.integer(body, "timeout", address),
        ephemeral_storage=parser.integer(body, "ephemeral_storage_size", address),
        architectures=parser.strings(body, "architectures", address),
        layers=parser.strings(body, "layers", address),
        environment=parser.variables(body, "environment_variables", f"/{address}/environment_variables"),
        reserved_concurrency=reserved,
        snap_start=snap_start,
        file_systems=Located(True, efs.source) if efs is not None and not efs.may_be_absent() else None,
        provisioned_concurrency=pcs,
        code=_code(parser, body, address),
        role=parser.attr(body, "lambda_role", address),
        policies=None,
        recursive_loop=parser.string(body, "recursive_loop", address),
        vpc_config=parser.attr(body, "vpc_subnet_ids", address),
    )


def _code(parser: ModuleParser, body: Node, address: str) -> CodeArtifact | None:
    image = parser.string(body, "image_uri", address)
    if image is not None:
        return CodeArtifact("image", image.source, image)
    existing = parser.string(body, "local_existing_package", address)
    if existing is not None:
        on_s3 = parser.attr(body, "store_on_s3", address)
        direct = on_s3 is None or on_s3.known() is False
        return parser.local(existing, existing.source, direct)
    s3 = parser.attr(body, "s3_existing_package", address)
    if s3 is not None:
        return CodeArtifact("s3", s3.source)
    return None


def is_layer_call(parser: ModuleParser, body: Node, address: str) -> bool:
    """``create_layer = true``: the call creates a layer version, not a function."""
    value = parser.attr(body, "create_layer", address)
    return value is not None and value.known() is True


def lambda_module_layer(parser: ModuleParser, address: str, decl: SourceRef, body: Node) -> Layer | None:
    if not is_layer_call(parser, body, address):
        return None
    existing = parser.string(body, "local_existing_package", address)
    return Layer(
        id=address,
        source=decl,
        name=parser.string(body, "layer_name", address),
        compatible_runtimes=parser.strings(body, "compatible_runtimes", address),
        compatible_architectures=parser.strings(body, "compatible_architectures", address),
        content=parser.local(existing, existing.source, False) if existing is not None else None,
    )
