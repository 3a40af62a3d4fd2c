"""Baselines: --write-baseline FILE writes the run's findings, --baseline FILE reports only new
ones and LL001 for entries that no longer match; matching ignores line numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from templates import FUNCTION


def template(timeout: int, memory: int) -> str:
    """A function named Slow with this timeout (line 9) and memory size (line 10)."""
    return FUNCTION.replace("  Fn:", "  Slow:") + f"      Timeout: {timeout}\n      MemorySize: {memory}\n"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lambdalint", "check", "--format", "json", *args],
                          cwd=cwd, capture_output=True, text=True, check=False)


def rules(proc: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int]]:
    return [(f["rule"], f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"]]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "template.yaml").write_text(template(timeout=1200, memory=64))
    return tmp_path


def test_written_baseline_is_sorted_stable_reviewable_json(repo: Path) -> None:
    proc = run(repo, "--write-baseline", "baseline.json")
    assert proc.returncode == 0, proc.stderr
    assert "wrote 2 findings to the baseline baseline.json" in proc.stderr
    text = (repo / "baseline.json").read_text()
    data = json.loads(text)
    assert data["lambdalint_baseline"] == 1
    assert [(e["path"], e["rule"], e["resource"]) for e in data["findings"]] == [
        ("infra/template.yaml", "QT001", "Slow"), ("infra/template.yaml", "QT002", "Slow")]
    assert all(len(e["fingerprint"]) == 64 and e["message"] for e in data["findings"])
    assert len(text.splitlines()) == 7  # one entry per line
    run(repo, "--write-baseline", "again.json")
    assert (repo / "again.json").read_text() == text


def test_baseline_hides_known_findings_even_after_lines_move(repo: Path) -> None:
    assert run(repo, "--write-baseline", "baseline.json").returncode == 0
    template = repo / "infra" / "template.yaml"
    template.write_text("# a new comment\n" * 7 + template.read_text())
    proc = run(repo, "--baseline", "baseline.json")
    assert proc.returncode == 0, proc.stdout
    assert rules(proc) == []
    assert json.loads(proc.stdout)["summary"]["suppressed"] == 2


def test_new_findings_are_reported_and_stale_entries_are_ll001(repo: Path) -> None:
    assert run(repo, "--write-baseline", "baseline.json").returncode == 0
    (repo / "infra" / "template.yaml").write_text(template(timeout=1200, memory=128))  # memory fixed
    (repo / "infra" / "new.yaml").write_text(template(timeout=3, memory=20000))  # a new defect
    proc = run(repo, "--baseline", "baseline.json")
    assert proc.returncode == 1
    assert rules(proc) == [("LL001", "baseline.json", 4), ("QT001", "infra/new.yaml", 10)]
    stale = json.loads(proc.stdout)["findings"][0]
    assert stale["severity"] == "warning" and "QT001 on Slow in infra/template.yaml" in stale["message"]
    # a stale entry is a warning: it fails the gate only when asked to
    proc = run(repo, "--baseline", "baseline.json", "--fail-on", "warning", "infra/template.yaml")
    assert proc.returncode == 1 and rules(proc) == [("LL001", "baseline.json", 4)]


def test_a_run_over_part_of_the_repository_judges_only_that_part(repo: Path) -> None:
    (repo / "other.yaml").write_text(template(timeout=30, memory=64))
    assert run(repo, "--write-baseline", "baseline.json").returncode == 0
    proc = run(repo, "--baseline", "baseline.json", "other.yaml")
    assert proc.returncode == 0 and rules(proc) == []


def test_a_baseline_matches_from_any_directory(repo: Path) -> None:
    assert run(repo / "infra", "--write-baseline", "../baseline.json").returncode == 0
    assert json.loads((repo / "baseline.json").read_text())["findings"][0]["path"] == "infra/template.yaml"
    proc = run(repo, "--baseline", "baseline.json")
    assert proc.returncode == 0 and rules(proc) == []
    proc = run(repo / "infra", "--baseline", "../baseline.json", "template.yaml")
    assert proc.returncode == 0 and rules(proc) == []


def test_the_config_names_the_baseline_relative_to_itself(repo: Path) -> None:
    assert run(repo, "--write-baseline", "baseline.json").returncode == 0
    (repo / "pyproject.toml").write_text('[tool.lambdalint]\nbaseline = "baseline.json"\n')
    proc = run(repo, "infra")
    assert proc.returncode == 0 and rules(proc) == []


def test_sarif_marks_baseline_suppressions_external(repo: Path) -> None:
    assert run(repo, "--write-baseline", "baseline.json").returncode == 0
    proc = subprocess.run([sys.executable, "-m", "lambdalint", "check", "--format", "sarif", "--show-suppressed",
                           "--baseline", "baseline.json"], cwd=repo, capture_output=True, text=True, check=False)
    results = json.loads(proc.stdout)["runs"][0]["results"]
    assert [r["suppressions"] for r in results] == [
        [{"kind": "external", "justification": "listed in the baseline baseline.json"}]] * 2


@pytest.mark.parametrize("content, reason", [
    ("{not: json", "is not JSON"),
    ('{"findings": []}', "is not a lambdalint baseline"),
    ('{"lambdalint_baseline": 1, "findings": [{"path": 3}]}', "line 1: an entry needs"),
])
def test_a_broken_baseline_is_an_error_in_one_line(repo: Path, content: str, reason: str) -> None:
    (repo / "baseline.json").write_text(content)
    proc = run(repo, "--baseline", "baseline.json")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and reason in proc.stderr and "Traceback" not in proc.stderr


def test_an_incomplete_run_writes_no_baseline(repo: Path) -> None:
    proc = run(repo, "--write-baseline", "baseline.json", "missing.yaml")
    assert proc.returncode == 2 and "was not written" in proc.stderr
    assert not os.path.exists(repo / "baseline.json")
