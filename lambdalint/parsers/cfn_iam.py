"""IAM in CloudFormation and SAM templates: roles, policy resources, SAM ``Policies``.

Every policy attached to a role in the template is folded into its :class:`Role`:
``AWS::IAM::Role`` inline ``Policies`` and ``ManagedPolicyArns``, ``AWS::IAM::Policy`` /
``AWS::IAM::RolePolicy`` / ``AWS::IAM::ManagedPolicy`` naming the role. A SAM function without
``Role`` gets the role the SAM transform generates for it, with its ``Policies`` expanded
(policy templates from the translator's own table, managed policy names through the
translator's name table) and the managed policies SAM adds on its own.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from lambdalint.iam.documents import document
from lambdalint.model import PolicyDocument, PolicyKind, Role, Statement, Trigger
from lambdalint.parsers.intrinsics import _esc
from lambdalint.values import Located, SourceRef, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.cfn_view import TemplateView
    from lambdalint.parsers.nodes import Node

MANAGED_PREFIX = "arn:aws:iam::aws:policy/"
_SERVICE_ROLE = MANAGED_PREFIX + "service-role/"
#: managed policies SAM attaches to the role it generates, by event type (SAM ``pull.py``)
_EVENT_POLICIES = {
    "SQS": _SERVICE_ROLE + "AWSLambdaSQSQueueExecutionRole",
    "Kinesis": _SERVICE_ROLE + "AWSLambdaKinesisExecutionRole",
    "DynamoDB": _SERVICE_ROLE + "AWSLambdaDynamoDBExecutionRole",
    "MSK": _SERVICE_ROLE + "AWSLambdaMSKExecutionRole",
}
ROLE_TYPES = ("AWS::IAM::Role",)
#: what SAM grants the generated role for each destination type
_DESTINATION_ACTIONS = {"SQS": "sqs:SendMessage", "SNS": "sns:Publish", "Lambda": "lambda:InvokeFunction",
                        "EventBridge": "events:PutEvents", "S3Bucket": "s3:PutObject"}
POLICY_TYPES = ("AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::ManagedPolicy")


@cache
def _sam_data(name: str) -> Any:
    from lambdalint.data import package_dir

    base = package_dir("samtranslator")
    paths = {"templates": ("policy_templates_data", "policy_templates.json"),
             "managed": ("internal", "data", "aws_managed_policies.json")}
    if base is None:
        return {}
    try:
        with open(os.path.join(base, *paths[name]), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def policy_templates() -> dict[str, Any]:
    """SAM's policy templates by name."""
    templates: dict[str, Any] = _sam_data("templates").get("Templates", {})
    return templates


def managed_policy_arn(name: str) -> str:
    """The ARN SAM gives a managed policy name in ``Policies`` (an ARN stays as it is)."""
    if name.startswith("arn:"):
        return name
    arn: str | None = _sam_data("managed").get("aws", {}).get(name)
    return arn or MANAGED_PREFIX + name


def role(p: TemplateView, rid: str, decl: SourceRef, props: Node | None, ptr: str) -> Role:
    trust = p.prop(props, "AssumeRolePolicyDocument", ptr)
    policies: list[PolicyDocument] = []
    unresolved = False
    inline = p.prop(props, "Policies", ptr)
    if inline is not None:
        if not isinstance(inline.value, tuple):
            unresolved = True
        else:
            for item in inline.value:
                for known in item.possible():
                    if not isinstance(known.value, dict):
                        unresolved = True
                        continue
                    pname = known.value.get("PolicyName")
                    label = pname.known() if pname is not None else None
                    title = f"inline policy {label}" if label else "inline policy"
                    policies.append(document(known.value.get("PolicyDocument"), title, known.source, "inline", rid))
                if not item.possible():
                    unresolved = True
    arns: list[Located[str]] = []
    managed = p.prop(props, "ManagedPolicyArns", ptr)
    if managed is not None:
        if isinstance(managed.value, tuple):
            for item in managed.value:
                arns.extend(_arns(item))
        else:
            unresolved = True
    return Role(
        id=rid, resource_type="AWS::IAM::Role", source=decl,
        name=p.str_prop(props, "RoleName", ptr),
        trust_policy=document(trust, "trust policy", trust.source, "trust", rid) if trust is not None else None,
        policies=tuple(policies), managed_policy_arns=tuple(arns), unresolved=unresolved,
    )


def _arns(item: Located[Any]) -> list[Located[str]]:
    """The ARNs an entry may be: itself, or each branch of an ``Fn::If``."""
    if item.is_known() or not item.candidates:
        return [item]
    return [c for c in item.possible()]


