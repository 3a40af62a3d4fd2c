"""The Python API: ``from lambdalint import lint``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import templates

from lambdalint import lint
from lambdalint.api import LintError
from lambdalint.config import ConfigError

SLOW = templates.SLOW + "      MemorySize: 64\n"


def test_lint_returns_the_findings(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(SLOW)
    result = lint([tmp_path / "t.yaml"], select=["QT"], root=str(tmp_path))
    assert [(f.rule_id, f.source.path, f.source.line) for f in result.findings] == [
        ("QT002", "t.yaml", 9), ("QT001", "t.yaml", 10)]
    assert result.files == ["t.yaml"]
    assert [f.rule_id for f in lint(str(tmp_path), select=["QT"], ignore=["QT001"], root=str(tmp_path)).findings] == [
        "QT002"]


def test_lint_uses_the_config_and_a_baseline(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(SLOW)
    (tmp_path / "lambdalint.toml").write_text('select = ["QT002"]\n')
    assert [f.rule_id for f in lint(tmp_path, root=str(tmp_path)).findings] == ["QT002"]
    from lambdalint.baseline import render

    (tmp_path / "baseline.json").write_text(render(lint(tmp_path, root=str(tmp_path)).findings))
    result = lint(tmp_path, root=str(tmp_path), baseline=str(tmp_path / "baseline.json"))
    assert result.findings == [] and len(result.suppressed) == 1


def test_lint_raises_instead_of_printing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FileNotFoundError, match=r"missing\.yaml"):
        lint(tmp_path / "missing.yaml", root=str(tmp_path))
    with pytest.raises(ConfigError, match="unknown rule selector"):
        lint(tmp_path, select=["NOPE"], root=str(tmp_path))
    (tmp_path / "t.yaml").write_text(SLOW)
    from lambdalint_rules.quotas import QT002_timeout_out_of_range as module

    def broken(*args: object) -> None:
        raise ValueError("a rule bug")

    monkeypatch.setattr(module.TimeoutOutOfRange, "check", broken)
    with pytest.raises(LintError, match="internal error in rule QT002") as info:
        lint(tmp_path, select=["QT"], root=str(tmp_path))
    assert [f.rule_id for f in info.value.result.findings] == ["QT001"]  # what the other rules found
    assert info.value.errors == info.value.result.errors != []


def test_importing_the_package_stays_cheap() -> None:
    code = "import sys, lambdalint; print(sorted(m for m in sys.modules if m.startswith('lambdalint')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['lambdalint']"
