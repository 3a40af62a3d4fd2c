"""IAM in Terraform: roles and every policy attached to them, folded into :class:`Role`.

Read: ``aws_iam_role`` (``assume_role_policy``, ``inline_policy`` blocks,
``managed_policy_arns``), ``aws_iam_role_policy``, ``aws_iam_policy`` (customer managed),
``aws_iam_role_policy_attachment``, ``aws_iam_policy_attachment`` and the
``aws_iam_policy_document`` data source. A policy given as JSON text (heredoc, plan value),
as ``jsonencode({...})`` or as a policy document's ``.json`` all become the same statements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambdalint.model import PolicyDocument, PolicyKind, Role
from lambdalint.parsers.nodes import Node
from lambdalint.parsers.policy import document
from lambdalint.parsers.terraform import resource_type
from lambdalint.values import Located, SourceRef, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.terraform.module import ModuleParser

DOCUMENT = "aws_iam_policy_document"
_DOC_ELEMENTS = (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
                 ("not_resources", "NotResource"))


def policy_value(parser: ModuleParser, body: Node, key: str, address: str) -> Located[Any] | None:
    """A policy attribute; for ``jsonencode({...})`` (written in place or in a local) the
    structure itself, so that every element keeps its own region."""
    node = body.get(key) if body.is_map() else None
    for _ in range(2):
        call = node.get("TF::Call") if node is not None else None
        if call is not None and call.is_list() and len(call.value) == 2 and call.value[0].value == "jsonencode":
            return parser.resolve(call.value[1], f"/{address}/{key}", address)
        ref = node.get("TF::Ref") if node is not None else None
        local = parser.r.locals if ref is not None and str(ref.value).startswith("local.") else None
        node = local.get(str(ref.value).split(".")[1]) if local is not None and ref is not None else None
    return parser.attr(body, key, address)


def blocks(body: Node | None, key: str) -> list[Node]:
    """Every nested block ``key`` (a block may be repeated)."""
    node = body.get(key) if body is not None and body.is_map() else None
    if node is None:
        return []
    if node.is_list():
        return [b for b in node.value if b.is_map()]
    return [node] if node.is_map() else []


class TerraformIam:
    def __init__(self, parser: ModuleParser) -> None:
        self.p = parser
        self.documents: dict[str, PolicyDocument] = {}

    def policy(self, body: Node, key: str, address: str, name: str, kind: PolicyKind) -> PolicyDocument:
        loc = policy_value(self.p, body, key, address)
        where = loc.source if loc is not None else self.p.decl[address]
        if loc is not None and loc.ref is not None and resource_type(loc.ref) == DOCUMENT:
            doc = self.data_document(loc.ref)
            return PolicyDocument(name, doc.source, doc.statements, doc.unresolved, kind, address)
        return document(loc, name, where, kind, address)

    def data_document(self, address: str) -> PolicyDocument:
        """An ``aws_iam_policy_document`` data source, statement blocks read as JSON would be."""
        if address in self.documents:
            return self.documents[address]
        body = self.p.resources[address]
        decl = self.p.decl.get(address, body.src)
        statements: list[Located[Any]] = []
        unresolved = any(body.get(k) is not None for k in (
            "source_policy_documents", "override_policy_documents", "source_json", "override_json"))
        if body.get("dynamic") is not None:
            unresolved = True
        for i, block in enumerate(blocks(body, "statement")):
            ptr = f"/{address}/statement/{i}"
            out: dict[str, Located[Any]] = {}
            effect = self.p.string(block, "effect", ptr[1:])
            out["Effect"] = effect if effect is not None else Located("Allow", block.src)
            for tf_key, key in _DOC_ELEMENTS:
                loc = self.p.attr(block, tf_key, ptr[1:])
                if loc is not None:
                    out[key] = loc
            for tf_key, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
                found = blocks(block, tf_key)
                if found:
                    out[key] = self._principals(found, ptr[1:])
            conditions = blocks(block, "condition")
            if conditions:
                out["Condition"] = Located(Unresolved("condition"), conditions[0].src)
            statements.append(Located(out, block.src))
        doc_loc = Located({"Statement": Located(tuple(statements), decl)}, decl)
        doc = document(doc_loc, address, decl, "inline", address)
        if unresolved:
            doc = PolicyDocument(doc.name, doc.source, doc.statements, True, doc.kind, address)
        self.documents[address] = doc
        return doc

    def _principals(self, found: list[Node], address: str) -> Located[Any]:
        out: dict[str, Located[Any]] = {}
        for block in found:
            ptype = self.p.string(block, "type", address)
            ids = self.p.attr(block, "identifiers", address)
            if ptype is None or not ptype.is_known() or ids is None:
                return Located(Unresolved("principals"), block.src)
            out[str(ptype.value)] = ids
        return Located(out, found[0].src)

    # -- roles ---------------------------------------------------------------------------

    def role(self, address: str, decl: SourceRef, body: Node) -> Role:
        trust = self.policy(body, "assume_role_policy", address, "trust policy", "trust") \
            if body.get("assume_role_policy") is not None else None
        policies = []
        unresolved = body.get("dynamic") is not None
        for i, block in enumerate(blocks(body, "inline_policy")):
            name = self.p.string(block, "name", f"{address}/inline_policy/{i}")
            if block.get("policy") is None:
                continue
            label = name.known() if name is not None else None
            policies.append(self.policy(block, "policy", f"{address}/inline_policy/{i}",
                                        f"inline policy {label}" if label else "inline policy", "inline"))
        arns: list[Located[str]] = []
        managed = self.p.attr(body, "managed_policy_arns", address)
        if managed is not None:
            if isinstance(managed.value, tuple):
                arns.extend(managed.value)
            else:
                unresolved = True
        return Role(address, "aws_iam_role", decl, self.p.string(body, "name", address),
                    trust, tuple(policies), tuple(arns), unresolved)

    def attach(self, roles: dict[str, Role], managed: dict[str, PolicyDocument]) -> None:
        """Fold policies and attachments into the roles they name."""
        by_name = {r.name.known(): rid for rid, r in roles.items() if r.name is not None and r.name.is_known()}
        extra: dict[str, list[PolicyDocument]] = {}
        arns: dict[str, list[Located[str]]] = {}
        lost = False

        def target(loc: Located[Any] | None) -> str | None:
            nonlocal lost
            if loc is None:
                return None
            if loc.ref in roles:
                return loc.ref
            name = loc.known()
            if isinstance(name, str):
                found = by_name.get(name) or by_name.get(name.rsplit("/", 1)[-1])
                return found
            lost = True
            return None

        for address, body in self.p.resources.items():
            rtype = resource_type(address)
            if rtype == "aws_iam_policy":
                name = self.p.string(body, "name", address)
                label = name.known() if name is not None else None
                managed[address] = self.policy(body, "policy", address, f"policy {label or address}", "customer")
            elif rtype == "aws_iam_role_policy":
                rid = target(self.p.attr(body, "role", address))
                if rid is not None:
                    name = self.p.string(body, "name", address)
                    label = name.known() if name is not None else None
                    extra.setdefault(rid, []).append(
                        self.policy(body, "policy", address, f"policy {label or address}", "inline"))
            elif rtype in ("aws_iam_role_policy_attachment", "aws_iam_policy_attachment"):
                arn = self.p.attr(body, "policy_arn", address)
                if rtype == "aws_iam_role_policy_attachment":
                    owners = [self.p.attr(body, "role", address)]
                else:
                    listed = self.p.attr(body, "roles", address)
                    owners = list(listed.value) if listed is not None and isinstance(listed.value, tuple) else \
                        [listed] if listed is not None else []
                for owner in owners:
                    rid = target(owner)
                    if rid is not None and arn is not None:
                        arns.setdefault(rid, []).append(arn)
        for rid, r in list(roles.items()):
            roles[rid] = Role(r.id, r.resource_type, r.source, r.name, r.trust_policy,
                              r.policies + tuple(extra.get(rid, ())),
                              r.managed_policy_arns + tuple(arns.get(rid, ())),
                              r.unresolved or lost, r.implicit)
