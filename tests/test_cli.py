"""The command-line contract: exit codes, formats, configuration, sub-commands.

Runs are limited to the LL meta rules (``--select LL`` or ``select = ["LL"]``) so that the
outcomes do not depend on the other rule packs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lambdalint import __version__
from lambdalint.cli import cli

CLEAN = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Timeout: 30
"""
# one LL001 (warning) on line 8
WARN = CLEAN.replace("Timeout: 30", "Timeout: 30  # lambdalint: ignore[LL000] proves it was linted")
# one LL000 (error) on line 5
ERROR = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      MemorySize: lots\n"
FORMATS = ("text", "json", "sarif", "github")


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    return result


def check(*args: str, env: dict[str, str] | None = None) -> Result:
    return invoke("check", "--select", "LL", *args, env=env)


def rules_of(result: Result) -> list[tuple[str, str, int, str]]:
    doc = json.loads(result.stdout)
    return [(f["rule"], f["path"], f["line"], f["severity"]) for f in doc["findings"]]


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LAMBDALINT_OUTPUT_FORMAT", raising=False)
    (tmp_path / "clean.yaml").write_text(CLEAN)
    (tmp_path / "warn.yaml").write_text(WARN)
    (tmp_path / "error.yaml").write_text(ERROR)
    return tmp_path


# -- exit codes ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("paths", "code"), [
    (["clean.yaml"], 0),
    (["warn.yaml"], 0),
    (["error.yaml"], 1),
    (["clean.yaml", "error.yaml"], 1),
    (["missing.yaml", "clean.yaml"], 2),
    (["missing.yaml", "error.yaml"], 2),
])
def test_exit_codes_are_the_same_for_every_format(work: Path, fmt: str, paths: list[str], code: int) -> None:
    result = check("--format", fmt, *paths)
    assert result.exit_code == code, result.output


@pytest.mark.parametrize("fmt", FORMATS)
def test_usage_error_exit_code_is_the_same_for_every_format(work: Path, fmt: str) -> None:
    assert check("--format", fmt, "--select", "NOPE999", "clean.yaml").exit_code == 2


@pytest.mark.parametrize(("option", "warn_code", "error_code"), [
    (["--fail-on", "error"], 0, 1),
    (["--fail-on", "warning"], 1, 1),
    (["--fail-on", "note"], 1, 1),
    (["--fail-on", "never"], 0, 0),
    (["--exit-zero"], 0, 0),
    (["--exit-zero", "--fail-on", "note"], 0, 0),
])
def test_fail_on(work: Path, option: list[str], warn_code: int, error_code: int) -> None:
    assert check(*option, "warn.yaml").exit_code == warn_code
    assert check(*option, "error.yaml").exit_code == error_code
    assert check(*option, "clean.yaml").exit_code == 0


def test_fail_on_note_counts_notes(work: Path) -> None:
    (work / "lambdalint.toml").write_text('[severity]\nLL001 = "note"\n')
    assert check("--fail-on", "warning", "warn.yaml").exit_code == 0
    assert check("--fail-on", "note", "warn.yaml").exit_code == 1


def test_exit_zero_does_not_hide_usage_errors(work: Path) -> None:
    assert check("--exit-zero", "missing.yaml").exit_code == 2


def test_bad_fail_on_option(work: Path) -> None:
    result = check("--fail-on", "fatal", "clean.yaml")
    assert result.exit_code == 2 and "fail-on" in result.stderr


def test_unknown_select(work: Path) -> None:
    result = invoke("check", "--select", "XX999", "clean.yaml")
    assert result.exit_code == 2
    assert "XX999" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_unknown_ignore(work: Path) -> None:
    result = check("--ignore", "no-such-rule", "clean.yaml")
    assert result.exit_code == 2 and "no-such-rule" in result.stderr


