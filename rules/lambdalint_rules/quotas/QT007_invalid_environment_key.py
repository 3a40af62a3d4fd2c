from __future__ import annotations

import re
from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules.quotas._common import SAM_HEADER

# the API's EnvironmentVariableName pattern, applied to the whole key (lambda-facts E2)
_KEY = re.compile(r"[a-zA-Z][a-zA-Z0-9_]+")


class InvalidEnvironmentKey(FunctionRule):
    """An environment variable key Lambda does not accept.

    Keys must start with a letter, contain only letters, digits and underscores, and be at
    least two characters long (`[a-zA-Z][a-zA-Z0-9_]+` over the whole key). So `smtp-host`,
    `2FA`, `app.name` and `X` are all rejected.

    ## Why is this bad?
    The API rejects the configuration ("Map keys must satisfy constraint"), so the deployment
    fails.

    ## How to fix
    Rename the key: `SMTP_HOST`, `TWO_FA`, `APP_NAME`.
    """

    id = "QT007"
    name = "invalid-environment-key"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota", "environment")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/api/API_Environment.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
    )
    bad_example = SAM_HEADER + "      Environment:\n        Variables:\n          smtp-host: mail.example.com\n"
    good_example = SAM_HEADER + "      Environment:\n        Variables:\n          SMTP_HOST: mail.example.com\n"

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.environment is None:
            return
        for var in fn.environment.variables:
            key = var.key.known()
            if not isinstance(key, str) or _KEY.fullmatch(key):
                continue
            why = "is a single character" if len(key) == 1 and key.isalpha() else (
                "does not start with a letter" if not key[:1].isalpha() or not key[:1].isascii()
                else "contains characters other than letters, digits and underscores")
            yield self.at(var.key, f"Function {fn.display_name} has environment variable key {key!r}, which "
                                   f"Lambda rejects: it {why}. Use letters, digits and underscores, starting "
                                   f"with a letter, at least two characters.", fn=fn)
