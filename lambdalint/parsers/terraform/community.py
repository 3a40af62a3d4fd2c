"""The community module ``terraform-aws-modules/lambda/aws``, understood without its source.

It is by far the most used way to write a Lambda function in Terraform. A call to it becomes
the same :class:`LambdaFunction` a hand-written ``aws_lambda_function`` would, keyed by the
module address (``module.lambda_function``), from the module's documented inputs:
https://registry.terraform.io/modules/terraform-aws-modules/lambda/aws/latest#inputs
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from lambdalint.model import CodeArtifact, FunctionUrl, LambdaFunction, Layer, PolicyDocument, Role, Trigger, replace
from lambdalint.parsers.nodes import Node
from lambdalint.parsers.terraform import resource_type
from lambdalint.values import Located, SourceRef, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.terraform.view import ModuleView

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


def lambda_module_function(parser: ModuleView, address: str, decl: SourceRef, body: Node) -> LambdaFunction | None:
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
    # the module provisions the function's `version`, which is $LATEST unless it publishes
    publish = parser.attr(body, "publish", address)
    on_latest = pcs if publish is None or publish.known() is False else ()
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
        provisioned_on_latest=on_latest,
        code=_code(parser, body, address),
        role=parser.attr(body, "lambda_role", address),
        policies=None,
        recursive_loop=parser.string(body, "recursive_loop", address),
        vpc_config=parser.attr(body, "vpc_subnet_ids", address),
    )


def _code(parser: ModuleView, body: Node, address: str) -> CodeArtifact | None:
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


def is_layer_call(parser: ModuleView, body: Node, address: str) -> bool:
    """``create_layer = true``: the call creates a layer version, not a function."""
    value = parser.attr(body, "create_layer", address)
    return value is not None and value.known() is True


def lambda_module_layer(parser: ModuleView, address: str, decl: SourceRef, body: Node) -> Layer | None:
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


# -- IAM ---------------------------------------------------------------------------------

_SERVICE_ROLE = "arn:aws:iam::aws:policy/service-role/"
#: module flags that attach a copy of an AWS managed policy (the module's iam.tf)
_COPIED_POLICIES = (("attach_network_policy", _SERVICE_ROLE + "AWSLambdaENIManagementAccess", False),
                    ("attach_tracing_policy", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess", False))
_STATEMENT_KEYS = (("effect", "Effect"), ("actions", "Action"), ("not_actions", "NotAction"),
                   ("resources", "Resource"), ("not_resources", "NotResource"))


def _flag(parser: ModuleView, body: Node, name: str, address: str, default: bool) -> Located[bool] | None:
    """A boolean input: its located value, or ``None`` when it is certainly ``default``."""
    loc = parser.attr(body, name, address)
    if loc is None or loc.definitely_absent():
        return Located(True, body.src) if default else None
    return loc


def _on(flag: Located[bool] | None) -> bool | None:
    """True/False when the flag is known, None when it is not."""
    if flag is None:
        return False
    if flag.is_known():
        return flag.value is True
    values = {c.value for c in flag.possible()}
    return None if values != {False} else False


def lambda_module_iam(parser: ModuleView, address: str, decl: SourceRef, body: Node,
                      fn: LambdaFunction) -> tuple[LambdaFunction, Role | None, FunctionUrl | None]:
    """The role the module creates (``create_role``, default true) with what its ``attach_*``
    inputs attach, the function URL it creates, and the function's event sources, dead-letter
    target and destinations."""
    from lambdalint.iam.documents import document, statement

    dlq = parser.string(body, "dead_letter_target_arn", address)
    destinations = tuple(d for k in ("destination_on_success", "destination_on_failure")
                         if (d := parser.string(body, k, address)) is not None)
    triggers = _mappings(parser, body, address)
    fn = replace(fn, dead_letter_target=dlq, destinations=destinations, triggers=fn.triggers + triggers,
                 failure_destination=parser.string(body, "destination_on_failure", address))
    url = None
    create_url = parser.attr(body, "create_lambda_function_url", address)
    if create_url is not None and create_url.known() is True:
        auth = parser.string(body, "authorization_type", address) or Located("NONE", create_url.source)
        url = FunctionUrl(f"{address}.url", create_url.source, Located(Unresolved(address), decl, ref=address), auth,
                          None, implicit=True)
    create_role = _flag(parser, body, "create_role", address, True)
    if _on(create_role) is not True:
        return fn, None, url
    role_id = f"{address}.aws_iam_role.lambda"
    trust = PolicyDocument("trust policy (created by the module)", decl, (statement(Located({
        "Effect": Located("Allow", decl),
        "Action": Located("sts:AssumeRole", decl),
        "Principal": Located({"Service": Located("lambda.amazonaws.com", decl)}, decl),
    }, decl)),), False, "trust", role_id)  # type: ignore[arg-type]
    policies: list[PolicyDocument] = []
    arns: list[Located[str]] = []
    unresolved = False
    logs = _flag(parser, body, "attach_cloudwatch_logs_policy", address, True)
    if _on(logs) is not False:
        where = logs.source if logs is not None else decl
        unresolved = unresolved or _on(logs) is None
        policies.append(PolicyDocument("CloudWatch Logs policy (created by the module)", where, (statement(Located({
            "Effect": Located("Allow", where),
            "Action": Located(tuple(Located(a, where) for a in (
                "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")), where),
            "Resource": Located(Unresolved("log group ARN"), where),
        }, where)),), False, "generated", role_id))  # type: ignore[arg-type]
    for flag_name, arn, default in _COPIED_POLICIES:
        flag = _flag(parser, body, flag_name, address, default)
        state = _on(flag)
        if state is not False and flag is not None:
            unresolved = unresolved or state is None
            arns.append(Located(arn, flag.source))
    for flag_name, actions, targets in (
            ("attach_dead_letter_policy", ("sns:Publish", "sqs:SendMessage"), (dlq,)),
            ("attach_async_event_policy", ("sns:Publish", "sqs:SendMessage", "events:PutEvents",
                                           "lambda:InvokeFunction"), destinations)):
        flag = _flag(parser, body, flag_name, address, False)
        state = _on(flag)
        if state is not False and flag is not None:
            unresolved = unresolved or state is None
            where = flag.source
            resources = tuple(t for t in targets if t is not None) or (Located(Unresolved("target"), where),)
            policies.append(PolicyDocument(f"{flag_name} policy (created by the module)", where, (statement(Located({
                "Effect": Located("Allow", where),
                "Action": Located(tuple(Located(a, where) for a in actions), where),
                "Resource": Located(resources, where),
            }, where)),), False, "generated", role_id))  # type: ignore[arg-type]
    for flag_name, value_name, many in (("attach_policy_json", "policy_json", False),
                                        ("attach_policy_jsons", "policy_jsons", True),
                                        ("attach_policy", "policy", False),
                                        ("attach_policies", "policies", True),
                                        ("attach_policy_statements", "policy_statements", False)):
        flag = _flag(parser, body, flag_name, address, False)
        state = _on(flag)
        if state is False:
            continue
        unresolved = unresolved or state is None
        if value_name == "policy_json":
            from lambdalint.parsers.terraform.iam import policy_value

            value = policy_value(parser, body, value_name, address)
        else:
            value = parser.attr(body, value_name, address)
        if value is None:
            continue
        if value_name in ("policy", "policies"):
            items = value.value if many and isinstance(value.value, tuple) else (value,)
            if many and not isinstance(value.value, tuple):
                unresolved = True
            arns.extend(parser.r.string(i, value_name) for i in items)
        elif value_name == "policy_statements":
            docs = _statements(value, role_id)
            if docs is None:
                unresolved = True
            else:
                policies.append(docs)
        else:
            items = value.value if many and isinstance(value.value, tuple) else (value,)
            if many and not isinstance(value.value, tuple):
                unresolved = True
            for item in items:
                doc = document(item, f"{value_name} (module input)", item.source, "inline", role_id)
                if item.ref is not None and resource_type(item.ref) == "aws_iam_policy_document":
                    from lambdalint.parsers.terraform.iam import TerraformIam

                    found = TerraformIam(parser).data_document(item.ref)
                    doc = PolicyDocument(doc.name, found.source, found.statements, found.unresolved, "inline",
                                         role_id)
                policies.append(doc)
    role = Role(role_id, "aws_iam_role", decl, parser.string(body, "role_name", address), trust,
                tuple(policies), tuple(arns), unresolved, implicit=True)
    if fn.role is None:
        fn = replace(fn, role=Located(Unresolved(f"{role_id}.arn"), decl, ref=role_id))
    return fn, role, url


def _statements(value: Located[Any], role_id: str) -> PolicyDocument | None:
    """``policy_statements``: a map of statement objects in the module's own shape."""
    from lambdalint.iam.documents import document

    if not value.is_known() or not isinstance(value.value, dict):
        return None
    out: list[Located[Any]] = []
    for item in value.value.values():
        if not item.is_known() or not isinstance(item.value, dict):
            return None
        d: dict[str, Located[Any]] = {}
        for key, iam_key in _STATEMENT_KEYS:
            if key in item.value:
                d[iam_key] = item.value[key]
        d.setdefault("Effect", Located("Allow", item.source))
        if "principals" in item.value or "condition" in item.value:
            d["Condition"] = Located(Unresolved("condition"), item.source)
        out.append(Located(d, item.source))
    return document(Located({"Statement": Located(tuple(out), value.source)}, value.source),
                    "policy_statements (module input)", value.source, "inline", role_id)


def _mappings(parser: ModuleView, body: Node, address: str) -> tuple[Trigger, ...]:
    """``event_source_mapping``: a map of mapping objects."""
    from lambdalint.parsers.common import event_source_type

    loc = parser.attr(body, "event_source_mapping", address)
    if loc is None or not isinstance(loc.value, dict):
        return ()
    types = {a: resource_type(a) for a in parser.resources}
    out = []
    for key, item in loc.value.items():
        if not isinstance(item.value, dict):
            continue
        arn = item.value.get("event_source_arn")
        arn_s = parser.r.string(arn, "event_source_arn") if arn is not None else None
        props = dict(item.value)
        failure = props.get("destination_arn_on_failure")
        if failure is not None and "destination_config" not in props:
            # the module writes this input as the mapping's destination_config.on_failure
            props["destination_config"] = Located({"on_failure": Located({"destination": failure}, failure.source)},
                                                  failure.source)
        out.append(Trigger(f"{address}.event_source_mapping.{key}", event_source_type(arn_s, types), item.source,
                           address, props, arn_s))
    return tuple(out)