# -- configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(("config", "names"), [
    ('bogus = 1\n', ["bogus"]),
    ('fail-on = "sometimes"\n', ["fail-on", "sometimes"]),
    ('[severity]\nLL001 = "fatal"\n', ["severity.LL001", "fatal"]),
    ('[quotas]\naccount-concurrency = "lots"\n', ["quotas.account-concurrency"]),
    ('[quotas]\naccount-concurrency = 1.5\n', ["quotas.account-concurrency"]),
    ('[quotas]\nmemory-max = 20000\n', ["memory-max"]),
    ('[quotas]\nno-such-quota = 5\n', ["no-such-quota"]),
    ('select = "LL", ignore = 3\n', []),  # invalid TOML
    ('ignore = [1, 2]\n', ["ignore"]),
    ('per-file-ignores = ["x"]\n', ["per-file-ignores"]),
    ('today = "tomorrow"\n', ["today"]),
    ('[per-file-ignores]\n"*.yaml" = ["NOPE999"]\n', ["NOPE999"]),
    ('[severity]\nNOPE999 = "note"\n', ["NOPE999"]),
    ('jobs = -1\n', ["jobs"]),
    ('jobs = "many"\n', ["jobs"]),
])
def test_invalid_config(work: Path, config: str, names: list[str]) -> None:
    (work / "lambdalint.toml").write_text(config)
    result = check("clean.yaml")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    message = result.stderr.strip()
    assert message.startswith("lambdalint: error:") and len(message.splitlines()) == 1, message
    for name in names:
        assert name in message


def test_invalid_config_exit_code_is_the_same_for_every_format(work: Path) -> None:
    (work / "lambdalint.toml").write_text("bogus = 1\n")
    assert {check("--format", fmt, "clean.yaml").exit_code for fmt in FORMATS} == {2}


def test_adjustable_quota_can_be_overridden(work: Path) -> None:
    (work / "lambdalint.toml").write_text("[quotas]\naccount-concurrency = 3000\n")
    assert check("clean.yaml").exit_code == 0


def test_explicit_config_not_found(work: Path) -> None:
    result = check("--config", "nope.toml", "clean.yaml")
    assert result.exit_code == 2 and "nope.toml" in result.stderr


def test_config_in_pyproject_found_upward(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (work / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.lambdalint]\nselect = ["LL"]\n'
                                         '[tool.lambdalint.severity]\nLL001 = "error"\n')
    sub = work / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    result = invoke("check", "--format", "json", str(work / "warn.yaml"))
    assert [(r, sev) for r, _, _, sev in rules_of(result)] == [("LL001", "error")]
    assert result.exit_code == 1


