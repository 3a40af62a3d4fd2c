"""The GitHub Action: action.yml's shape, and its lint step run against a scratch repository
(without network: the ``python`` input names this interpreter, which has lambdalint)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from templates import SLOW

ROOT = Path(__file__).resolve().parent.parent


def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    return data


def test_action_is_composite_with_the_documented_inputs() -> None:
    doc = action()
    assert doc["runs"]["using"] == "composite"
    assert {"paths", "config", "fail-on", "version", "category"} <= set(doc["inputs"])
    uses = [s["uses"] for s in doc["runs"]["steps"] if "uses" in s]
    assert len(uses) == 1 and re.fullmatch(r"github/codeql-action/upload-sarif@[0-9a-f]{40}", uses[0])
    for step in doc["runs"]["steps"]:  # inputs never enter a script's text (script injection)
        assert "${{" not in step.get("run", "")
    upload, fail = doc["runs"]["steps"][1:]
    assert upload["if"].startswith("${{ always()") and fail["if"].startswith("${{ always()")
    assert upload["with"]["category"] == "${{ inputs.category }}"


def lint_step(repo: Path, tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    outputs, summary = tmp_path / "github_output", tmp_path / "summary.md"
    step = next(s for s in action()["runs"]["steps"] if s.get("id") == "lint")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAMBDALINT_", "GITHUB_"))}
    for name, value in step["env"].items():  # the action's defaults, as GitHub would fill them in
        key = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", value)
        assert key, value
        env[name] = inputs.get(key.group(1).replace("-", "_"), action()["inputs"][key.group(1)]["default"])
    env.update(LAMBDALINT_ACTION_PYTHON=sys.executable, GITHUB_OUTPUT=str(outputs),
               GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTION_PATH=str(ROOT))
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "github_action.py")], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr  # the step itself never fails: the upload comes first
    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return proc, written


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "infra").mkdir()
    (root / "infra" / "template.yaml").write_text(SLOW)
    return root


def test_findings_are_annotated_uploaded_and_fail_after_the_upload(repo: Path, tmp_path: Path) -> None:
    proc, outputs = lint_step(repo, tmp_path)
    assert outputs == {"exit-code": "1", "sarif-file": "lambdalint.sarif"}
    assert "::error file=infra/template.yaml,line=9,col=16" in proc.stdout
    log = json.loads((repo / "lambdalint.sarif").read_text())
    run = log["runs"][0]
    assert "automationDetails" not in run  # the upload's category applies
    [result] = run["results"]
    assert result["ruleId"] == "QT002"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "infra/template.yaml", "uriBaseId": "%SRCROOT%"}
    summary = (tmp_path / "summary.md").read_text()
    assert "Found 1 problem (1 error) in 1 file checked." in summary
    assert "| 🔴 error | QT002 timeout-out-of-range | `infra/template.yaml:9` |" in summary


def test_inputs_paths_config_and_fail_on(repo: Path, tmp_path: Path) -> None:
    (repo / "infra" / "template.yaml").write_text(SLOW.replace("Timeout: 1200", "Timeout: 30"))
    (repo / "lint.toml").write_text('[tool.lambdalint]\nselect = ["QT"]\n')
    _, outputs = lint_step(repo, tmp_path, paths="infra", config="lint.toml")
    assert outputs["exit-code"] == "0"
    (repo / "infra" / "template.yaml").write_text(SLOW)
    _, outputs = lint_step(repo, tmp_path, paths="infra", fail_on="never")
    assert outputs["exit-code"] == "0" and outputs["sarif-file"] == "lambdalint.sarif"
    _, outputs = lint_step(repo, tmp_path, fail_on="sometimes")
    assert outputs["exit-code"] == "2"


def test_the_readme_workflow_uses_this_action_with_its_permissions() -> None:
    readme = (ROOT / "README.md").read_text()
    intro = "Copy\nthis workflow to `.github/workflows/lambdalint.yml`:\n\n```yaml\n"
    block = readme.split(intro, 1)[1].split("```", 1)[0]
    workflow = yaml.safe_load(block)
    assert workflow["permissions"]["security-events"] == "write"
    step = next(s for s in workflow["jobs"]["lambdalint"]["steps"] if "lambdalint/lambdalint@" in s.get("uses", ""))
    assert set(step["with"]) <= set(action()["inputs"])
