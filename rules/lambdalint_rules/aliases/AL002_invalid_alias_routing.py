from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import Application
from lambdalint.references import same_value
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.aliases._common import alias, number


def _routing(*weights: tuple[str, str]) -> str:
    return ("      RoutingConfig:\n        AdditionalVersionWeights:\n"
            + "".join(f"          - {{FunctionVersion: \"{v}\", FunctionWeight: {w}}}\n" for v, w in weights))


class InvalidAliasRouting(ApplicationRule):
    """An alias routing configuration Lambda refuses.

    Flags more than one additional version, a weight outside 0.0–1.0, and an additional
    version equal to the alias's own version.

    ## Why is this bad?
    An alias routes to at most two versions: its own and one more, with a weight between 0
    and 1. CreateAlias and UpdateAlias refuse anything else, so the deployment fails.

    ## How to fix
    Keep one additional version, different from the alias's version, with a weight between 0
    and 1 (0.1 sends 10% of invocations to it).
    """

    id = "AL002"
    name = "invalid-alias-routing"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("alias",)
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html",
        "https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html",
    )
    bad_example = alias(version='"2"', routing=_routing(("1", "1.5")))
    good_example = alias(version='"2"', routing=_routing(("1", "0.1")))

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        most = number(ctx, "alias", "routing-max-versions")
        low, high = number(ctx, "alias", "weight-min"), number(ctx, "alias", "weight-max")
        for a in app.aliases.values():
            fn = app.functions.get(a.function.ref or "")
            own = a.function_version.known() if a.function_version is not None else None
            for i, (version, weight) in enumerate(a.routing):
                if i >= most:
                    yield self.at(version, f"Alias {a.id} routes to {len(a.routing)} additional versions; Lambda "
                                           f"allows {most}. Keep one.", fn=fn)
                for w in weight.possible():
                    value = w.known()
                    if isinstance(value, (int, float)) and not low <= value <= high:
                        which = f"version {version.known()}" if version.is_known() else "its additional version"
                        yield self.at(w, f"Alias {a.id} gives {which} the weight {value}; "
                                         f"weights are between {low} and {high}.", fn=fn)
                if same_value(a.function_version, version):
                    which = f"its own version {own}" if own is not None else "its own version"
                    yield self.at(version, f"Alias {a.id} lists {which} as the additional version; "
                                           f"route to a different version.", fn=fn)
