"""Nothing outside the repository being checked is read (issue: hostile input, part 4): module
sources that climb out, links named like inputs, variable files of the repository's config.
Refusals are notes on stderr, and no content of a refused file reaches any output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SECRET = "TOPSECRET-7f3a"
FUNCTION = """\
resource "aws_lambda_function" "f" {{
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/x"
  handler       = "a.b"
  runtime       = "python3.13"
  filename      = "f.zip"
  timeout       = {timeout}
}}
"""


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A repository (with .git) and a folder beside it holding things that must stay unread."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    (repo / "envs" / "prod").mkdir(parents=True)
    (repo / "modules" / "fn").mkdir(parents=True)
    outside.mkdir()
    (outside / "main.tf").write_text(FUNCTION.format(timeout=5000) + f'# {SECRET}\n')
    (outside / "secret.tfvars").write_text(f'timeout = 4000 # {SECRET}\n')
    (outside / "t.yaml").write_text(f"Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
                                    f"    Properties: {{Timeout: 3000, Description: {SECRET}}}\n")
    (repo / "modules" / "fn" / "main.tf").write_text('variable "timeout" {}\n' + FUNCTION.format(
        timeout="var.timeout"))
    return repo, outside


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lambdalint", "check", "--select", "QT002,LL000", *args],
                          cwd=cwd, capture_output=True, text=True, check=False)


def test_module_sources_inside_the_repository_keep_working(layout: tuple[Path, Path]) -> None:
    repo, _ = layout
    (repo / "envs" / "prod" / "main.tf").write_text(
        'module "fn" {\n  source  = "../../modules/fn"\n  timeout = 1000\n}\n')
    result = run(repo / "envs" / "prod", ".")
    assert result.returncode == 1 and "QT002" in result.stdout


def test_a_module_source_that_climbs_out_is_refused(layout: tuple[Path, Path]) -> None:
    repo, _ = layout
    (repo / "envs" / "prod" / "main.tf").write_text('module "evil" {\n  source = "../../../outside"\n}\n')
    result = run(repo, "envs/prod")
    assert result.returncode == 0
    assert 'module "evil" (../../../outside) is outside the repository and is not read' in result.stderr
    assert SECRET not in result.stdout + result.stderr and "5000" not in result.stdout


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_links_named_like_inputs_that_lead_out_are_refused(layout: tuple[Path, Path]) -> None:
    repo, outside = layout
    (repo / "envs" / "prod" / "main.tf").write_text(FUNCTION.format(timeout=30))
    os.symlink(outside / "main.tf", repo / "envs" / "prod" / "evil.tf")
    os.symlink(outside / "secret.tfvars", repo / "envs" / "prod" / "terraform.tfvars")
    os.symlink(outside / "t.yaml", repo / "t.yaml")
    result = run(repo, ".", "--format", "json")
    assert SECRET not in result.stdout + result.stderr
    assert '"QT002"' not in result.stdout  # neither the outside function nor its template was read
    for name in ("envs/prod/evil.tf", "envs/prod/terraform.tfvars", "t.yaml"):
        assert f"{name} leads outside the repository and is not read" in result.stderr


def test_var_files_of_the_repository_config_stay_inside_but_command_line_ones_are_read(
        layout: tuple[Path, Path]) -> None:
    repo, outside = layout
    (repo / "envs" / "prod" / "main.tf").write_text('variable "timeout" {\n  default = 30\n}\n' + FUNCTION.format(
        timeout="var.timeout"))
    # the var-file of the config in envs/prod (no module beside it): given to the module there
    (outside / "vars").mkdir()
    (outside / "vars" / "secret.tfvars").write_text((outside / "secret.tfvars").read_text())
    (repo / "envs" / "prod" / "pyproject.toml").write_text(
        '[tool.lambdalint]\nvar-files = ["../../../outside/vars/secret.tfvars"]\n')
    refused = run(repo, "envs/prod")
    assert refused.returncode == 0 and "leads outside the repository and is not read" in refused.stderr
    assert SECRET not in refused.stdout + refused.stderr
    (repo / "envs" / "prod" / "pyproject.toml").unlink()
    given = run(repo, "envs/prod", "--var-file", str(outside / "secret.tfvars"))
    assert given.returncode == 1 and "4,000 s" in given.stdout  # the user named it: read