def test_pyproject_without_section_is_passed_over(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (work / "lambdalint.toml").write_text('fail-on = "warning"\n')
    sub = work / "pkg"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(sub)
    assert check(str(work / "warn.yaml")).exit_code == 1


def test_lambdalint_toml_found_upward(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (work / "lambdalint.toml").write_text('select = ["LL"]\nfail-on = "warning"\n')
    sub = work / "deep" / "er"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert invoke("check", str(work / "warn.yaml")).exit_code == 1
    assert invoke("check", str(work / "clean.yaml")).exit_code == 0


def test_command_line_beats_config(work: Path) -> None:
    (work / "lambdalint.toml").write_text('fail-on = "warning"\n')
    assert check("warn.yaml").exit_code == 1
    assert check("--fail-on", "error", "warn.yaml").exit_code == 0


def test_per_file_ignores(work: Path) -> None:
    legacy = work / "legacy"
    legacy.mkdir()
    (legacy / "warn.yaml").write_text(WARN)
    (work / "lambdalint.toml").write_text('[per-file-ignores]\n"legacy/*" = ["unused-suppression"]\n')
    result = check("--format", "json", "legacy", "warn.yaml")
    assert rules_of(result) == [("LL001", "warn.yaml", 8, "warning")]


def test_severity_override(work: Path) -> None:
    (work / "lambdalint.toml").write_text('[severity]\nparse-error = "warning"\nLL001 = "note"\n')
    result = check("--format", "json", "error.yaml", "warn.yaml")
    assert rules_of(result) == [("LL000", "error.yaml", 5, "warning"), ("LL001", "warn.yaml", 8, "note")]
    assert result.exit_code == 0
    sarif = json.loads(check("--format", "sarif", "error.yaml").stdout)
    assert [r["level"] for r in sarif["runs"][0]["results"]] == ["warning"]


# -- output --------------------------------------------------------------------------------


def test_two_formats_one_to_a_file(work: Path) -> None:
    result = check("--format", "json:out.json", "--format", "text", "error.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith("error.yaml:5:")
    doc = json.loads((work / "out.json").read_text())
    assert [f["rule"] for f in doc["findings"]] == ["LL000"]


def test_two_formats_to_stdout_is_a_usage_error(work: Path) -> None:
    result = check("--format", "json", "--format", "text", "error.yaml")
    assert result.exit_code == 2
    assert "one format" in result.stderr and result.stdout == ""


def test_unknown_format(work: Path) -> None:
    result = check("--format", "xml", "clean.yaml")
    assert result.exit_code == 2 and "xml" in result.stderr


def test_unwritable_output_file(work: Path) -> None:
    result = check("--format", "json:no/such/dir/out.json", "error.yaml")
    assert result.exit_code == 2 and "no/such/dir/out.json" in result.stderr


def test_clean_text_run_prints_nothing(work: Path) -> None:
    result = check("clean.yaml")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""


def test_text_lines(work: Path) -> None:
    result = check("error.yaml", "warn.yaml")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("error.yaml:5:") and "LL000 [parse-error]" in lines[0]
    assert lines[1].startswith("warn.yaml:8:") and "LL001 [unused-suppression]" in lines[1]
    assert len(lines) == 3  # and the summary


def test_non_template_yaml_is_skipped_silently(work: Path) -> None:
    workflows = work / "site" / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(
        "name: Deploy Resources\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.sha }}\n")
    (work / "site" / "k8s.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: app\n          resources:\n            limits: {memory: 128Mi}\n---\n"
        "apiVersion: v1\nkind: Service\n")
    (work / "site" / "package.json").write_text('{"name": "x", "scripts": {"Transform": "babel"}}')
    for fmt in ("text", "github"):  # as the pre-commit hook runs it
        result = check("--format", fmt, "--allow-empty", "site")
        assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    doc = json.loads(check("--format", "json", "--allow-empty", "site").stdout)
    assert doc["findings"] == [] and doc["summary"]["files_checked"] == 0


def test_missing_path_reports_the_others(work: Path) -> None:
    result = check("missing.yaml", "error.yaml")
    assert result.exit_code == 2
    assert "error.yaml:5:" in result.stdout
    assert result.stderr.strip() == "lambdalint: error: path not found: missing.yaml"


def test_missing_path_with_control_characters_is_quoted(work: Path) -> None:
    result = check("no\n\x1b[2Jsuch.yaml", "clean.yaml")
    assert result.exit_code == 2
    assert result.stderr == "lambdalint: error: path not found: 'no\\n\\x1b[2Jsuch.yaml'\n"


def test_output_option_writes_the_report_to_a_file(work: Path) -> None:
    result = check("--format", "json", "--output", "report.json", "error.yaml")
    assert result.exit_code == 1 and result.stdout == ""
    assert [f["rule"] for f in json.loads((work / "report.json").read_text())["findings"]] == ["LL000"]


def test_bad_today(work: Path) -> None:
    result = check("--today", "someday", "clean.yaml")
    assert result.exit_code == 2 and "--today" in result.stderr and "someday" in result.stderr


def test_default_path_is_the_current_directory(work: Path) -> None:
    result = check("--format", "json")
    assert {p for _, p, _, _ in rules_of(result)} == {"error.yaml", "warn.yaml"}
    assert result.exit_code == 1


def test_output_format_from_environment(work: Path) -> None:
    result = check("error.yaml", env={"LAMBDALINT_OUTPUT_FORMAT": "json"})
    assert [r for r, _, _, _ in rules_of(result)] == ["LL000"]
    # the command line wins over the environment
    result = check("--format", "text", "error.yaml", env={"LAMBDALINT_OUTPUT_FORMAT": "json"})
    assert result.stdout.startswith("error.yaml:5:")


def test_bad_output_format_in_environment(work: Path) -> None:
    result = check("error.yaml", env={"LAMBDALINT_OUTPUT_FORMAT": "yaml"})
    assert result.exit_code == 2 and "yaml" in result.stderr


# -- other commands ------------------------------------------------------------------------


def test_rules_lists_the_catalog() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"LL000", "LL001", "LL002"} <= set(ids) and ids == sorted(ids)


def test_rules_json() -> None:
    doc = json.loads(invoke("rules", "--format", "json").stdout)
    assert {"id": "LL000", "name": "parse-error"}.items() <= next(r for r in doc if r["id"] == "LL000").items()


@pytest.mark.parametrize("key", ["LL001", "unused-suppression", "ll001"])
def test_rule_page(key: str) -> None:
    result = invoke("rule", key)
    assert result.exit_code == 0
    assert "LL001" in result.stdout and "unused-suppression" in result.stdout


def test_rule_unknown() -> None:
    result = invoke("rule", "no-such")
    assert result.exit_code == 2
    assert "no-such" in result.stderr and result.stdout == ""


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["check", "--help"], ["rules", "--help"]])
def test_help(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 0 and "Usage:" in result.stdout


def test_no_command_shows_usage() -> None:
    result = invoke()
    assert result.exit_code in (0, 2) and "Usage:" in result.output


def test_unknown_option() -> None:
    result = invoke("check", "--no-such-option")
    assert result.exit_code == 2 and "no-such-option" in result.stderr


def test_severity_override_by_prefix_and_the_more_specific_wins(work: Path) -> None:
    (work / "lambdalint.toml").write_text('[severity]\nLL = "note"\nunused-suppression = "error"\n')
    result = check("--format", "json", "error.yaml", "warn.yaml")
    assert rules_of(result) == [("LL000", "error.yaml", 5, "note"), ("LL001", "warn.yaml", 8, "error")]
    assert result.exit_code == 1


# -- never pass silently ------------------------------------------------------------------


@pytest.mark.parametrize(("args", "files", "reason"), [
    ((), {"notes.yaml": "just: data\n"}, "no template, Terraform module or plan was found"),
    (("--select", "LL", "--ignore", "LL"), {"t.yaml": CLEAN}, "the selection enables no rule"),
])
def test_a_run_that_checks_nothing_fails_the_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   args: tuple[str, ...], files: dict[str, str], reason: str) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    for fail_on in ("error", "warning"):
        result = invoke("check", *args, "--fail-on", fail_on, ".")
        assert result.exit_code == 2 and reason in result.stderr and "--allow-empty" in result.stderr
    assert invoke("check", *args, "--allow-empty", ".").exit_code == 0
    result = invoke("check", *args, "--exit-zero", ".")
    assert result.exit_code == 0 and reason in result.stderr  # still said


def test_the_pre_commit_file_hook_allows_commits_without_templates() -> None:
    import yaml

    root = Path(__file__).resolve().parent.parent
    hooks = {h["id"]: h for h in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())}
    assert "--allow-empty" in hooks["lambdalint"]["entry"]
    assert "--allow-empty" not in hooks["lambdalint-project"]["entry"]


@pytest.mark.parametrize(("env", "colored"), [
    ({}, False),
    ({"NO_COLOR": "1"}, False),
    ({"FORCE_COLOR": "1"}, True),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ({"FORCE_COLOR": ""}, False),
])
def test_color_follows_no_color_and_force_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                env: dict[str, str], colored: bool) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(WARN)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    result = invoke("check", "--select", "LL", "t.yaml", env=env)  # CliRunner's stdout is not a terminal
    assert ("\x1b[" in result.stdout) is colored
    assert re.sub("\x1b\\[[0-9;]*m", "", result.stdout).startswith("t.yaml:8:20: warning: LL001")
    assert "\x1b[" not in invoke("check", "--select", "LL", "--no-color", "t.yaml", env=env).stdout
