"""What a run produces: the only thing reporters see."""

from __future__ import annotations

from msgspec import Struct, field

from lambdalint.model import Suppression
from lambdalint.rule import Finding, Rule


class RunResult(Struct):
    #: findings that count, after selection, severity overrides and suppressions; sorted by
    #: path, line, column, rule
    findings: list[Finding]
    #: every enabled rule class, sorted by id (SARIF ``tool.driver.rules`` order)
    rules: list[type[Rule]]
    #: findings a suppression (comment, Metadata, config, baseline) removed
    suppressed: list[Finding] = field(default_factory=list)
    #: what suppressed each of ``suppressed`` (same order): a comment, Metadata or baseline
    #: entry, or None for the config's ``per-file-ignores``; empty when not known
    suppressed_by: list[Suppression | None] = field(default_factory=list)
    #: every input file that was read as a template or Terraform unit
    files: list[str] = field(default_factory=list)
    #: the directory finding paths are relative to (the working directory)
    root: str = "."
    #: the repository the run checked (the git top level above ``root``, else ``root``): SARIF
    #: paths and fingerprints are relative to it, whatever directory lambdalint ran in
    repository: str | None = None
    #: internal errors of the run (a file lambdalint failed on): the run did not succeed
    errors: list[str] = field(default_factory=list)

    def rule(self, rule_id: str) -> type[Rule] | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None
