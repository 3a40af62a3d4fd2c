from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules._examples import sam_function


class SnapstartWithoutPublishedVersion(FunctionRule):
    """SnapStart is on, but the application publishes no version of the function.

    Counts `AWS::Lambda::Version` resources, SAM `AutoPublishAlias` and Terraform
    `publish = true`. Functions of the Terraform lambda module are not judged.

    ## Why is this bad?
    SnapStart snapshots are taken only when a version is published, and only invocations of a
    version or alias use them. Without a published version the setting does nothing and cold
    starts stay as slow as before.

    ## How to fix
    Publish versions (`AutoPublishAlias: live` in SAM, `publish = true` in Terraform, or an
    `AWS::Lambda::Version`) and invoke the function through an alias.
    """

    id = "AL009"
    name = "snapstart-without-published-version"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("snapstart", "alias")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html",
    )
    bad_example = sam_function("      SnapStart:\n        ApplyOn: PublishedVersions\n", runtime="java21")
    good_example = sam_function("      AutoPublishAlias: live\n      SnapStart:\n        ApplyOn: PublishedVersions\n",
                                runtime="java21")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.snap_start is None or fn.snap_start.known() != "PublishedVersions":
            return
        if fn.resource_type.startswith("module:"):
            return
        for version in ctx.app.versions.values():
            if version.function.ref is None or fn.named_by(version.function.ref):
                return  # a version of this function (or one we cannot tell)
        yield self.at(fn.snap_start, f"Function {fn.display_name} turns SnapStart on but no version of it is "
                                     f"published, so no snapshot is ever taken. Publish versions and invoke an alias.",
                      fn=fn)
