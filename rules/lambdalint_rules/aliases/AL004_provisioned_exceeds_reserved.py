from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules._examples import sam_function


class ProvisionedExceedsReserved(FunctionRule):
    """A function's provisioned concurrency is above its reserved concurrency.

    Provisioned concurrency is summed over every version and alias of the function (SAM
    `ProvisionedConcurrencyConfig`, aliases and versions, `aws_lambda_provisioned_concurrency_config`).

    ## Why is this bad?
    Provisioned environments count against the function's reserved concurrency. Lambda refuses
    more ("Requested Provisioned Concurrency should not be greater than the
    reservedConcurrentExecution for function"), so the deployment fails.

    ## How to fix
    Raise `ReservedConcurrentExecutions` to at least the provisioned total, or provision less.
    """

    id = "AL004"
    name = "provisioned-exceeds-reserved"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("concurrency",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html",
    )
    bad_example = sam_function("      AutoPublishAlias: live\n      ReservedConcurrentExecutions: 5\n"
                               "      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 10\n")
    good_example = sam_function("      AutoPublishAlias: live\n      ReservedConcurrentExecutions: 20\n"
                                "      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 10\n")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.reserved_concurrency is None or not fn.provisioned_concurrency:
            return
        reserved = fn.reserved_concurrency.known()
        if not isinstance(reserved, int):
            return
        total, where = 0, fn.provisioned_concurrency[0]
        conditional = 0
        for setting in fn.provisioned_concurrency:
            if setting.is_known():
                value = setting.known()
                if not isinstance(value, int):
                    return
                total += value
                continue
            # under an Fn::If, the branch that provisions most (a branch may leave it out); two
            # such settings may hang on exclusive conditions, so their sum is not judged
            branches = [c.known() for c in setting.possible()]
            conditional += 1
            if conditional > 1 or not setting.candidates or not branches \
                    or not all(isinstance(v, int) for v in branches):
                return
            biggest = max(v for v in branches if isinstance(v, int))
            total += biggest
            where = next(c for c in setting.possible() if c.known() == biggest)
        if total <= reserved:
            return
        yield self.at(where, f"Function {fn.display_name} provisions {total:,} concurrent executions but reserves "
                             f"only {reserved:,}: Lambda refuses it. Reserve at least {total:,}, or provision less.",
                      fn=fn, related=[Related(fn.reserved_concurrency.source, "reserved concurrency")])
