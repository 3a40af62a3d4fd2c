"""What a function's execution role allows: every statement of every policy attached to it.

``permissions(role, ctx)`` gathers the role's inline policies, the policy resources attached
to it, customer managed policies of the application and AWS managed policies (from the
bundled table), each statement kept with the document it came from. ``complete`` tells
whether that is everything: a role whose policy list, a policy or an attached managed policy
is not known is incomplete, and rules that judge what is *missing* stay silent then.

Matching is deliberately generous where it decides a finding of something missing (an
unknown action, effect or resource may grant anything), so that a finding is never a guess.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from typing import Any

from msgspec import Struct

from lambdalint.iam import managed
from lambdalint.model import Application, LambdaFunction, PolicyDocument, Role, Statement
from lambdalint.values import Located, Unresolved


class Grant(Struct, frozen=True):
    """One statement and the policy it belongs to."""

    statement: Statement
    policy: PolicyDocument

    @property
    def written_by_user(self) -> bool:
        """Written in the application (inline or customer policy), as opposed to an AWS
        managed policy, a SAM policy template or a statement a tool generates."""
        return self.policy.kind in ("inline", "customer")


class Permissions(Struct, frozen=True):
    role: Role
    grants: tuple[Grant, ...]
    #: every policy attached to the role is known, statement by statement
    complete: bool
    #: AWS managed policies attached, by name, with the reference that attaches them
    managed: tuple[tuple[str, Located[str]], ...]


def execution_role(fn: LambdaFunction, app: Application) -> Role | None:
    """The role ``fn`` runs with, when the application defines it."""
    if fn.role is None:
        return None
    if fn.role.ref is not None and fn.role.ref in app.roles:
        return app.roles[fn.role.ref]
    text = fn.role.known()
    if isinstance(text, str) and ":role/" in text:
        name = text.rsplit("/", 1)[-1]
        for role in app.roles.values():
            if role.name is not None and role.name.known() == name:
                return role
    return None


def execution_roles(app: Application) -> dict[str, tuple[Role, list[LambdaFunction]]]:
    """Every execution role of the application with the functions that use it."""
    out: dict[str, tuple[Role, list[LambdaFunction]]] = {}
    for fn in app.functions.values():
        role = execution_role(fn, app)
        if role is not None:
            out.setdefault(role.id, (role, []))[1].append(fn)
    return out


def permissions(role: Role, app: Application, data: Any, memo: dict[str, Any] | None = None) -> Permissions:
    cache: dict[str, Permissions] = memo.setdefault("iam.permissions", {}) if memo is not None else {}
    if role.id in cache:
        return cache[role.id]
    table = data.table("managed_policies")
    docs: list[PolicyDocument] = list(role.policies)
    complete = not role.unresolved and all(not d.unresolved for d in role.policies)
    names: list[tuple[str, Located[str]]] = []
    for arn in role.managed_policy_arns:
        for known in (arn.possible() if arn.candidates else [arn]):
            if known.ref is not None and known.ref in app.managed_policies:
                doc = app.managed_policies[known.ref]
                docs.append(doc)
                complete = complete and not doc.unresolved
                continue
            text = managed.arn_text(known)
            name = managed.managed_name(text) if text is not None else None
            if name is not None:
                names.append((name, known))
            found = managed.document(known, table)
            if found is None:
                complete = False
            else:
                docs.append(found)
                complete = complete and not found.unresolved
        if arn.candidates:
            complete = False  # which branch applies is not known
    perms = Permissions(role, tuple(Grant(s, d) for d in docs for s in d.statements), complete, tuple(names))
    cache[role.id] = perms
    return perms


def matches(pattern: str, action: str) -> bool:
    """IAM action matching: case-insensitive, ``*`` and ``?`` wildcards."""
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == action.lower()
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def entries(element: Located[tuple[Located[str], ...]] | None) -> Iterator[Located[str]]:
    """The entries of an element, both branches of a condition included."""
    if element is None:
        return
    if element.is_known():
        yield from element.value  # type: ignore[misc]
        return
    for cand in element.candidates:
        yield from entries(cand)


def may_grant(stmt: Statement, action: str) -> bool:
    """The statement may allow ``action`` on some resource (unknown parts count as yes)."""
    if stmt.is_deny():
        return False
    if stmt.action is not None:
        if not stmt.action.is_known() and not stmt.action.candidates:
            return True
        return any(not e.is_known() or matches(str(e.value), action) for e in entries(stmt.action))
    if stmt.not_action is not None:
        listed = list(entries(stmt.not_action))
        if not stmt.not_action.is_known() or any(not e.is_known() for e in listed):
            return True
        return not any(matches(str(e.value), action) for e in listed)
    return False


def may_allow(perms: Permissions, action: str) -> bool:
    """Some statement of the role may allow ``action``."""
    return any(may_grant(g.statement, action) for g in perms.grants)


def is_star(entry: Located[str]) -> bool:
    return entry.is_known() and entry.value == "*"


#: a pseudo parameter in an ARN (``${AWS::Partition}``): any partition, Region or account
PSEUDO = re.compile(r"\$\{AWS::[A-Za-z]+\}")


def resource_text(entry: Located[Any]) -> str | None:
    """A Resource entry as text: its value, or, for an ARN built with intrinsics or a template
    (``arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*``), the expression it was built from."""
    if isinstance(entry.value, Unresolved):
        return entry.value.expr
    text = entry.known()
    return text if isinstance(text, str) else None


def arn_service(arn: str) -> str | None:
    """The service of an ARN (``iam`` for ``arn:${AWS::Partition}:iam::...``), or None."""
    parts = PSEUDO.sub("x", arn).split(":", 3)
    return parts[2] if len(parts) > 3 and parts[0] == "arn" else None


def names_every_resource(arn: str) -> bool:
    """The ARN pattern covers every resource of its type in the account: its name part is ``*``
    (``arn:aws:s3:::*``, ``arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*``,
    ``arn:aws:sqs:*:*:*``), as a SAM policy template with ``BucketName: '*'`` writes it."""
    parts = PSEUDO.sub("x", arn).split(":", 5)
    if len(parts) < 6 or parts[0] != "arn" or "${" in parts[5]:
        return False
    service, resource = parts[2], parts[5]
    if service != "s3":  # S3 ARNs start with the bucket's name; the others with a type
        for sep in ("/", ":"):
            if sep in resource and resource.split(sep, 1)[0] != "*":
                resource = resource.split(sep, 1)[1]  # a type prefix: table/, function:
                break
    return resource.split("/", 1)[0].split(":", 1)[0] == "*"


def resource_is_star(stmt: Statement) -> Located[str] | None:
    """The ``*`` entry of the statement's Resource, if it has one."""
    for entry in entries(stmt.resource):
        if is_star(entry):
            return entry
    return None


#: the service a resource type belongs to, for ARNs given as references
_SERVICE_OF_TYPE = {
    "AWS::SQS::Queue": "sqs", "aws_sqs_queue": "sqs",
    "AWS::SNS::Topic": "sns", "aws_sns_topic": "sns",
    "AWS::Lambda::Function": "lambda", "AWS::Serverless::Function": "lambda", "aws_lambda_function": "lambda",
    "AWS::Lambda::Alias": "lambda", "aws_lambda_alias": "lambda",
    "AWS::Events::EventBus": "events", "aws_cloudwatch_event_bus": "events",
    "AWS::S3::Bucket": "s3", "aws_s3_bucket": "s3",
}


def target_service(target: Located[str], app: Application) -> str | None:
    """The service of the resource an ARN value names (``sqs``, ``sns``, ...), when known."""
    if target.ref is not None and target.ref in app.resources:
        return _SERVICE_OF_TYPE.get(app.resources[target.ref][0])
    text = target.known()
    if isinstance(text, str) and text.startswith("arn:"):
        parts = text.split(":")
        return parts[2] if len(parts) > 2 else None
    return None