def attach_policies(p: TemplateView, roles: dict[str, Role], managed: dict[str, PolicyDocument]) -> None:
    """Fold policy resources into the roles they name (``Roles``/``RoleName``)."""
    by_name = {r.name.known(): rid for rid, r in roles.items() if r.name is not None and r.name.is_known()}
    extra: dict[str, list[PolicyDocument]] = {}
    arns: dict[str, list[Located[str]]] = {}
    lost = False
    for rid, node in p.resources.items():
        rtype = p.resource_types.get(rid, "")
        if rtype not in POLICY_TYPES:
            continue
        ptr = f"/Resources/{_esc(rid)}/Properties"
        props = p.sub(node, "Properties")
        doc_loc = p.prop(props, "PolicyDocument", ptr)
        decl = p.declarations[rid]
        pname = p.str_prop(props, "PolicyName", ptr) or p.str_prop(props, "ManagedPolicyName", ptr)
        label = pname.known() if pname is not None else None
        kind: PolicyKind = "customer" if rtype == "AWS::IAM::ManagedPolicy" else "inline"
        doc = document(doc_loc, f"{'managed policy' if kind == 'customer' else 'policy'} {label or rid}",
                       doc_loc.source if doc_loc is not None else decl, kind, rid)
        if rtype == "AWS::IAM::ManagedPolicy":
            managed[rid] = doc
        targets: list[Located[Any]] = []
        if rtype == "AWS::IAM::RolePolicy":
            name = p.prop(props, "RoleName", ptr)
            targets = [name] if name is not None else []
        else:
            listed = p.prop(props, "Roles", ptr)
            if listed is not None:
                targets = list(listed.value) if isinstance(listed.value, tuple) else [listed]
        for target in targets:
            found = target.ref if target.ref in roles else by_name.get(target.known())
            if found is None:
                # a role the template does not define, or one we cannot tell: any role of
                # the template may be it
                lost = lost or not target.is_known()
                continue
            if rtype == "AWS::IAM::ManagedPolicy":
                arns.setdefault(found, []).append(Located(Unresolved(f"Ref {rid}"), target.source, ref=rid))
            else:
                extra.setdefault(found, []).append(doc)
    for rid, r in list(roles.items()):
        roles[rid] = Role(r.id, r.resource_type, r.source, r.name, r.trust_policy,
                          r.policies + tuple(extra.get(rid, ())),
                          r.managed_policy_arns + tuple(arns.get(rid, ())),
                          r.unresolved or lost, r.implicit)


# -- SAM ---------------------------------------------------------------------------------

def sam_role(p: TemplateView, rid: str, decl: SourceRef, props: Node | None, ptr: str,
             triggers: tuple[Trigger, ...], has_connectors: bool) -> Role:
    """The role SAM generates for a function without ``Role`` (SAM ``_construct_role``)."""
    role_id = f"{rid}Role"
    trust = PolicyDocument("trust policy (generated by SAM)", decl, (Statement(
        source=decl, effect=Located("Allow", decl),
        action=Located((Located("sts:AssumeRole", decl),), decl),
        principal=Located({"Service": Located((Located("lambda.amazonaws.com", decl),), decl)}, decl),
    ),), False, "trust", role_id)
    arns: list[Located[str]] = [Located(_SERVICE_ROLE + "AWSLambdaBasicExecutionRole", decl)]
    if p.prop(props, "VpcConfig", ptr) is not None:
        arns.append(Located(_SERVICE_ROLE + "AWSLambdaVPCAccessExecutionRole", decl))
    tracing = p.str_prop(props, "Tracing", ptr)
    if tracing is not None and tracing.known() == "Active":
        arns.append(Located(MANAGED_PREFIX + "AWSXrayWriteOnlyAccess", tracing.source))
    for trig in triggers:
        if trig.type in _EVENT_POLICIES:
            arns.append(Located(_EVENT_POLICIES[trig.type], trig.source))
    policies: list[PolicyDocument] = []
    unresolved = has_connectors
    loc = p.prop(props, "Policies", ptr)
    if loc is not None:
        items = loc.value if isinstance(loc.value, tuple) else (loc,)
        for item in items:
            for known in _branches(item):
                got = _sam_policy(known, role_id)
                if got is None:
                    unresolved = True
                elif isinstance(got, PolicyDocument):
                    policies.append(got)
                else:
                    arns.append(got)
    policies.extend(_sam_generated(p, props, ptr, role_id))
    return Role(role_id, "AWS::IAM::Role", decl, None, trust, tuple(policies), tuple(arns), unresolved, True)


def _branches(item: Located[Any]) -> list[Located[Any]]:
    if item.is_known():
        return [item]
    if item.candidates:
        return [c for c in item.possible()]
    return [item]


def _sam_policy(item: Located[Any], role_id: str) -> PolicyDocument | Located[str] | None:
    value = item.value
    if isinstance(value, str):
        return Located(managed_policy_arn(value), item.source, origin=item.origin)
    if not isinstance(value, dict):
        return None  # an unknown entry
    if "Statement" in value:
        return document(item, "inline policy in Policies", item.source, "inline", role_id)
    if len(value) == 1:
        (name,) = value
        template = policy_templates().get(name)
        if template is None:
            return None
        params = value[name].value if value[name].is_known() and isinstance(value[name].value, dict) else {}
        body = _expand(template.get("Definition", {}), item.source, params)
        return document(body, f"policy template {name}", item.source, "sam-template", role_id)
    return None


