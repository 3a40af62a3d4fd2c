from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application, replace
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules._examples import sam_function


class FunctionUrlWithoutAuth(ApplicationRule):
    """A function URL has `AuthType: NONE`.

    Covers `AWS::Lambda::Url`, SAM `FunctionUrlConfig`, `aws_lambda_function_url` and the
    Terraform lambda module's `create_lambda_function_url` (whose `authorization_type`
    defaults to `NONE`).

    ## Why is this bad?
    Anyone on the internet who learns the URL can call the function: no signature, no identity,
    no throttling per caller. That is right for a public webhook that checks its own
    signature, and a costly mistake for anything else.

    ## How to fix
    Use `AuthType: AWS_IAM` and sign requests with SigV4 (CloudFront origin access control can
    sign for browsers), or put the function behind API Gateway with an authorizer. When the
    endpoint is public by design, suppress this finding with a reason.
    """

    id = "IM011"
    name = "function-url-without-auth"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("iam", "security", "function-url")
    security_severity = "6.5"
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
    )
    bad_example = sam_function("      FunctionUrlConfig:\n        AuthType: NONE\n")
    good_example = sam_function("      FunctionUrlConfig:\n        AuthType: AWS_IAM\n")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        for url in app.function_urls:
            if url.auth_type is None:
                continue
            target = url.function.ref or url.function.known() or "the function"
            # suppressions on the URL resource, or on the function for a URL it declares itself
            rid = url.function.ref if url.implicit and url.function.ref else url.id
            entry = app.resources.get(rid)
            for auth in url.auth_type.possible():
                if auth.known() != "NONE":
                    continue
                finding = self.at(auth, f"Function URL {url.id} of {target} has AuthType NONE: anyone who knows "
                                        f"the URL can invoke it; use AWS_IAM, or suppress with a reason if the "
                                        f"endpoint is public by design.")
                yield replace(finding, resource=rid, resource_source=entry[1] if entry else url.source)
