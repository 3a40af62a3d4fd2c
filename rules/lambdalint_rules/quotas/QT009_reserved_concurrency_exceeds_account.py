from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.quotas._common import SAM_HEADER, least_int


class ReservedConcurrencyExceedsAccount(ApplicationRule):
    """Reserved concurrency leaves less than 100 unreserved in the account.

    Lambda keeps at least 100 concurrent executions unreserved. The reserved concurrency of the
    application's functions is added up (for a value with several candidates, the smallest)
    and compared with the account's concurrency quota, 1,000 by default: set
    `account-concurrency` under `[tool.lambdalint.quotas]` to your account's quota. Other
    stacks in the same account reserve concurrency too, so this is a lower bound.

    ## Why is this bad?
    Lambda rejects the reservation ("decreases account's UnreservedConcurrentExecution below
    its minimum value of [100]"), so the deployment fails.

    ## How to fix
    Reserve less, or ask AWS for a higher concurrency quota and set `account-concurrency`
    accordingly.
    """

    id = "QT009"
    name = "reserved-concurrency-exceeds-account"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota", "concurrency")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
    )
    bad_example = SAM_HEADER + "      ReservedConcurrentExecutions: 950\n"
    good_example = SAM_HEADER + "      ReservedConcurrentExecutions: 50\n"

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        account = ctx.quotas["account-concurrency"]
        floor = ctx.quotas["unreserved-concurrency-min"]
        total = 0
        for fid in sorted(app.functions):
            fn = app.functions[fid]
            if fn.reserved_concurrency is None:
                continue
            # the smallest value it may take; nothing when it may be unknown or absent, so the
            # total stays a certain lower bound
            smallest = least_int(fn.reserved_concurrency)
            if smallest is None:
                continue
            amount = smallest.value
            if not isinstance(amount, int) or amount <= 0:  # Terraform's -1: no reservation
                continue
            before = total
            total += amount
            if account - total < floor <= account - before:
                left = f", which leaves {account - total:,} unreserved" if total <= account else ""
                yield self.at(smallest, f"Function {fn.display_name} reserves {amount:,} concurrent executions, "
                                        f"bringing the application's reservations to {total:,} of the account's "
                                        f"{account:,}{left}; Lambda keeps at least {floor} unreserved. Reserve "
                                        f"less, or set [tool.lambdalint.quotas] account-concurrency to your "
                                        f"account's quota.", fn=fn)
