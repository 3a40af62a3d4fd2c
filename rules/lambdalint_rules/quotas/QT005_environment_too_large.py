from __future__ import annotations

import json
from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules.quotas._common import SAM_HEADER, shortest_text


def measured_size(pairs: dict[str, str]) -> int:
    """Bytes of the variables as Lambda measures them: compact JSON, UTF-8 (lambda-facts E1a)."""
    return len(json.dumps(pairs, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


class EnvironmentTooLarge(FunctionRule):
    """Environment variables larger than 4 KB in total.

    Lambda measures the whole `Variables` map serialized as compact JSON, in UTF-8 bytes: keys,
    values, quotes, colons, commas and braces all count, and a non-ASCII character counts two to
    four bytes. SAM `Globals` variables are included. When some values are not known (a
    `!Ref`, `!GetAtt` or `!Sub` of a resource), they are counted as empty: the finding is only
    reported when even that lower bound is over the limit.

    ## Why is this bad?
    Lambda rejects the configuration ("exceeded the 4KB limit"), so the deployment fails.

    ## How to fix
    Keep large configuration in SSM Parameter Store, Secrets Manager, AppConfig or S3, and put
    only its name in an environment variable.
    """

    id = "QT005"
    name = "environment-too-large"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota", "environment")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
    )
    bad_example = SAM_HEADER + "      Environment:\n        Variables:\n          BLOB: " + "x" * 4100 + "\n"
    good_example = SAM_HEADER + "      Environment:\n        Variables:\n          BLOB: " + "x" * 4000 + "\n"

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        env = fn.environment
        if env is None or env.unresolved:
            return
        limit = ctx.quotas["environment-bytes-max"]
        pairs: dict[str, str] = {}
        partial = False
        for var in env.variables:
            key = var.key.known()
            if not isinstance(key, str) or var.value.may_be_absent():
                # a variable that may not be set is left out: the size stays a lower bound
                partial = True
                continue
            value = var.value.known()
            if isinstance(value, str):
                pairs[key] = value
                continue
            # several values, or none, known: the smallest it may take, or the empty string
            # when it may take a value the template does not determine
            partial = True
            pairs[key] = shortest_text(var.value, _json_size) or ""
        size = measured_size(pairs)
        if size <= limit:
            return
        bound = "at least " if partial else ""
        yield self.finding(
            env.source,
            f"Function {fn.display_name} has environment variables of {bound}{size:,} bytes, over the "
            f"{limit:,}-byte limit Lambda enforces. Move large values to SSM Parameter Store, Secrets "
            f"Manager or S3 and pass only their names.",
            resource=fn.id,
            resource_source=fn.source,
        )


def _json_size(text: str) -> int:
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8"))
