"""Hand-built rules, findings and run results shared by the reporter tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from lambdalint.model import LambdaFunction, Suppression, replace
from lambdalint.result import RunResult
from lambdalint.rule import Context, Finding, FunctionRule, Related, Rule, Severity
from lambdalint.values import SourceRef
from lambdalint_rules.meta.LL000_parse_error import ParseError

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
"""


class _TestRule(FunctionRule):
    _abstract = True
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",)
    bad_example = SAM + "      MemorySize: 20000\n"
    good_example = SAM + "      MemorySize: 512\n"

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        return iter(())


class MemoryTooLarge(_TestRule):
    """Memory above the Lambda maximum.

    Lambda functions take 128 to 10240 MB of memory.

    ## Why is this bad?
    The deployment fails.

    ## How to fix
    Lower `MemorySize`.
    """

    id = "QT901"
    name = "memory-too-large"
    severity = Severity.ERROR
    tags: ClassVar[tuple[str, ...]] = ("quotas", "lambda")


class AdminPolicy(_TestRule):
    """A function role allows every action on every resource.

    A statement with `Action: "*"` and `Resource: "*"` makes the function an administrator.

    ## Why is this bad?
    Whoever controls the function's code controls the account.
    """

    id = "IM901"
    name = "admin-policy"
    severity = Severity.ERROR
    tags = ("iam", "external/cwe/cwe-269")
    precision = "high"
    security_severity = "8.8"


class RecursiveLoop(_TestRule):
    """A function writes to the source that triggers it.

    ## Why is this bad?
    The loop runs until concurrency or budget runs out.
    """

    id = "RC901"
    name = "recursive-loop"
    severity = Severity.WARNING
    precision = "medium"


class ReservedConcurrencyNote(_TestRule):
    """Reserved concurrency is not set.

    ## Why is this bad?
    A noisy function can starve the others.
    """

    id = "EV901"
    name = "no-reserved-concurrency"
    severity = Severity.NOTE
    kind = "soft"


RULES: list[type[Rule]] = [ReservedConcurrencyNote, AdminPolicy, ParseError, MemoryTooLarge, RecursiveLoop]


def ref(path: str, line: int, column: int = 7, end_line: int | None = None, end_column: int | None = None,
        pointer: str = "") -> SourceRef:
    return SourceRef(path, line, column, end_line if end_line is not None else line,
                     end_column if end_column is not None else column + 10, pointer)


def finding(rule: type[Rule], source: SourceRef, message: str, *, resource: str | None = None,
            severity: Severity | None = None, related: tuple[Related, ...] = (),
            flow: tuple[Related, ...] = ()) -> Finding:
    return Finding(rule.id, message, source, severity or rule.severity, resource=resource,
                   related=related, flow=flow)


def shifted(f: Finding, lines: int) -> Finding:
    """``f`` moved down by ``lines`` (unrelated lines added above it)."""
    s = f.source
    src = SourceRef(s.path, s.line + lines, s.column, s.end_line + lines, s.end_column, s.pointer)
    rel = tuple(
        Related(replace(r.source, line=r.source.line + lines, end_line=r.source.end_line + lines),
                r.message)
        for r in f.related
    )
    return replace(f, source=src, related=rel)


def sample_findings() -> list[Finding]:
    fn_ptr = "/Resources/Fn/Properties"
    found = [
        finding(MemoryTooLarge, ref("./app/template.yaml", 12, 19, pointer=f"{fn_ptr}/MemorySize"),
                "Function Fn has 20000 MB of memory; Lambda allows at most 10240 MB.", resource="Fn",
                related=(Related(ref("app/template.yaml", 3, 5, pointer="/Globals/Function/MemorySize"),
                                 "the Globals value it inherits"),)),
        finding(AdminPolicy, ref("app/template.yaml", 20, 13, pointer="/Resources/Role/Properties/Policies"),
                "Role of Fn allows every action on every resource.", resource="Role"),
        finding(RecursiveLoop, ref("app/template.yaml", 30, 7, pointer="/Resources/Fn/Properties/Events/Q"),
                "Fn writes to queue Q, which triggers Fn: a recursive loop.", resource="Fn",
                flow=(Related(ref("app/template.yaml", 30, 7), "queue Q triggers Fn"),
                      Related(ref("app/template.yaml", 41, 9), "Fn sends messages to queue Q"))),
        # a severity override: the finding's level differs from the rule's default
        finding(ReservedConcurrencyNote, ref("app/template.yaml", 33, 7, pointer=f"{fn_ptr}"),
                "Fn has no reserved concurrency.", resource="Fn", severity=Severity.WARNING),
        finding(ParseError, ref("broken.yaml", 4, 1, end_column=2),
                "YAML parse error: did not find expected node content."),
        finding(ReservedConcurrencyNote, ref("other dir/t,1.json", 2, 3, pointer="/Resources/Other"),
                "Other has no reserved concurrency.", resource="Other"),
    ]
    return sorted(found, key=Finding.sort_key)


def sample_result(*, suppressed: bool = False) -> RunResult:
    big = ref("app/template.yaml", 50, 19, pointer="/Resources/Big/Properties/MemorySize")
    message = "Function Big has 20000 MB of memory; Lambda allows at most 10240 MB."
    dropped = [finding(MemoryTooLarge, big, message, resource="Big")]
    comment = Suppression("QT001", "sized for the nightly import", ref("app/template.yaml", 50, 25), "line")
    return RunResult(findings=sample_findings(), rules=sorted(RULES, key=lambda r: r.id),
                     suppressed=dropped if suppressed else [], suppressed_by=[comment] if suppressed else [],
                     files=["app/template.yaml", "broken.yaml", "other dir/t,1.json", "clean.yaml"])


def empty_result() -> RunResult:
    return RunResult(findings=[], rules=sorted(RULES, key=lambda r: r.id), files=["clean.yaml"])
