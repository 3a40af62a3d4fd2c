from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules._examples import sam_function


@cache
def _compiled(values: tuple[tuple[str, str], ...], names: str, placeholders: str) -> tuple[Any, ...]:
    return (tuple((n, re.compile(p)) for n, p in values), re.compile(names, re.IGNORECASE),
            re.compile(placeholders, re.IGNORECASE))


class SecretInEnvironment(FunctionRule):
    """An environment variable holds a literal secret.

    Two kinds of literal are reported (the patterns are in `data/secrets.yaml`): a value whose
    format identifies a credential whatever the variable is called (an AWS access key ID, a
    PEM private key, GitHub, Slack or Stripe tokens), and a literal under a name that says it
    is a secret (`DB_PASSWORD`, `API_KEY`, `CLIENT_SECRET`, ...). Not reported: values the
    input does not fix (parameters, `!Ref`, `{{resolve:secretsmanager:...}}`, `var.x`,
    references to `aws_secretsmanager_*` resources), names that point at a secret rather than
    hold it (`SECRET_ARN`, `TOKEN_TABLE`, `API_KEY_PARAMETER`), and obvious placeholders. The
    message never repeats the value.

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
        for var in fn.environment.variables:
            key, value = var.key.known(), var.value.known()
            if not isinstance(key, str) or not isinstance(value, str) or var.value.origin is not None:
                continue
            kind = next((n for n, p in values if p.search(value)), None)
            if kind is None:
                upper = key.upper()
                if (not names.search(upper) or upper.endswith(suffixes) or len(value) < table["min_length"]
                        or placeholders.match(value.strip())):
                    continue
                kind = "secret"
            what = f"a literal {kind}" if kind != "secret" else "a literal secret value"
            yield self.at(var.value, f"Function {fn.display_name}'s environment variable {key} holds {what}; "
                                     f"store it in Secrets Manager or Parameter Store and pass its name or ARN "
                                     f"instead.", fn=fn)
