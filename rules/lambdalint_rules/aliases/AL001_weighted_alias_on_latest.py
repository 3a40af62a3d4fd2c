from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.aliases._common import alias

_ROUTING = ("      RoutingConfig:\n        AdditionalVersionWeights:\n"
            "          - {FunctionVersion: \"1\", FunctionWeight: 0.1}\n")


class WeightedAliasOnLatest(ApplicationRule):
    """An alias with weighted routing points at `$LATEST`.

    ## Why is this bad?
    Traffic shifting works only between published versions: CreateAlias and UpdateAlias refuse
    routing when the alias (or the additional version) is `$LATEST`, so the deployment fails.

    ## How to fix
    Publish a version (`AWS::Lambda::Version`, SAM `AutoPublishAlias`, Terraform
    `publish = true`) and point the alias at it.
    """

    id = "AL001"
    name = "weighted-alias-on-latest"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("alias",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html",
        "https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html",
    )
    bad_example = alias(version="$LATEST", routing=_ROUTING)
    good_example = alias(version='"2"', routing=_ROUTING)

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        for a in app.aliases.values():
            if not a.routing:
                continue
            fn = app.functions.get(a.function.ref or "")
            targets = [a.function_version] if a.function_version is not None else []
            targets += [version for version, _ in a.routing]
            for target in targets:
                for value in target.possible():
                    if value.known() == "$LATEST":
                        yield self.at(value, f"Alias {a.id} shifts traffic between versions but points at $LATEST; "
                                             f"weighted routing needs published versions. Publish a version and "
                                             f"point the alias at it.", fn=fn)
