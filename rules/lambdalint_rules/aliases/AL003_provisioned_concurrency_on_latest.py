from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules._examples import sam_function


class ProvisionedConcurrencyOnLatest(FunctionRule):
    """Provisioned concurrency on `$LATEST`, or in SAM without `AutoPublishAlias`.

    Covers an `AWS::Lambda::Alias` with `ProvisionedConcurrencyConfig` that points at
    `$LATEST`, `aws_lambda_provisioned_concurrency_config` with `qualifier = "$LATEST"`, and a
    SAM function with `ProvisionedConcurrencyConfig` but no `AutoPublishAlias` (SAM applies it
    to the alias it publishes, and refuses it without one).

    ## Why is this bad?
    Provisioned concurrency needs a published version or an alias on one: Lambda refuses it on
    `$LATEST` and the SAM transform refuses it without an alias, so the deployment fails.

    ## How to fix
    Publish a version (`AutoPublishAlias: live` in SAM, `publish = true` in Terraform) and set
    provisioned concurrency on its alias.
    """

    id = "AL003"
    name = "provisioned-concurrency-on-latest"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("concurrency", "alias")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html",
    )
    bad_example = sam_function("      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 5\n")
    good_example = sam_function("      AutoPublishAlias: live\n      ProvisionedConcurrencyConfig:\n"
                                "        ProvisionedConcurrentExecutions: 5\n")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        for setting in fn.provisioned_on_latest:
            # under an Fn::If, each branch that sets it (one that leaves it out is no error)
            for pc in list(setting.possible()) or [setting]:
                yield self.at(pc, f"Function {fn.display_name} sets provisioned concurrency on $LATEST (no published "
                                  f"version or alias carries it): Lambda refuses it. Publish a version and set it "
                                  f"on its alias.", fn=fn)
