from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.references import is_version_number
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.aliases._common import alias

_URL = ("  Url:\n    Type: AWS::Lambda::Url\n    Properties:\n      TargetFunctionArn: !Ref Fn\n"
        "      AuthType: AWS_IAM\n")


class FunctionUrlOnVersion(ApplicationRule):
    """A function URL's qualifier is a version number, not an alias.

    ## Why is this bad?
    A function URL can be attached to the unqualified function or to an alias, never to a
    version: CreateFunctionUrlConfig refuses a version number, so the deployment fails.

    ## How to fix
    Create an alias for the version and use the alias name as the qualifier.
    """

    id = "AL008"
    name = "function-url-on-version"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("alias", "function-url")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunctionUrlConfig.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html",
    )
    bad_example = alias() + _URL + "      Qualifier: \"1\"\n"
    good_example = alias() + _URL + "      Qualifier: live\n"

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        for url in app.function_urls:
            if url.qualifier is None:
                continue
            fn = app.functions.get(url.function.ref or "")
            if is_version_number(url.qualifier, app):
                yield self.at(url.qualifier, f"Function URL {url.id} targets a published version (the qualifier "
                                             f"is the version's number); a URL can target only an alias or the "
                                             f"unqualified function. Create an alias and use its name.", fn=fn)
                continue
            for value in url.qualifier.possible():
                text = value.known()
                if isinstance(text, (str, int)) and str(text).isdigit():
                    yield self.at(value, f"Function URL {url.id} targets version {text}; a URL can target only an "
                                         f"alias or the unqualified function. Create an alias and use its name.",
                                  fn=fn)
