"""Engine behaviour: suppressions, severity overrides, per-file ignores, selection."""

from __future__ import annotations

import os

import pytest

from lambdalint.config import Config
from lambdalint.engine import Engine, SelectionError, select_rules
from lambdalint.rule import Severity
from lambdalint.testing import DEFAULT_TODAY

BAD = """\
Resources:
  Fn:{fn_comment}
    Type: AWS::Lambda::Function
{metadata}    Properties:
      MemorySize: lots{line_comment}
"""


def run(tmp_path, text: str, **cfg) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.yaml"
    path.write_text(text)
    engine = Engine(Config(**{"select": ["LL"], **cfg}), today=DEFAULT_TODAY, root=str(tmp_path))
    result, _ = engine.run([str(path)])
    assert not engine.errors
    kept = [(f.rule_id, f.source.line) for f in result.findings]
    dropped = [(f.rule_id, f.source.line) for f in result.suppressed]
    return kept, dropped


def template(fn_comment: str = "", line_comment: str = "", metadata: str = "") -> str:
    return BAD.format(fn_comment=fn_comment, line_comment=line_comment, metadata=metadata)


def test_unsuppressed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert run(tmp_path, template()) == ([("LL000", 5)], [])


def test_comment_on_the_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    kept, dropped = run(tmp_path, template(line_comment="  # lambdalint: ignore[LL000] generated upstream"))
    assert kept == [] and dropped == [("LL000", 5)]


def test_comment_by_rule_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    kept, dropped = run(tmp_path, template(line_comment="  # lambdalint: ignore[parse-error] generated upstream"))
    assert kept == [] and dropped == [("LL000", 5)]


def test_comment_without_reason_still_suppresses_but_reports_ll002(tmp_path) -> None:  # type: ignore[no-untyped-def]
    kept, dropped = run(tmp_path, template(line_comment="  # lambdalint: ignore[LL000]"))
    assert kept == [("LL002", 5)] and dropped == [("LL000", 5)]


def test_unused_comment_is_ll001(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = template(line_comment="  # lambdalint: ignore[LL000] x").replace("lots", "512")
    kept, _ = run(tmp_path, text)
    assert kept == [("LL001", 5)]


def test_suppression_for_a_disabled_rule_is_not_judged(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = template(line_comment="  # lambdalint: ignore[LL000] x").replace("lots", "512")
    kept, _ = run(tmp_path, text, ignore=["LL000"])
    assert kept == []


def test_metadata_resource_suppression(tmp_path) -> None:  # type: ignore[no-untyped-def]
    meta = "    Metadata:\n      lambdalint:\n        ignore:\n          - {rule: LL000, reason: known}\n"
    kept, _ = run(tmp_path, template(metadata=meta))
    # LL000 findings carry no resource, so a resource-scoped suppression does not match them
    assert kept == [("LL001", 7), ("LL000", 9)]


def test_template_metadata_suppression(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "Metadata:\n  lambdalint:\n    ignore:\n      - rule: LL000\n        reason: vendored file\n" + template()
    kept, dropped = run(tmp_path, text)
    assert kept == [] and dropped == [("LL000", 10)]


def test_per_file_ignores_and_severity(tmp_path) -> None:  # type: ignore[no-untyped-def]
    kept, dropped = run(tmp_path, template(), per_file_ignores={"t.yaml": ["LL"]})
    assert kept == [] and dropped == [("LL000", 5)]
    path = tmp_path / "t.yaml"
    engine = Engine(Config(select=["LL"], severity={"LL000": "note"}), today=DEFAULT_TODAY, root=str(tmp_path))
    result, _ = engine.run([str(path)])
    assert [f.severity for f in result.findings] == [Severity.NOTE]


def test_selection_by_id_prefix_and_name() -> None:
    assert [r.id for r in select_rules(["LL000"], [])] == ["LL000"]
    assert [r.id for r in select_rules(["LL"], ["LL001"])] == ["LL000", "LL002"]
    assert [r.id for r in select_rules(["unused-suppression"], [])] == ["LL001"]
    with pytest.raises(SelectionError):
        select_rules(["XX999"], [])


def test_results_are_deterministic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        (tmp_path / f"t{i}.yaml").write_text(template())
    engine = Engine(Config(select=["LL"]), today=DEFAULT_TODAY, root=str(tmp_path))
    a, _ = engine.run([str(tmp_path)])
    b, _ = Engine(Config(select=["LL"]), today=DEFAULT_TODAY, root=str(tmp_path)).run([str(tmp_path)])
    assert [f.source.path for f in a.findings] == ["t0.yaml", "t1.yaml", "t2.yaml"]
    assert a.findings == b.findings
    assert os.path.basename(a.root) == os.path.basename(str(tmp_path))
