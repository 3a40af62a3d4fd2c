from __future__ import annotations

from collections.abc import Iterator

from lambdalint.rule import Finding, Severity, SuppressionReport, SuppressionRule


class UnusedSuppression(SuppressionRule):
    """A suppression that matched no finding.

    A `# lambdalint: ignore[...]` comment, a `Metadata` ignore entry, or a template-level
    ignore that suppressed nothing in this run; also an entry of the baseline file
    (`--baseline`) that matches no finding of a file the run checked. Suppressions for rules
    that are not enabled in the run are not judged.

    ## Why is this bad?
    A stale suppression hides the next real finding of that rule at the same place, and
    tells readers a problem exists where there is none.

    ## How to fix
    Delete the suppression, or correct its rule id and position.
    """

    id = "LL001"
    name = "unused-suppression"
    severity = Severity.WARNING
    kind = "meta"
    tags = ("lambdalint",)
    references = ("https://docs.astral.sh/ruff/rules/unused-noqa/",)
    bad_example = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Timeout: 30  # lambdalint: ignore[QT002] long jobs are fine here
"""
    good_example = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Timeout: 1200  # lambdalint: ignore[QT002] kept to show the deploy error in a workshop
"""

    def check_suppressions(self, report: SuppressionReport) -> Iterator[Finding]:
        for s in report.unused:
            if s.scope == "baseline":
                on = f" on {s.resource}" if s.resource else ""
                yield self.finding(
                    s.source,
                    f"Baseline entry for {s.rule}{on} in {s.path} matched no finding: it was fixed or has "
                    "changed. Write the baseline again (--write-baseline) to drop it.",
                    resource=s.resource,
                )
                continue
            where = f"resource {s.resource}" if s.resource else "this line" if s.scope == "line" else "this file"
            yield self.finding(
                s.source,
                f"Suppression of {s.rule} matched no finding on {where}. Remove it or fix the rule id.",
                resource=s.resource,
            )
