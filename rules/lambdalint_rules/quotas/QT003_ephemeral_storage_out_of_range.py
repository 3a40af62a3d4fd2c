from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules.quotas._common import SAM_HEADER, mb


class EphemeralStorageOutOfRange(FunctionRule):
    """EphemeralStorage size outside the range Lambda accepts.

    The `/tmp` storage of a function (`EphemeralStorage.Size`) must be 512 to 10,240 MB.

    ## Why is this bad?
    The deployment fails when the function is created or updated with a size outside that
    range.

    ## How to fix
    Set `EphemeralStorage.Size` between 512 and 10,240 MB; keep larger data in S3 or EFS.
    """

    id = "QT003"
    name = "ephemeral-storage-out-of-range"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html",
    )
    bad_example = SAM_HEADER + "      EphemeralStorage:\n        Size: 20480\n"
    good_example = SAM_HEADER + "      EphemeralStorage:\n        Size: 10240\n"

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.ephemeral_storage is None:
            return
        low, high = ctx.quotas["ephemeral-storage-min"], ctx.quotas["ephemeral-storage-max"]
        for v in fn.ephemeral_storage.possible():
            size = v.value
            if not isinstance(size, int) or isinstance(size, bool):
                continue
            if low <= size <= high:
                continue
            where = f"below the minimum of {mb(low)}" if size < low else f"above the maximum of {mb(high)}"
            yield self.at(v, f"Function {fn.display_name} sets EphemeralStorage.Size {mb(size)}, {where}. "
                             f"Use {mb(low)} to {mb(high)}.", fn=fn)