def _expand(plain: Any, src: SourceRef, params: dict[str, Located[Any]]) -> Located[Any]:
    """A policy template definition with the given parameters: ``Ref`` to a parameter takes
    the value passed; every other intrinsic is unknown (its ``ref`` kept when it names one)."""
    if isinstance(plain, dict):
        if len(plain) == 1:
            (k,) = plain
            if k == "Ref" and plain[k] in params:
                return params[plain[k]]
            if k == "Fn::Sub":
                return _template_sub(plain[k], src, params)
            if k == "Ref" or k.startswith("Fn::"):
                return Located(Unresolved(k), src, ref=_first_ref(plain, params))
        return Located({k: _expand(v, src, params) for k, v in plain.items()}, src)
    if isinstance(plain, list):
        return Located(tuple(_expand(v, src, params) for v in plain), src)
    return Located(plain, src)


def _template_sub(arg: Any, src: SourceRef, params: dict[str, Located[Any]]) -> Located[Any]:
    """``Fn::Sub`` in a policy template: the parameters passed are filled in; pseudo parameters
    (``${AWS::Region}``) and unknown values stay as ``${name}`` in an unresolved text."""
    text, names = (arg[0], arg[1]) if isinstance(arg, list) and len(arg) == 2 else (arg, {})
    if not isinstance(text, str) or not isinstance(names, dict):
        return Located(Unresolved("Fn::Sub"), src)
    ref: str | None = None
    unknown = False
    star: SourceRef | None = None

    def repl(m: re.Match[str]) -> str:
        nonlocal ref, unknown, star
        var = m.group(1)
        value = _expand(names[var], src, params) if var in names else None
        if value is not None and value.is_known() and isinstance(value.value, (str, int)):
            if value.value == "*":
                star = value.source  # the user's "*": the resource is located there
            return str(value.value)
        unknown = True
        if value is not None and value.ref is not None:
            ref = ref or value.ref
        if value is not None and isinstance(value.value, Unresolved) and value.value.expr.startswith("Ref ") \
                and value.ref is None:
            return "${" + value.value.expr[4:] + "}"  # a template parameter: spelled as Fn::Sub would
        return "${" + var + "}"

    out = re.sub(r"\$\{([^}!]+)\}", repl, text)
    at = star or src
    return Located(Unresolved(out), at, ref=ref) if unknown else Located(out, at)


def _first_ref(plain: Any, params: dict[str, Located[Any]]) -> str | None:
    if isinstance(plain, dict):
        if list(plain) == ["Ref"] and plain["Ref"] in params:
            return params[plain["Ref"]].ref
        for v in plain.values():
            found = _first_ref(v, params)
            if found:
                return found
    if isinstance(plain, list):
        for v in plain:
            found = _first_ref(v, params)
            if found:
                return found
    return None


def _sam_generated(p: TemplateView, props: Node | None, ptr: str, role_id: str) -> list[PolicyDocument]:
    """The statements SAM adds for a dead-letter target and for destinations."""
    out: list[PolicyDocument] = []
    dlq = p.sub(props, "DeadLetterQueue")
    if dlq is not None:
        dptr = f"{ptr}/DeadLetterQueue"
        kind = p.str_prop(dlq, "Type", dptr)
        target = p.prop(dlq, "TargetArn", dptr)
        action = {"SQS": "sqs:SendMessage", "SNS": "sns:Publish"}.get(kind.known() or "") if kind else None
        if action and target is not None:
            out.append(_one("dead-letter policy (generated by SAM)", target.source, action, target, role_id))
    eic = p.sub(props, "EventInvokeConfig")
    dest = p.sub(eic, "DestinationConfig") if eic is not None else None
    for which in ("OnSuccess", "OnFailure"):
        node = p.sub(dest, which) if dest is not None else None
        if node is None:
            continue
        dptr = f"{ptr}/EventInvokeConfig/DestinationConfig/{which}"
        kind = p.str_prop(node, "Type", dptr)
        target = p.prop(node, "Destination", dptr)
        action = _DESTINATION_ACTIONS.get(kind.known() or "") if kind else None
        if action is not None:
            where = target.source if target is not None else kind.source  # type: ignore[union-attr]
            out.append(_one("destination policy (generated by SAM)", where, action, target, role_id))
    return out


def _one(name: str, src: SourceRef, action: str, target: Located[Any] | None, role_id: str) -> PolicyDocument:
    resource = target if target is not None else Located(Unresolved("generated"), src)
    stmt = Statement(src, Located("Allow", src), Located((Located(action, src),), src), None,
                     Located((resource,), src))
    return PolicyDocument(name, src, (stmt,), False, "generated", role_id)
