"""Step Functions state machines and the functions their definitions invoke, in CloudFormation,
SAM and Terraform.

A task invokes a function when its ``Resource`` is the function's ARN, or when it is the
``arn:aws:states:::lambda:invoke`` integration with ``Parameters.FunctionName``. Definitions
written as YAML/JSON objects, as ``Fn::Sub`` JSON text, with ``DefinitionSubstitutions``, as
``jsonencode`` or as heredoc JSON are read; a definition in a separate file, or a task that picks
its function at run time (``FunctionName.$``), leaves the definition unresolved.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lambdalint.iam.documents import structure
from lambdalint.model import StateMachine
from lambdalint.parsers.intrinsics import _esc
from lambdalint.values import Located, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.cfn_view import TemplateView
    from lambdalint.parsers.terraform.view import ModuleView

_PLACEHOLDER = re.compile(r"^\$\{([^}]+)\}$")
_INVOKE = "arn:aws:states:::lambda:invoke"


def _invoked(defn: Located[Any], subs: dict[str, Located[Any]], resources: set[str]) -> tuple[list[Located[str]], bool]:
    out: list[Located[str]] = []
    unresolved = False

    def target(loc: Located[Any]) -> Located[str] | None:
        if loc.ref is not None:
            return loc
        text = loc.value.expr if isinstance(loc.value, Unresolved) else loc.known()
        if not isinstance(text, str):
            return None
        m = _PLACEHOLDER.match(text)
        if m:
            name = m.group(1)
            if name in subs:
                return target(subs[name])
            owner = name.split(".", 1)[0]
            return Located(Unresolved(text), loc.source, ref=owner) if owner in resources else None
        if text.startswith("arn:") and ":function:" in text:
            return loc
        return None

    def walk(loc: Located[Any]) -> None:
        nonlocal unresolved
        value = loc.value
        if isinstance(value, tuple):
            for item in value:
                walk(item)
            return
        if not isinstance(value, dict):
            return
        resource = value.get("Resource")
        if resource is not None:
            text = resource.known()
            if isinstance(text, str) and text.startswith(_INVOKE):
                params = value.get("Parameters")
                fn = params.value.get("FunctionName") if params is not None and isinstance(params.value, dict) else None
                found = target(fn) if fn is not None else None
                if found is not None:
                    out.append(found)
                else:
                    unresolved = True
            else:
                found = target(resource)
                if found is not None:
                    out.append(found)
        for key, child in value.items():
            if key != "Resource":
                walk(child)

    walk(defn)
    return out, unresolved


def cfn_state_machines(p: TemplateView) -> dict[str, StateMachine]:
    out: dict[str, StateMachine] = {}
    resources = set(p.resources)
    for rid, node in p.resources.items():
        rtype = p.resource_types.get(rid, "")
        if rtype not in ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"):
            continue
        ptr = f"/Resources/{_esc(rid)}/Properties"
        props = p.sub(node, "Properties")
        raw = p.prop(props, "Definition", ptr) or p.prop(props, "DefinitionString", ptr)
        subs_loc = p.prop(props, "DefinitionSubstitutions", ptr)
        subs = subs_loc.value if subs_loc is not None and isinstance(subs_loc.value, dict) else {}
        defn = structure(raw)
        name_key = "Name" if rtype == "AWS::Serverless::StateMachine" else "StateMachineName"
        if defn is None:
            out[rid] = StateMachine(rid, rtype, p.declarations[rid], p.str_prop(props, name_key, ptr), (), True)
            continue
        invokes, unresolved = _invoked(defn, subs, resources)
        out[rid] = StateMachine(rid, rtype, p.declarations[rid], p.str_prop(props, name_key, ptr), tuple(invokes),
                                unresolved)
    return out


def tf_state_machines(p: ModuleView) -> dict[str, StateMachine]:
    from lambdalint.parsers.terraform import resource_type
    from lambdalint.parsers.terraform.iam import policy_value

    out: dict[str, StateMachine] = {}
    resources = set(p.resources)
    for address, body in p.resources.items():
        if resource_type(address) != "aws_sfn_state_machine" or not body.is_map():
            continue
        decl = p.decl[address].with_pointer(f"/{address}")
        defn = structure(policy_value(p, body, "definition", address))
        name = p.string(body, "name", address)
        if defn is None:
            out[address] = StateMachine(address, "aws_sfn_state_machine", decl, name, (), True)
            continue
        invokes, unresolved = _invoked(defn, {}, resources)
        out[address] = StateMachine(address, "aws_sfn_state_machine", decl, name, tuple(invokes), unresolved)
    return out
