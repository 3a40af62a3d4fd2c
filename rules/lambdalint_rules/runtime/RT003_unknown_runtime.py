from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Severity
from lambdalint_rules._examples import sam_function
from lambdalint_rules.runtime._lifecycle import known_runtimes


class UnknownRuntime(FunctionRule):
    """A runtime identifier Lambda does not know.

    The identifier is checked against cfn-lint's runtime lifecycle table plus the identifiers
    of the Lambda API that table does not list yet (`data/runtimes.yaml`).

    ## Why is this bad?
    The deployment fails: the API validates `Runtime` against its list of identifiers.

    ## How to fix
    Use one of the identifiers `lambdalint` suggests, for example `python3.13` rather than
    `python3.13.1` or `python-3.13`.
    """

    id = "RT003"
    name = "unknown-runtime"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("runtime",)
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",)
    bad_example = sam_function(runtime="python-3.13")
    good_example = sam_function(runtime="python3.13")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        known = known_runtimes(ctx.data)
        if fn.runtime is None or known is None:
            return
        for v in fn.runtime.possible():
            name = str(v.value)
            if name in known:
                continue
            import difflib  # only when a runtime is unknown

            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            yield self.at(v, f"Function {fn.display_name} uses runtime {name!r}, which Lambda does not know.{hint}",
                          fn=fn)
