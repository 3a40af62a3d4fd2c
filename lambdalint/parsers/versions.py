"""Versions and aliases, in CloudFormation/SAM and Terraform.

Explicit resources (``AWS::Lambda::Version``/``Alias``, ``aws_lambda_alias``) and the ones a
tool creates: SAM ``AutoPublishAlias`` publishes a version and an alias named after it (logical
id ``<Function>Alias<Name>``), Terraform ``publish = true`` publishes a version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lambdalint.model import Alias, LambdaFunction, Version, replace
from lambdalint.parsers.intrinsics import _esc
from lambdalint.values import Located, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.cfn_view import TemplateView
    from lambdalint.parsers.terraform.view import ModuleView


def sam_alias_id(fn_id: str, name: str) -> str:
    """The logical id SAM gives the alias of ``AutoPublishAlias`` (``-`` -> ``D``, ``_`` -> ``U``)."""
    return f"{fn_id}Alias{name.replace('-', 'D').replace('_', 'U')}"


Routing = tuple[tuple[Located[str], Located[float]], ...]


def versions_of(p: TemplateView,
                functions: Mapping[str, LambdaFunction]) -> tuple[dict[str, Alias], dict[str, Version]]:
    aliases: dict[str, Alias] = {}
    versions: dict[str, Version] = {}
    for rid, node in p.resources.items():
        rtype = p.resource_types.get(rid, "")
        if rtype not in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            continue
        ptr = f"/Resources/{_esc(rid)}/Properties"
        props = p.sub(node, "Properties")
        owner = p.str_prop(props, "FunctionName", ptr)
        if owner is None:
            continue
        if owner.ref is None and rid in p.targets.owners:  # the function named by its name
            owner = replace(owner, ref=p.targets.owners[rid].function)
        pc = p.nested_int(props, "ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions", ptr)
        if rtype == "AWS::Lambda::Version":
            versions[rid] = Version(rid, rtype, p.declarations[rid], owner, pc)
            continue
        routing, unresolved = _cfn_routing(p, p.prop(p.sub(props, "RoutingConfig"), "AdditionalVersionWeights",
                                                     f"{ptr}/RoutingConfig"))
        aliases[rid] = Alias(rid, rtype, p.declarations[rid], owner, p.str_prop(props, "Name", ptr),
                             p.str_prop(props, "FunctionVersion", ptr), routing, unresolved, pc)
    for fid, fn in functions.items():
        if fn.auto_publish_alias is None:
            continue
        # the name may come from a parameter: SAM still publishes a version and an alias
        name = fn.auto_publish_alias.known()
        where = fn.auto_publish_alias.source
        me: Located[str] = Located(Unresolved(f"Ref {fid}"), where, ref=fid)
        pc = fn.provisioned_concurrency[-1] if fn.provisioned_concurrency else None
        version_id = f"{fid}Version"
        versions[version_id] = Version(version_id, "AWS::Lambda::Version", where, me, None, implicit=True)
        alias_id = sam_alias_id(fid, name) if isinstance(name, str) else f"{fid}Alias"
        aliases[alias_id] = Alias(alias_id, "AWS::Lambda::Alias", where, me, fn.auto_publish_alias,
                                  Located(Unresolved(f"Fn::GetAtt {version_id}.Version"), where, ref=version_id),
                                  (), False, pc, implicit=True)
    return aliases, versions


def _cfn_routing(p: TemplateView, loc: Located[Any] | None) -> tuple[Routing, bool]:
    if loc is None:
        return (), False
    if not isinstance(loc.value, tuple):
        return (), True
    out: list[tuple[Located[str], Located[float]]] = []
    for item in loc.value:
        d = item.value
        if not isinstance(d, dict) or "FunctionVersion" not in d or "FunctionWeight" not in d:
            return tuple(out), True
        out.append((p.r.string(item.value["FunctionVersion"], "FunctionVersion"),
                    p.r.typed(item.value["FunctionWeight"], float, "a number", "FunctionWeight")))
    return tuple(out), False


def tf_versions_of(p: ModuleView,
                   functions: Mapping[str, LambdaFunction]) -> tuple[dict[str, Alias], dict[str, Version]]:
    from lambdalint.parsers.terraform import resource_type
    from lambdalint.parsers.terraform.iam import blocks

    aliases: dict[str, Alias] = {}
    versions: dict[str, Version] = {}
    for address, body in p.resources.items():
        rtype = resource_type(address)
        if rtype == "aws_lambda_function" and body.is_map():
            publish = p.attr(body, "publish", address)
            # published, or maybe (a variable): a version the function may have
            if publish is not None and (publish.known() is True or not publish.is_known()):
                base = address.split("[", 1)[0]
                vid = f"{base}.version"
                me: Located[str] = Located(Unresolved(base), publish.source, ref=base)
                versions[vid] = Version(vid, "aws_lambda_function", publish.source, me, None, implicit=True,
                                        maybe=not publish.is_known())
        if rtype != "aws_lambda_alias" or not body.is_map():
            continue
        fn = p.string(body, "function_name", address)
        if fn is None:
            continue
        owner = p.function_targets.owners.get(address)
        if fn.ref is None and owner is not None:  # the function named by its name
            fn = replace(fn, ref=owner.function)
        routing: list[tuple[Located[str], Located[float]]] = []
        unresolved = body.get("dynamic") is not None
        for i, block in enumerate(blocks(body, "routing_config")):
            weights = p.attr(block, "additional_version_weights", f"{address}/routing_config/{i}")
            if weights is None:
                continue
            if not isinstance(weights.value, dict):
                unresolved = True
                continue
            for version, weight in weights.value.items():
                routing.append((Located(version, weights.source),
                                p.r.typed(weight, float, "a number", "additional_version_weights")))
        version = p.string(body, "function_version", address)
        if version is not None and not version.is_known() and p.latest(version):
            version = Located("$LATEST", version.source)  # the version of a function that does not publish
        aliases[address] = Alias(address, rtype, p.decl[address].with_pointer(f"/{address}"), fn,
                                 p.string(body, "name", address), version, tuple(routing), unresolved)
    return aliases, versions
