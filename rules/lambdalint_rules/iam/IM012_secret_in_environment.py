from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from lambdalint.model import Application, LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint.values import Located, Unresolved, UnresolvedEncoding, UnresolvedText
from lambdalint_rules._examples import sam_function


@cache
def _compiled(values: tuple[tuple[str, str], ...], names: str, placeholders: str) -> tuple[Any, ...]:
    return (tuple((n, re.compile(p)) for n, p in values), re.compile(names, re.IGNORECASE),
            re.compile(placeholders, re.IGNORECASE))


class SecretInEnvironment(FunctionRule):
    """An environment variable holds a literal secret.

    Reported (the patterns and tables are in `data/secrets.yaml`): a value whose format
    identifies a credential whatever the variable is called (an AWS access key ID, a PEM
    private key, GitHub, Slack or Stripe tokens), also when it is the default of a parameter or
    variable the value comes from; a literal under a name that says it is a secret
    (`DB_PASSWORD`, `API_KEY`, `CLIENT_SECRET`, ...); and a reference to an attribute that
    holds a secret, alone or inside a string (Terraform `aws_iam_access_key.x.secret`,
    `random_password.x.result`, `tls_private_key.x.private_key_pem`, ...): the secret is then
    stored in the function's configuration like a literal. Not reported: values the input does
    not fix (parameters and variables without such a default, `{{resolve:secretsmanager:...}}`,
    references to `aws_secretsmanager_*` resources or to attributes that are not secrets),
    names that point at a secret rather than hold it (`SECRET_ARN`, `TOKEN_TABLE`,
    `API_KEY_PARAMETER`), values that are the ARN, path or name of a secret or parameter (a name
    counts when the function's role may read a secret or parameter by that name: the recommended
    pattern), and obvious placeholders. The message never repeats the value.

    ## Why is this bad?
    Environment variables are stored in the template, in version control, in CloudFormation
    and Terraform state, and shown to anyone with `lambda:GetFunctionConfiguration`. A secret
    there is shared with everyone who can read any of them, and rotating it means a redeploy.

    ## How to fix
    Keep the secret in AWS Secrets Manager or SSM Parameter Store, pass its name or ARN in the
    variable, and read it at run time (the Parameters and Secrets Lambda extension caches it).
    """

    id = "IM012"
    name = "secret-in-environment"
    severity = Severity.ERROR
    kind = "soft"
    tags = ("iam", "security", "secrets", "environment")
    precision = "high"
    security_severity = "7.5"
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption",
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
    )
    bad_example = sam_function("      Environment:\n        Variables:\n          DB_PASSWORD: s3cr3t-Passw0rd\n")
    good_example = sam_function("      Environment:\n        Variables:\n"
                                "          DB_PASSWORD_SECRET_ARN: !Ref DatabaseSecret\n")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.environment is None:
            return
        table = ctx.data.table("secrets")
        values, names, placeholders = _compiled(tuple((v["name"], v["pattern"]) for v in table["values"]),
                                                table["names"], table["placeholders"])
        suffixes = tuple(table["not_secret_suffixes"])
        attributes = {e["type"]: frozenset(e["attributes"]) for e in table["secret_attributes"]}
        fix = "store it in Secrets Manager or Parameter Store and pass its name or ARN instead."
        for var in fn.environment.variables:
            key = var.key.known()
            if not isinstance(key, str):
                continue
            value = var.value.known()
            if isinstance(value, str):  # written in place, or in a local, a mapping, a variable file
                kind = next((n for n, p in values if p.search(value)), None)
                if kind is None:
                    upper = key.upper()
                    if (not names.search(upper) or upper.endswith(suffixes) or len(value) < table["min_length"]
                            or placeholders.match(value.strip()) or _read_by_role(value.strip(), fn, ctx)):
                        continue
                    kind = "secret"
                what = f"a literal {kind}" if kind != "secret" else "a literal secret value"
                yield self.at(var.value, f"Function {fn.display_name}'s environment variable {key} holds {what}; "
                                         f"{fix}", fn=fn)
                continue
            # a value the input leaves open: a default (a variable's, a parameter's) that is a
            # credential by its format; a default under a secret-sounding name is not judged,
            # as it is as often a placeholder overridden at deploy time
            for cand in var.value.possible():
                text = cand.known()
                kind = next((n for n, p in values if p.search(text)), None) if isinstance(text, str) else None
                if kind is not None:
                    yield self.at(cand, f"Function {fn.display_name}'s environment variable {key} may take a "
                                        f"literal {kind} from this default; {fix}", fn=fn)
            for ref, _, attr in _secret_references(var.value, ctx.app, attributes):
                yield self.at(ref, f"Function {fn.display_name}'s environment variable {key} is set from the "
                                   f"attribute {attr} of {ref.ref}, which holds a secret: anyone who can read "
                                   f"the function's configuration sees it in plain text; {fix}", fn=fn)


