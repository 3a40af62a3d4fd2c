from __future__ import annotations

import re
from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.aliases._common import alias, number


class InvalidAliasName(ApplicationRule):
    """An alias name Lambda does not accept.

    Alias names are 1 to 128 letters, digits, `-` and `_`, and not all digits (which would read
    as a version number); `$LATEST` is reserved. Checked for `AWS::Lambda::Alias`,
    `aws_lambda_alias` and SAM `AutoPublishAlias`.

    ## Why is this bad?
    CreateAlias refuses the name, so the deployment fails (the SAM transform fails first for
    `AutoPublishAlias`).

    ## How to fix
    Use a name such as `live`, `prod` or `v2-canary`.
    """

    id = "AL007"
    name = "invalid-alias-name"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("alias",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html",
    )
    bad_example = alias(name='"2024"')
    good_example = alias(name="live")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        longest = number(ctx, "alias", "name-max-length")
        pattern = re.compile(number(ctx, "alias", "name-pattern"))
        for a in app.aliases.values():
            if a.name is None:
                continue
            for value in a.name.possible():
                text = value.known()
                if not isinstance(text, str):
                    continue
                problem = None
                if text == "$LATEST":
                    problem = "$LATEST is reserved for the unpublished version"
                elif not text:
                    problem = "it is empty"
                elif len(text) > longest:
                    problem = f"it is {len(text)} characters long, more than {longest}"
                elif text.isdigit():
                    problem = "it is all digits, which Lambda would read as a version number"
                elif not pattern.match(text):
                    problem = "it has characters other than letters, digits, - and _"
                if problem:
                    fid = a.function.ref or ""
                    fn = app.functions.get(fid)
                    yield self.at(value, f"Alias name {text!r} of {fn.display_name if fn else 'the function'} is "
                                         f"invalid: {problem}. Use letters, digits, - and _, not all digits.",
                                  fn=fn)
