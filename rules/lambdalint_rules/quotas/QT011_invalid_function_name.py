from __future__ import annotations

import re
from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules.quotas._common import SAM_HEADER

# the API's function-name pattern for a bare name (lambda-facts N1)
_NAME = re.compile(r"[a-zA-Z0-9_-]+")


class InvalidFunctionName(FunctionRule):
    """An explicit function name that is too long or has characters Lambda does not accept.

    A function name is at most 64 characters of letters, digits, hyphens and underscores.
    Only names the template determines are judged; generated names are left alone.

    ## Why is this bad?
    The deployment fails: CloudFormation and the API reject the name.

    ## How to fix
    Shorten the name or replace the other characters with `-` or `_`; or leave `FunctionName`
    out and let CloudFormation generate a name.
    """

    id = "QT011"
    name = "invalid-function-name"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota",)
    references = ("https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName",)
    bad_example = SAM_HEADER + "      FunctionName: orders.api.v2\n"
    good_example = SAM_HEADER + "      FunctionName: orders-api-v2\n"

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.name is None:
            return
        limit = ctx.quotas["function-name-max"]
        for v in fn.name.possible():
            name = v.value
            if not isinstance(name, str):
                continue
            if len(name) > limit:
                yield self.at(v, f"Function {fn.id} has the name {name!r} of {len(name)} characters, longer than "
                                 f"the {limit} Lambda allows. Shorten it.", fn=fn)
            elif not _NAME.fullmatch(name):
                yield self.at(v, f"Function {fn.id} has the name {name!r}, which Lambda rejects: use only "
                                 f"letters, digits, hyphens and underscores.", fn=fn)
