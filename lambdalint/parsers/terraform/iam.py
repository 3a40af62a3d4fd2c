"""IAM in Terraform: roles and every policy attached to them, folded into :class:`Role`.

Read: ``aws_iam_role`` (``assume_role_policy``, ``inline_policy`` blocks,
``managed_policy_arns``), ``aws_iam_role_policy``, ``aws_iam_policy`` (customer managed),
``aws_iam_role_policy_attachment``, ``aws_iam_policy_attachment`` (every role of its ``roles``),
``aws_iam_role_policy_attachments_exclusive`` (its ``policy_arns`` attached to the role),
``aws_iam_role_policies_exclusive`` (the role's inline policies are the ``aws_iam_role_policy``
resources it names) and the ``aws_iam_policy_document`` data source. Any other ``aws_iam_*``
resource that names a role leaves that role's policies not fully known.

A policy given as JSON text (heredoc, plan value), as ``jsonencode({...})`` or as a policy
document's ``.json`` all become the same statements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambdalint.iam.documents import document
from lambdalint.model import PolicyDocument, PolicyKind, Role
from lambdalint.parsers.nodes import Node
from lambdalint.parsers.terraform import resource_type
from lambdalint.values import Located, SourceRef, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.terraform.view import ModuleView

DOCUMENT = "aws_iam_policy_document"
#: the ``aws_iam_*`` resource types read into roles
_READ = frozenset({
    "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment", "aws_iam_role_policy_attachments_exclusive", "aws_iam_role_policies_exclusive",
})
#: ``aws_iam_*`` resource types that name a role without changing what it may do; any other
#: ``aws_iam_*`` resource lambdalint does not read that names a role makes its policies not known
_NOT_PERMISSIONS = frozenset({
    "aws_iam_instance_profile", "aws_iam_service_linked_role", "aws_iam_user", "aws_iam_group",
    "aws_iam_user_policy", "aws_iam_user_policy_attachment", "aws_iam_group_policy",
    "aws_iam_group_policy_attachment", "aws_iam_group_membership", "aws_iam_user_group_membership",
    "aws_iam_access_key", "aws_iam_user_login_profile", "aws_iam_user_ssh_key", "aws_iam_signing_certificate",
    "aws_iam_service_specific_credential", "aws_iam_virtual_mfa_device", "aws_iam_openid_connect_provider",
    "aws_iam_saml_provider", "aws_iam_server_certificate", "aws_iam_account_alias",
    "aws_iam_account_password_policy", "aws_iam_security_token_service_preferences",
})
#: meta-arguments, which name other resources without configuring anything
_META = frozenset({"depends_on", "count", "for_each", "provider", "lifecycle"})
_DOC_ELEMENTS = (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
                 ("not_resources", "NotResource"))


def policy_value(parser: ModuleView, body: Node, key: str, address: str) -> Located[Any] | None:
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


def _is_block(node: Node) -> bool:
    """A nested block (or several), as opposed to an expression (a map keyed ``TF::...``)."""
    def block(n: Node) -> bool:
        return n.is_map() and not any(str(k).startswith("TF::") for k in n.value)
    return block(node) or (node.is_list() and any(block(v) for v in node.value))


class TerraformIam:
    def __init__(self, parser: ModuleView) -> None:
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
        body = self.p.resources.get(address)
        if body is None:  # a document of a calling module, passed in as an argument
            caller = self.p.parent
            while caller is not None and address not in caller.resources:
                caller = caller.parent
            if caller is not None:
                return TerraformIam(caller).data_document(address)
            return PolicyDocument(address, self.p.decl.get(address, SourceRef(self.p.r.path, 1, 1, 1, 2)), (),
                                  True, "inline", address)
        decl = self.p.decl.get(address, body.src)
        statements: list[Located[Any]] = []
        unresolved = any(body.get(k) is not None for k in (
            "source_policy_documents", "override_policy_documents", "source_json", "override_json"))
        dynamic = body.get("dynamic")
        if dynamic is not None and dynamic.is_map():  # dynamic statements are read when their for_each is known
            unresolved = unresolved or any(key != "statement" for key in dynamic.value) or self.p.dynamic_unknown(
                body, "statement", address)
        for i, block in enumerate(self.p.blocks(body, "statement", address)):
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
        """Fold policies and attachments into the roles they name.

        A role is marked not fully known (``Role.unresolved``) when an attachment's role cannot
        be told (then every role is), when an attachment to it lists policies that are not
        known, when ``aws_iam_role_policies_exclusive`` names an inline policy that is not
        modelled here, and when an ``aws_iam_*`` resource lambdalint does not read names it.
        """
        by_name = {r.name.known(): rid for rid, r in roles.items() if r.name is not None and r.name.is_known()}
        extra: dict[str, list[PolicyDocument]] = {}
        #: the inline policy resources attached to each role: (address, name; None when not known)
        inline_names: dict[str, list[tuple[str | None, str | None]]] = {}
        arns: dict[str, list[Located[str]]] = {}
        exclusive_names: dict[str, list[Located[Any]]] = {}
        unknown: set[str] = set()  # roles whose attached policies are not all known
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
                    inline_names.setdefault(rid, []).append((address, label if isinstance(label, str) else None))
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
            elif rtype == "aws_iam_role_policy_attachments_exclusive":
                # the role's managed policies are exactly `policy_arns`
                rid = target(self.p.attr(body, "role_name", address))
                listed = self.p.attr(body, "policy_arns", address)
                if rid is None:
                    continue
                if listed is not None and isinstance(listed.value, tuple):
                    arns.setdefault(rid, []).extend(listed.value)
                else:
                    unknown.add(rid)
            elif rtype == "aws_iam_role_policies_exclusive":
                # the role's inline policies are exactly those named by `policy_names`
                rid = target(self.p.attr(body, "role_name", address))
                listed = self.p.attr(body, "policy_names", address)
                if rid is None:
                    continue
                if listed is not None and isinstance(listed.value, tuple):
                    exclusive_names.setdefault(rid, []).extend(listed.value)
                else:
                    unknown.add(rid)
            elif rtype.startswith("aws_iam_") and rtype not in _READ and rtype not in _NOT_PERMISSIONS:
                unknown.update(self._naming(address, body, roles, by_name))
        for rid, named in exclusive_names.items():
            present = [*inline_names.get(rid, ()), *((None, n) for n in self._inline_block_names(rid))]

            def names(entry: Located[Any], policy: tuple[str | None, str | None]) -> bool:
                # by the policy's name, or by a reference to the policy resource (`.name`)
                return (entry.ref is not None and entry.ref == policy[0]) or (
                    isinstance(entry.known(), str) and entry.known() == policy[1])

            # a named policy not modelled here, or a policy the exclusive resource would remove
            if not all(any(names(e, p) for p in present) for e in named) or \
                    not all(any(names(e, p) for e in named) for p in present):
                unknown.add(rid)
        for rid, r in list(roles.items()):
            roles[rid] = Role(r.id, r.resource_type, r.source, r.name, r.trust_policy,
                              r.policies + tuple(extra.get(rid, ())),
                              r.managed_policy_arns + tuple(arns.get(rid, ())),
                              r.unresolved or lost or rid in unknown, r.implicit)

    def _inline_block_names(self, rid: str) -> list[str | None]:
        """The names of a role's ``inline_policy`` blocks (None: a name not known)."""
        body = self.p.resources.get(rid)
        if body is None or resource_type(rid) != "aws_iam_role":
            return []
        out: list[str | None] = []
        for i, block in enumerate(blocks(body, "inline_policy")):
            name = self.p.string(block, "name", f"{rid}/inline_policy/{i}")
            label = name.known() if name is not None else None
            out.append(label if isinstance(label, str) else None)
        return out

    def _naming(self, address: str, body: Node, roles: dict[str, Role], by_name: dict[Any, str]) -> set[str]:
        """The roles an attribute of ``body`` names: by reference in any attribute, by name (a
        role's name or ARN written out) in an attribute about roles (``role``, ``role_name``,
        ``roles``, ...), a list's elements and a conditional's branches included."""
        found: set[str] = set()

        def visit(loc: Located[Any], names: bool) -> None:
            if loc.ref is not None and loc.ref in roles:
                found.add(loc.ref)
            value = loc.known()
            if isinstance(value, tuple):
                for item in value:
                    visit(item, names)
            elif isinstance(value, str) and names:
                rid = by_name.get(value) or (by_name.get(value.rsplit("/", 1)[-1]) if ":role/" in value else None)
                if rid is not None:
                    found.add(rid)
            for cand in loc.candidates:
                visit(cand, names)

        if body.is_map():
            for key, node in body.value.items():
                if key in _META or _is_block(node):
                    continue
                loc = self.p.attr(body, key, address)
                if loc is not None:
                    visit(loc, "role" in str(key))
        return found
