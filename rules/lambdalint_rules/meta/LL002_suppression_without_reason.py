from __future__ import annotations

from collections.abc import Iterator

from lambdalint.rule import Finding, Severity, SuppressionReport, SuppressionRule


class SuppressionWithoutReason(SuppressionRule):
    """A suppression with no reason.

    Every suppression must say why the finding is acceptable: the text after the closing
    bracket of `# lambdalint: ignore[ID]`, or the `reason` of a `Metadata` ignore entry.
    The suppression still applies; the missing reason is reported.

    ## Why is this bad?
    A suppression without a reason cannot be reviewed: nobody can tell later whether the
    risk was accepted on purpose or silenced to get a build green.

    ## How to fix
    Add the reason: `# lambdalint: ignore[QT002] batch job, tested at 15 min in SEC-123`, or
    `{rule: QT002, reason: ...}` in Metadata.
    """

    id = "LL002"
    name = "suppression-without-reason"
    severity = Severity.WARNING
    kind = "meta"
    tags = ("lambdalint",)
    references = ("https://docs.astral.sh/ruff/linter/#error-suppression",)
    bad_example = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Timeout: 1200  # lambdalint: ignore[QT002]
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
        for s in report.all:
            if not s.reason:
                yield self.finding(
                    s.source,
                    f"Suppression of {s.rule} gives no reason. Say why the finding is acceptable.",
                    resource=s.resource,
                )
