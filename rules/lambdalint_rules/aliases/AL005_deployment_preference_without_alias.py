from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint.values import Located
from lambdalint_rules._examples import sam_function


def _certainly_enabled(enabled: Located[Any]) -> bool:
    """The SAM transform checks the alias only for an enabled preference: ``Enabled`` is false
    for ``false``, ``"false"`` and ``"False"`` (and other falsy values). A value the template
    does not determine (a parameter, even one with a default) counts as enabled only when every
    candidate is."""
    values = [v.value for v in enabled.possible()]
    if not enabled.is_known() and (not values or enabled.may_be_absent()):
        return False
    return bool(values) and all(bool(v) and v not in ("false", "False") for v in values)


class DeploymentPreferenceWithoutAlias(FunctionRule):
    """A SAM function has `DeploymentPreference` but no `AutoPublishAlias`.

    ## Why is this bad?
    Gradual deployments shift traffic between two published versions through the alias SAM
    creates for `AutoPublishAlias`; without it the SAM transform refuses the template ("'DeploymentPreference'
    requires AutoPublishAlias property to be specified"), so the deployment fails.

    ## How to fix
    Add `AutoPublishAlias: live` (or another alias name) to the function.
    """

    id = "AL005"
    name = "deployment-preference-without-alias"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("alias", "deployment")
    dialects = ("sam",)
    references = (
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html",
    )
    bad_example = sam_function("      DeploymentPreference:\n        Type: Canary10Percent5Minutes\n")
    good_example = sam_function("      AutoPublishAlias: live\n      DeploymentPreference:\n"
                                "        Type: Canary10Percent5Minutes\n")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        pref = fn.deployment_preference
        if pref is None or fn.auto_publish_alias is not None:
            return
        if not isinstance(pref.value, dict):
            return  # not a mapping we can read (a parameter, an Fn::If): nothing is certain
        enabled = pref.value.get("Enabled")
        if enabled is not None and not _certainly_enabled(enabled):
            return
        yield self.at(pref, f"Function {fn.display_name} sets DeploymentPreference without AutoPublishAlias: the "
                            f"SAM transform refuses it. Add AutoPublishAlias.", fn=fn)
