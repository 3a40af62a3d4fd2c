"""Text from the input cannot hurt the output: no control characters reach a terminal, a lone
surrogate never breaks an encoder, and messages are bounded (issue: hostile input, part 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lambdalint.safe_text import MAX_MESSAGE, safe

FUNCTION = """\
resource "aws_lambda_function" "f" {{
  function_name = "{name}"
  role          = "arn:aws:iam::123456789012:role/x"
  handler       = "a.b"
  runtime       = "python3.13"
  filename      = "f.zip"
  timeout       = 1000
}}
"""


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "lambdalint", "check", ".", "--select", "QT", *args],
                          cwd=folder, capture_output=True, check=False)


def test_safe_escapes_control_characters_and_surrogates() -> None:
    assert safe("a\x1b[31mb\x07c\ud800d\te\nf") == "a\\x1b[31mb\\x07c\\ud800d\te\\x0af"
    assert safe("x" * (MAX_MESSAGE + 50)).endswith("…") and len(safe("x" * (MAX_MESSAGE + 50))) == MAX_MESSAGE


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_a_lone_surrogate_and_escape_codes_are_written_escaped(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "main.tf").write_text(FUNCTION.format(name="bad\\ud800\\u001b[31mname"))
    out = tmp_path / "report.out"
    result = run(tmp_path, "--format", f"{fmt}:{out}")
    assert result.returncode == 1, result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr
    data = out.read_bytes()
    assert b"\x1b" not in data
    text = data.decode("utf-8")  # valid UTF-8
    assert "bad\\ud800\\x1b[31mname" in text or "bad\\\\ud800\\\\x1b[31mname" in text
    if fmt in ("json", "sarif"):
        json.loads(text)


def test_a_huge_name_gives_a_bounded_message(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(FUNCTION.format(name="n" * 500_000))
    result = run(tmp_path, "--format", "json")
    report = json.loads(result.stdout)
    assert report["findings"] and all(len(f["message"]) <= MAX_MESSAGE for f in report["findings"])
    assert len(result.stdout) < 100_000


def test_an_internal_error_is_reported_for_its_file_and_fails_the_run(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A file lambdalint fails on is never dropped silently: it gets an LL000 result, SARIF
    says the run did not succeed, JSON lists the error, and the exit status is 2."""
    from click.testing import CliRunner

    import lambdalint.engine as engine
    from lambdalint.cli import cli

    (tmp_path / "good.yaml").write_text("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                                        "      Timeout: 1000\n")
    (tmp_path / "bad.yaml").write_text("Resources: {}\n")
    real = engine.load_file

    def failing(path: str, display: str):  # type: ignore[no-untyped-def]
        if path.endswith("bad.yaml"):
            raise RuntimeError("boom at 0x7f00deadbeef")
        return real(path, display)

    monkeypatch.setattr(engine, "load_file", failing)
    monkeypatch.chdir(tmp_path)
    sarif, report = tmp_path / "out.sarif", tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["check", ".", "--select", "QT002,LL000", "--format", f"sarif:{sarif}",
                                      "--format", f"json:{report}"])
    assert result.exit_code == 2
    doc = json.loads(sarif.read_text())
    run = doc["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert any("internal error reading bad.yaml" in n["message"]["text"]
               for n in run["invocations"][0]["toolExecutionNotifications"])
    located = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
               for r in run["results"]}
    assert ("LL000", "bad.yaml") in located and ("QT002", "good.yaml") in located
    data = json.loads(report.read_text())
    assert data["errors"] and "bad.yaml" in data["errors"][0]
    assert "deadbeef" not in sarif.read_text() + report.read_text() + result.output  # nothing run-specific


@pytest.mark.parametrize("content", [b"tool = 5\n", "[tool.lambdalint]\nselect = 'QT'\n".encode("utf-16"),
                                     b"[tool.lambdalint]\nx = " + b"[" * 3000 + b"]" * 3000 + b"\n"])
def test_a_bad_configuration_exits_2_with_one_line(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    (tmp_path / "main.tf").write_text(FUNCTION.format(name="f"))
    result = run(tmp_path)
    assert result.returncode == 2
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lambdalint: error:") and "pyproject.toml" in lines[0]


def test_a_suppression_counts_only_in_a_comment() -> None:
    from lambdalint.suppress import comment_suppressions

    yaml_text = ("Resources:  # lambdalint: ignore[QT001] a real comment\n"
                 "  Fn:\n    Properties:\n"
                 "      Description: 'see # lambdalint: ignore[IM001] in the docs'\n"
                 "      Code: |\n        # lambdalint: ignore[QT002] inside a block scalar\n")
    assert [(s.rule, s.source.line) for s in comment_suppressions(yaml_text, "t.yaml")] == [("QT001", 1)]
    json_text = '{"Resources": {"Fn": {"Properties": {"Description": "x # lambdalint: ignore[IM001] y"}}}}\n'
    assert comment_suppressions(json_text, "t.json") == []
    hcl = ('resource "aws_lambda_function" "f" {  # lambdalint: ignore[QT002] reviewed\n'
           '  description = "# lambdalint: ignore[IM001] not a comment"\n'
           '  code = <<EOT\n# lambdalint: ignore[IM002] a heredoc line\nEOT\n}\n')
    assert [(s.rule, s.source.line) for s in comment_suppressions(hcl, "main.tf")] == [("QT002", 1)]


@pytest.mark.parametrize(("config", "warning"), [
    ('ignore = ["ALL"]', "enables no rule"),
    ('ignore = ["LL000"]', "turns off LL000"),
])
def test_a_configuration_that_hides_everything_warns(tmp_path: Path, config: str, warning: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.lambdalint]\n{config}\n")
    (tmp_path / "main.tf").write_text(FUNCTION.format(name="f"))
    result = subprocess.run([sys.executable, "-m", "lambdalint", "check", "."], cwd=tmp_path, capture_output=True,
                            check=False)
    assert warning in result.stderr.decode()