#: what a function calls to read a secret or parameter by its name
_READS = ("secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath")


def _read_by_role(value: str, fn: LambdaFunction, ctx: Context) -> bool:
    """The value names a secret or parameter the function's role may read (``prod/db-password``
    with ``secretsmanager:GetSecretValue`` on ``...:secret:prod/db-password-*``): the recommended
    pattern, the value is where the secret is, not the secret."""
    from lambdalint.iam.effective import entries, execution_role, matches, permissions, resource_text

    role = execution_role(fn, ctx.app)
    if role is None or any(c.isspace() for c in value):
        return False
    perms = permissions(role, ctx.app, ctx.data, ctx.memo)
    for grant in perms.grants:
        stmt = grant.statement
        if not stmt.is_allow() or stmt.not_action is not None:
            continue
        if not any(isinstance(a.known(), str) and matches(str(a.value), read)
                   for a in entries(stmt.action) for read in _READS):
            continue
        for res in entries(stmt.resource):
            arn = resource_text(res)  # an ARN built with pseudo parameters still names it
            if isinstance(arn, str) and (":secret:" in arn or ":parameter" in arn):
                name = arn.split(":secret:", 1)[-1] if ":secret:" in arn else arn.split(":parameter", 1)[-1]
                if value.strip("/") and value.strip("/") in name.strip("/"):
                    return True
    return False


def _secret_references(loc: Located[Any], app: Application,
                       attributes: dict[str, frozenset[str]]) -> Iterator[tuple[Located[Any], str, str]]:
    """The references in ``loc`` to an attribute that holds a secret (``data/secrets.yaml``):
    the value itself, the parts of a string built around one, the elements of an encoded
    structure and the branches of a conditional."""
    value = loc.value
    if isinstance(value, UnresolvedText):
        for part in value.parts:
            if isinstance(part, Located):
                yield from _secret_references(part, app, attributes)
    elif isinstance(value, UnresolvedEncoding):
        if isinstance(value.structure, Located):
            yield from _secret_references(value.structure, app, attributes)
    elif isinstance(value, Unresolved) and loc.ref is not None and loc.ref in app.resources:
        rtype = app.resources[loc.ref][0]
        attr = _attribute(value.expr, rtype) if rtype in attributes else None
        if attr is not None and attr in attributes[rtype]:
            yield loc, rtype, attr
    elif isinstance(value, (dict, tuple)):
        for item in value.values() if isinstance(value, dict) else value:
            if isinstance(item, Located):
                yield from _secret_references(item, app, attributes)
    for cand in loc.candidates:
        yield from _secret_references(cand, app, attributes)


_INDEX = re.compile(r"\[[^\]]*\]")


def _attribute(expr: str, rtype: str) -> str | None:
    """The attribute a reference reads, from its text.

    The model says which resource a value refers to (``Located.ref``, and the resource's type
    in ``Application.resources``) but not which of its attributes: only the text of the
    unresolved expression has it. Terraform is the one dialect that writes it this way
    (``aws_iam_access_key.ci["a"].secret``, ``module.m.random_password.db.result`` in a plan):
    the attribute is the step after the resource's type and name. A reference text of another
    form names no attribute here, and the rule stays silent on it."""
    steps = _INDEX.sub("", expr).split(".")
    for i, step in enumerate(steps[:-2]):
        if step == rtype:
            return steps[i + 2]
    return None
