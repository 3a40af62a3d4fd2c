"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit on a scratch git repository.

The hooks are copied into a ``repo: local`` configuration with ``language: system`` and this
interpreter's lambdalint, so that pre-commit's own file selection and argument passing are
exercised without installing anything (no network)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from templates import FUNCTION, MODULE

ROOT = Path(__file__).resolve().parent.parent
def template(timeout: int) -> str:
    """A CloudFormation function with this timeout (line 10)."""
    return 'AWSTemplateFormatVersion: "2010-09-09"\n' + FUNCTION + f"      Timeout: {timeout}\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("pre-commit") is None,
                                reason="needs git and pre-commit (pip install '.[test]')")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "envs" / "prod").mkdir(parents=True)
    (root / "envs" / "prod" / "main.tf").write_text(MODULE)
    (root / "envs" / "prod" / "terraform.tfvars").write_text("timeout = 30\n")
    (root / "stack.template").write_text(template(30))
    (root / "notes.yaml").write_text("just: data\n")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    local = []
    for hook in hooks:
        assert hook["entry"].startswith("lambdalint ")
        local.append({**hook, "language": "system",
                      "entry": f"{sys.executable} -m lambdalint {hook['entry'].removeprefix('lambdalint ')}"})
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}))
    git(root, "init", "-q")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "dev")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "start")
    return root


def pre_commit(repo: Path, hook: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "cache"), "NO_COLOR": "1"}
    return subprocess.run(["pre-commit", "run", hook], cwd=repo, env=env, capture_output=True, text=True,
                          check=False)


def test_a_staged_tfvars_change_alone_checks_its_module(repo: Path) -> None:
    assert pre_commit(repo, "lambdalint").returncode == 0  # nothing staged
    (repo / "envs" / "prod" / "terraform.tfvars").write_text("timeout = 1200\n")
    git(repo, "add", "envs/prod/terraform.tfvars")
    proc = pre_commit(repo, "lambdalint")
    assert proc.returncode == 1, proc.stdout
    assert "envs/prod/terraform.tfvars:1:11: error: QT002" in proc.stdout


def test_a_staged_template_file_is_checked(repo: Path) -> None:
    (repo / "stack.template").write_text(template(1200))
    git(repo, "add", "stack.template")
    proc = pre_commit(repo, "lambdalint")
    assert proc.returncode == 1 and "stack.template:10:16: error: QT002" in proc.stdout, proc.stdout


def test_staged_files_without_templates_pass(repo: Path) -> None:
    (repo / "notes.yaml").write_text("just: more data\n")
    git(repo, "add", "notes.yaml")
    proc = pre_commit(repo, "lambdalint")
    assert proc.returncode == 0, proc.stdout


def test_the_project_hook_checks_everything(repo: Path) -> None:
    (repo / "notes.yaml").write_text("just: more data\n")
    git(repo, "add", "notes.yaml")
    assert pre_commit(repo, "lambdalint-project").returncode == 0
    (repo / "envs" / "prod" / "terraform.tfvars").write_text("timeout = 1200\n")
    git(repo, "commit", "-q", "-am", "slow")  # already committed: only the project hook sees it
    (repo / "notes.yaml").write_text("just: even more data\n")
    git(repo, "add", "notes.yaml")
    assert pre_commit(repo, "lambdalint").returncode == 0
    proc = pre_commit(repo, "lambdalint-project")
    assert proc.returncode == 1 and "envs/prod/terraform.tfvars:1:11: error: QT002" in proc.stdout


def test_a_var_file_of_the_config_checks_the_module_it_is_given_to(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text(MODULE)
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "prod.tfvars").write_text("timeout = 1200\n")
    (tmp_path / "env" / "other.tfvars").write_text("timeout = 1200\n")
    (tmp_path / "lambdalint.toml").write_text('var-files = ["env/prod.tfvars"]\n')
    run = [sys.executable, "-m", "lambdalint", "check", "--allow-empty"]
    proc = subprocess.run([*run, "env/prod.tfvars"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and "env/prod.tfvars:1:11: error: QT002" in proc.stdout, proc.stdout + proc.stderr
    proc = subprocess.run([*run, "env/other.tfvars"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout == ""  # given to no module: nothing to check
