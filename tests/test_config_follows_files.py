"""Configuration that follows the files, like ruff's: the nearest config of each input, paths
relative to the config file, bare folder names, .gitignore, the command line over the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from templates import MODULE, SLOW


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lambdalint", "check", *args], cwd=cwd, capture_output=True,
                          text=True, check=False)


def found(cwd: Path, *args: str) -> list[tuple[str, str]]:
    proc = run(cwd, "--format", "json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return [(f["path"], f["rule"]) for f in json.loads(proc.stdout)["findings"]]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    for folder in ("app", "legacy", "app/gen", "build"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "t.yaml").write_text(SLOW)
    (tmp_path / "pyproject.toml").write_text('[tool.lambdalint]\nselect = ["QT002"]\n')
    return tmp_path


def test_the_nearest_config_of_each_file_wins_from_any_directory(repo: Path) -> None:
    (repo / "legacy" / "lambdalint.toml").write_text('select = ["QT002", "RT"]\nignore = ["QT"]\n')
    (repo / "app" / "pyproject.toml").write_text('[project]\nname = "x"\n')  # no [tool.lambdalint]: not a config
    everything = [("app/gen/t.yaml", "QT002"), ("app/t.yaml", "QT002"), ("build/t.yaml", "QT002")]
    assert found(repo) == everything
    assert found(repo / "legacy", ".") == []  # QT is ignored here
    # from app/: its own files relative, the others outside the working directory absolute
    assert sorted(found(repo / "app", "..")) == sorted([("gen/t.yaml", "QT002"), ("t.yaml", "QT002"),
                                                        (str(repo / "build" / "t.yaml"), "QT002")])
    assert found(repo, "legacy/t.yaml", "app/t.yaml") == [("app/t.yaml", "QT002")]


def test_exclude_is_relative_to_the_config_and_bare_names_exclude_folders(repo: Path) -> None:
    (repo / "app" / "lambdalint.toml").write_text('select = ["QT002"]\nexclude = ["gen"]\n')
    assert ("app/gen/t.yaml", "QT002") not in found(repo)
    assert ("app/gen/t.yaml", "QT002") not in found(repo / "app", "..")
    for pattern in ("legacy", "legacy/", "./legacy"):
        (repo / "pyproject.toml").write_text(f'[tool.lambdalint]\nselect = ["QT002"]\nexclude = ["{pattern}"]\n')
        assert ("legacy/t.yaml", "QT002") not in found(repo), pattern
        assert ("app/t.yaml", "QT002") in found(repo)


def test_per_file_ignores_are_relative_to_the_config(repo: Path) -> None:
    (repo / "app" / "lambdalint.toml").write_text('select = ["QT002"]\n[per-file-ignores]\n"gen/*" = ["QT002"]\n')
    assert sorted(p for p, _ in found(repo / "legacy", "..")) == sorted(
        [str(repo / "app" / "t.yaml"), str(repo / "build" / "t.yaml"), "t.yaml"])


def test_gitignore_is_respected_unless_turned_off(repo: Path) -> None:
    (repo / ".gitignore").write_text("build/\n")
    (repo / "app" / ".gitignore").write_text("gen\n")
    assert [p for p, _ in found(repo)] == ["app/t.yaml", "legacy/t.yaml"]
    assert len(found(repo, "--no-respect-gitignore")) == 4
    assert found(repo, "build/t.yaml") == [("build/t.yaml", "QT002")]  # named explicitly: linted
    (repo / "pyproject.toml").write_text('[tool.lambdalint]\nselect = ["QT002"]\nrespect-gitignore = false\n')
    assert len(found(repo)) == 4


def test_var_files_go_to_the_module_beside_them(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    for name, timeout in (("a", 1200), ("b", 30)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(MODULE)
        (tmp_path / name / "prod.tfvars").write_text(f"timeout = {timeout}\n")
    (tmp_path / "lambdalint.toml").write_text('select = ["QT002"]\nvar-files = ["a/prod.tfvars", "b/prod.tfvars"]\n')
    assert found(tmp_path) == [("a/prod.tfvars", "QT002")]  # b's 30 s never reached a, nor a's 1200 s b


def test_the_command_line_wins_over_the_file(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.lambdalint]\nignore = ["QT"]\n')
    assert found(repo, "app/t.yaml") == []
    assert found(repo, "--select", "QT002", "app/t.yaml") == [("app/t.yaml", "QT002")]


def test_an_explicit_pyproject_without_a_section_means_defaults(repo: Path) -> None:
    (repo / "other.toml").write_text("")
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    proc = run(repo, "--config", "pyproject.toml", "app/t.yaml")
    assert proc.returncode == 1 and "QT002" in proc.stdout, proc.stderr


def test_show_settings_and_show_files(repo: Path) -> None:
    (repo / "legacy" / "lambdalint.toml").write_text('ignore = ["QT"]\n')
    proc = run(repo, "--show-settings", "--ignore", "RT")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "# settings from pyproject.toml" in lines and "# settings from legacy/lambdalint.toml" in lines
    assert 'select = ["QT002"]  # pyproject.toml' in lines
    assert 'ignore = ["RT"]  # command line' in lines and 'ignore = ["QT", "RT"]  # command line' in lines
    assert "fail-on = \"error\"  # default" in lines
    proc = run(repo, "--show-files")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "app/gen/t.yaml  (file; settings: pyproject.toml)", "app/t.yaml  (file; settings: pyproject.toml)",
        "build/t.yaml  (file; settings: pyproject.toml)",
        "legacy/t.yaml  (file; settings: legacy/lambdalint.toml)"]
