"""lambdalint's rules inside cfn-lint (``--append-rules lambdalint.cfnlint``), through cfn-lint's
own Python API."""

from __future__ import annotations

from pathlib import Path

import pytest

cfnlint_api = pytest.importorskip("cfnlint.api")  # a dependency of lambdalint: always there

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://bucket/key.zip
      Timeout: 1200
      MemorySize: 256
"""


def lint(path: Path, **config: object) -> list[tuple[str, int, int, str]]:
    from cfnlint.config import ManualArgs

    args = ManualArgs(append_rules=["lambdalint.cfnlint"], regions=["us-east-1"], **config)  # type: ignore[typeddict-item]
    matches = cfnlint_api.lint_file(path, config=args)
    return [(m.rule.id, m.linenumber, m.columnnumber, m.message) for m in matches]


def test_lambdalint_findings_come_out_of_cfn_lint_at_their_exact_place(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    found = [m for m in lint(tmp_path / "template.yaml") if m[0].startswith(("E9", "W9", "I9"))]
    assert [(rule, line, column) for rule, line, column, _ in found] == [("E9102", 9, 16)]
    assert found[0][3].endswith("(lambdalint QT002)") and "1,200 s" in found[0][3]


def test_cfn_lint_options_apply_to_them(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    assert not [m for m in lint(tmp_path / "template.yaml", ignore_checks=["E9102"]) if m[0] == "E9102"]


def test_every_rule_but_the_meta_rules_has_a_stable_cfn_lint_id() -> None:
    from lambdalint.cfnlint import cfn_lint_id
    from lambdalint.registry import all_rules

    ids = {r.id: cfn_lint_id(r) for r in all_rules()}
    assert ids["QT002"] == "E9102" and ids["IM007"] == "I9307" and ids["LL000"] is None
    given = [i for i in ids.values() if i is not None]
    assert len(given) == len(set(given)) == sum(1 for r in ids if not r.startswith("LL"))
