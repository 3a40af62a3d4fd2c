from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules.quotas._common import SAM_HEADER


class ReservedEnvironmentKey(FunctionRule):
    """An environment variable uses a key Lambda reserves.

    Lambda sets keys such as `AWS_REGION`, `AWS_LAMBDA_FUNCTION_NAME` or `_HANDLER` itself and
    refuses configurations that set them (the list is in `data/environment.yaml`). Keys Lambda
    lets users set, such as `AWS_LAMBDA_EXEC_WRAPPER`, `TZ` or `PATH`, are not flagged.

    ## Why is this bad?
    CreateFunction and UpdateFunctionConfiguration fail with "contains reserved keys that are
    currently not supported for modification", so the deployment fails.

    ## How to fix
    Remove the key and read the value Lambda provides at run time, or use a name of your own.
    """

    id = "QT006"
    name = "reserved-environment-key"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota", "environment")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime",
    )
    bad_example = SAM_HEADER + "      Environment:\n        Variables:\n          AWS_REGION: eu-west-1\n"
    good_example = SAM_HEADER + "      Environment:\n        Variables:\n          TARGET_REGION: eu-west-1\n"

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.environment is None:
            return
        reserved = set(ctx.data.table("environment")["reserved-keys"])
        for var in fn.environment.variables:
            key = var.key.known()
            if isinstance(key, str) and key in reserved:
                yield self.at(var.key, f"Function {fn.display_name} sets the reserved environment variable "
                                       f"{key}. Lambda sets it itself and rejects the configuration; remove it "
                                       f"or use another name.", fn=fn)
