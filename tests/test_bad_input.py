"""Hostile and broken input through the real CLI: never a traceback, never hidden findings.

Every test lints the bad file together with a valid SAM template whose only finding is an
unused suppression (LL001): seeing that finding proves the other file was still linted.
Rules are limited to the LL meta rules so the outcomes do not depend on other rule packs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lambdalint.cli import cli

GOOD = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Timeout: 30  # lambdalint: ignore[LL000] proves this file was linted
"""
GOOD_LINE = 8


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    doc: dict[str, Any] | None

    def findings(self, path: str | None = None) -> list[tuple[str, int]]:
        assert self.doc is not None
        return [(f["rule"], f["line"]) for f in self.doc["findings"] if path is None or f["path"] == path]

    def message(self, path: str) -> str:
        assert self.doc is not None
        return " ".join(f["message"] for f in self.doc["findings"] if f["path"] == path)


ARGS = ("check", "--format", "json", "--select", "LL")


def lint(*paths: str, isolated: bool = False) -> Run:
    """Run the CLI on ``paths``; ``isolated`` runs it in a child process, so that a crash of
    the interpreter (a C stack overflow) fails the test instead of killing the test run."""
    if isolated:
        proc = subprocess.run([sys.executable, "-m", "lambdalint", *ARGS, *paths],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode >= 0, f"killed by signal {-proc.returncode}"
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    else:
        result = CliRunner().invoke(cli, [*ARGS, *paths])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        code, stdout, stderr = result.exit_code, result.stdout, result.stderr
    assert "Traceback" not in stdout and "Traceback" not in stderr
    doc = json.loads(stdout) if stdout.strip() else None
    return Run(code, stdout, stderr, doc)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.yaml").write_text(GOOD)
    return tmp_path


def check_with_good(bad: str, *, isolated: bool = False) -> Run:
    run = lint(bad, "good.yaml", isolated=isolated)
    assert run.findings("good.yaml") == [("LL001", GOOD_LINE)], run.stdout
    return run


def assert_ll000(run: Run, path: str, line: int | None = None) -> None:
    found = run.findings(path)
    assert [r for r, _ in found] == ["LL000"], run.stdout
    if line is not None:
        assert found[0][1] == line, found
    assert run.code == 1
    assert run.stderr == ""


def assert_skipped(run: Run, path: str) -> None:
    assert run.findings(path) == []
    assert run.code == 0
    assert run.stderr == ""


def write(work: Path, name: str, content: str | bytes) -> str:
    p = work / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return name


def test_good_file_alone_is_clean(work: Path) -> None:
    run = lint("good.yaml")
    assert run.code == 0 and run.findings() == [("LL001", GOOD_LINE)]


def test_malformed_yaml(work: Path) -> None:
    bad = write(work, "bad.yaml", "Resources:\n  Fn:\n    Type: [AWS::Lambda::Function\n    Properties: {}\n")
    run = check_with_good(bad)
    assert_ll000(run, bad)
    assert 3 <= run.findings(bad)[0][1] <= 5


def test_malformed_yaml_bad_indentation(work: Path) -> None:
    bad = write(work, "bad.yaml", "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n   Properties: x\n")
    assert_ll000(check_with_good(bad), bad, 4)


def test_malformed_json(work: Path) -> None:
    text = '{\n  "Resources": {\n    "Fn": {\n      "Type": "AWS::Lambda::Function",,\n    }\n  }\n}\n'
    bad = write(work, "bad.json", text)
    run = check_with_good(bad)
    assert_ll000(run, bad, 4)
    assert "JSON" in run.message(bad)


def test_json_with_characters_yaml_reads_differently(work: Path) -> None:
    # valid JSON that a YAML reader refuses or misreads: an escaped emoji (a surrogate pair),
    # a raw DEL and a raw line separator inside strings, and a number YAML 1.1 reads as text
    doc = {"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
        "Description": "fast \U0001f680", "Tags": [{"Key": "k\x7f\u2028", "Value": "v"}], "MemorySize": 1e3}}}}
    text = json.dumps(doc, indent=2).replace("\\u007f", "\x7f").replace("\\u2028", "\u2028")
    ok = write(work, "emoji.json", text)
    assert_skipped(check_with_good(ok), ok)
    assert '"MemorySize": 1000.0' in text
    broken = write(work, "broken.json", text.replace('"MemorySize": 1000.0', '"MemorySize": 1000.0,,'))
    run = check_with_good(broken)
    line = next(i for i, t in enumerate(text.split("\n"), 1) if "MemorySize" in t)
    assert_ll000(run, broken, line)


def test_truncated_json(work: Path) -> None:
    bad = write(work, "bad.json", '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function"')
    assert_ll000(check_with_good(bad), bad, 1)


def test_binary_file_named_yaml(work: Path) -> None:
    # binary that may be a (damaged) template: it has a template key
    bad = write(work, "image.yaml", b"Resources:\n  Fn:\n" + bytes(range(256)) * 8)
    run = check_with_good(bad)
    assert_ll000(run, bad, 1)
    assert "binary" in run.message(bad)


def test_binary_noise_named_yaml_is_skipped(work: Path) -> None:
    bad = write(work, "image.yaml", bytes(range(256)) * 8)
    assert_skipped(check_with_good(bad), bad)


def test_binary_file_named_on_the_command_line_is_skipped(work: Path) -> None:
    # `lambdalint check *`: an image is not a template, whatever it happens to contain
    bad = write(work, "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00 Resources " + bytes(range(256)))
    assert_skipped(check_with_good(bad), bad)


def test_invalid_utf8(work: Path) -> None:
    text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    # caf\xe9\n"
    bad = write(work, "latin1.yaml", text.encode("latin-1"))
    run = check_with_good(bad)
    assert_ll000(run, bad, 4)
    assert "UTF-8" in run.message(bad)


def test_invalid_utf8_non_template_is_skipped(work: Path) -> None:
    # an Ansible playbook saved as Latin-1: not a template, so not a parse error
    bad = write(work, "playbook.yml", "- hosts: all\n  tasks:\n    - name: caf\xe9\n".encode("latin-1"))
    assert_skipped(check_with_good(bad), bad)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_template_is_read(work: Path, encoding: str) -> None:
    # Windows PowerShell writes UTF-16 with a byte order mark; YAML allows it
    text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      MemorySize: lots\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    bad = write(work, "utf16.yaml", data)
    run = check_with_good(bad)
    assert_ll000(run, bad, 5)
    assert "MemorySize" in run.message(bad)


def test_wrong_type_in_globals_is_reported_once(work: Path) -> None:
    fns = "".join(f"  F{i}:\n    Type: AWS::Serverless::Function\n    Properties: {{Handler: a.h}}\n" for i in range(3))
    bad = write(work, "globals.yaml", "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n"
                                      "    MemorySize: lots\n    Layers: 5\nResources:\n" + fns)
    run = check_with_good(bad)
    assert sorted(run.findings(bad)) == [("LL000", 4), ("LL000", 5)]


def test_integer_too_long_for_python(work: Path) -> None:
    # Python refuses to convert more than 4,300 digits (sys.get_int_max_str_digits)
    digits = "9" * 5000
    doc = '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": %s}}}}'
    bad = write(work, "long.json", doc % digits)
    run = check_with_good(bad)
    assert_ll000(run, bad, 1)
    assert "MemorySize must be an integer" in run.message(bad)


def test_wrong_types(work: Path) -> None:
    bad = write(work, "types.yaml", """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      MemorySize: lots
      Layers: 5
      Timeout: [1, 2]
""")
    run = check_with_good(bad)
    assert sorted(run.findings(bad)) == [("LL000", 5), ("LL000", 6), ("LL000", 7)]
    assert run.code == 1 and run.stderr == ""


def test_alias_bomb(work: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    text = "Metadata:\n" + "".join(f"  {line}\n" for line in lines)
    text += "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Tags: *a9\n"
    bad = write(work, "bomb.yaml", text)
    run = check_with_good(bad)
    assert_ll000(run, bad)
    assert "alias" in run.message(bad)


# libyaml's composer recurses once per level and overflows the C stack (a segfault) at some
# 20,000 levels; these run in a child process so that a regression fails only its own test


def test_deeply_nested_json(work: Path) -> None:
    depth = 100_000
    bad = write(work, "deep.json", '{"Resources": ' + "[" * depth + "]" * depth + "}")
    run = check_with_good(bad, isolated=True)
    assert_ll000(run, bad, 1)
    assert "nesting" in run.message(bad)


def test_deeply_nested_yaml_flow_mappings(work: Path) -> None:
    depth = 5_000
    bad = write(work, "deep.yaml", "Resources: " + "{a: " * depth + "1" + "}" * depth + "\n")
    assert_ll000(check_with_good(bad, isolated=True), bad, 1)


def test_deeply_nested_flow_with_closing_brackets_in_strings(work: Path) -> None:
    # a bracket count goes down at every "}" inside a string, but the nesting does not
    depth = 50_000
    bad = write(work, "deep.yaml", "Resources: " + '{a: "}", b: ' * depth + "1" + "}" * depth + "\n")
    run = check_with_good(bad, isolated=True)
    assert_ll000(run, bad, 1)
    assert "nesting" in run.message(bad)


def test_deeply_nested_json_with_closing_brackets_in_strings(work: Path) -> None:
    depth = 50_000
    bad = write(work, "deep.json", '{"Resources": ' + '{"a": "]}", "b": ' * depth + "1" + "}" * depth + "}")
    assert_ll000(check_with_good(bad, isolated=True), bad, 1)


def test_deeply_nested_yaml_block(work: Path) -> None:
    depth = 1_500  # 1.1 MB: below the size limit, beyond the nesting limit
    text = "Resources:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, depth)) + " " * depth + "k: 1\n"
    bad = write(work, "deep.yaml", text)
    run = check_with_good(bad, isolated=True)
    assert_ll000(run, bad, 901)  # where the 901st level starts
    assert "nesting deeper than 900 levels" in run.message(bad)


@pytest.mark.parametrize("indicators", ["- ", "? ", "- ? "])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028"])
def test_deeply_nested_compact_block_collections(work: Path, indicators: str, newline: str) -> None:
    # `- - - x` nests a sequence per dash on one line: 100 kB, no bracket, 50,000 levels
    text = newline.join(["Resources:", "  Fn:", "    Type: AWS::Lambda::Function", "    Properties:",
                         "      Layers:", "        " + indicators * (100_000 // len(indicators)) + "x", ""])
    bad = write(work, "compact.yaml", text)
    run = check_with_good(bad, isolated=True)
    assert_ll000(run, bad, 6)
    assert "nesting" in run.message(bad)


def test_compact_nesting_after_an_explicit_value(work: Path) -> None:
    text = "Resources:\n  Fn:\n    ? Type\n    : " + "- " * 50_000 + "x\n"
    bad = write(work, "compact.yaml", text)
    assert_ll000(check_with_good(bad, isolated=True), bad, 4)


def test_deep_nesting_through_aliases(work: Path) -> None:
    # each level is small, so libyaml nests only two deep; the document nests 1,200 deep
    anchors = "".join(f"  a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 1200))
    text = ("Metadata:\n  a0: &a0 [x]\n" + anchors + "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
            "    Properties:\n      Layers: *a1199\n")
    bad = write(work, "chain.yaml", text)
    run = check_with_good(bad)
    assert_ll000(run, bad)
    assert "nesting" in run.message(bad)


def test_brackets_in_strings_are_not_nesting(work: Path) -> None:
    # 1,000 opening brackets in text: a bracket count would say "too deep", libyaml does not
    text = ("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
            f"      Description: \"{'[' * 500}\"\n      Handler: '{'{' * 500}'\n")
    ok = write(work, "brackets.yaml", text)
    assert_skipped(check_with_good(ok), ok)
    # and as JSON, with enough brackets elsewhere that the count is not trusted
    doc = {"Resources": {f"Fn{i}": {"Type": "AWS::Lambda::Function",
                                    "Properties": {"Layers": [{"Ref": "L"}], "Description": "[" * 600}}
                         for i in range(2_000)}}
    ok_json = write(work, "brackets.json", json.dumps(doc))
    assert_skipped(check_with_good(ok_json), ok_json)


def test_empty_file(work: Path) -> None:
    bad = write(work, "empty.yaml", "")
    assert_skipped(check_with_good(bad), bad)


def test_whitespace_and_comment_only_file(work: Path) -> None:
    bad = write(work, "empty.yaml", "\n   \n# Resources will come later\n")
    assert_skipped(check_with_good(bad), bad)


def test_directory_symlink_loop(work: Path) -> None:
    sub = work / "tree"
    sub.mkdir()
    os.symlink(sub, sub / "loop")
    (sub / "good.yaml").write_text(GOOD)
    run = lint("tree")
    assert run.code == 0 and run.stderr == ""
    assert run.findings() == [("LL001", GOOD_LINE)]
    assert {f["path"] for f in run.doc["findings"]} == {"tree/good.yaml"}  # type: ignore[index]


def test_symlink_to_file_is_followed_once(work: Path) -> None:
    sub = work / "tree"
    sub.mkdir()
    (sub / "good.yaml").write_text(GOOD)
    os.symlink(sub / "good.yaml", sub / "link.yaml")
    run = lint("tree")
    assert run.code == 0 and run.stderr == ""


def test_unreadable_file(work: Path) -> None:
    bad = write(work, "secret.yaml", GOOD)
    os.chmod(bad, 0)
    try:
        readable = os.access(bad, os.R_OK)  # root reads it anyway
        run = check_with_good(bad)
    finally:
        os.chmod(bad, 0o644)
    if readable:  # linted normally: its unused suppression is reported
        assert run.findings(bad) == [("LL001", GOOD_LINE)]
        assert run.code == 0 and run.stderr == ""
    else:
        assert_ll000(run, bad, 1)
        assert "cannot read" in run.message(bad)


def test_unreadable_file_even_for_root(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = write(work, "secret.yaml", GOOD)
    real_open = os.open

    def refuse(path: str, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.path.basename(path) == bad:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    run = check_with_good(bad)
    assert_ll000(run, bad, 1)
    assert "cannot read file: Permission denied" in run.message(bad)


def _refuse_to_list(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make directories called ``name`` unreadable (chmod cannot stop root)."""
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.path.basename(os.fspath(path)) == name:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_directory_is_a_warning(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = work / "tree" / "locked"
    locked.mkdir(parents=True)
    (locked / "template.yaml").write_text(GOOD)
    (work / "tree" / "good.yaml").write_text(GOOD)
    _refuse_to_list(monkeypatch, "locked")
    run = lint("tree")
    assert run.findings("tree/good.yaml") == [("LL001", GOOD_LINE)]
    assert run.code == 0  # a warning: the exit status is the findings'
    assert run.stderr == "lambdalint: warning: cannot read directory tree/locked: Permission denied\n"
    # named on the command line, too
    run = lint("tree/locked", "good.yaml")
    assert run.findings() == [("LL001", GOOD_LINE)]
    assert run.stderr == "lambdalint: warning: cannot read directory tree/locked: Permission denied\n"


def test_unreadable_directory_that_is_excluded_is_not_mentioned(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (work / "pgdata").mkdir()
    (work / "lambdalint.toml").write_text('exclude = ["pgdata/*"]\n')
    _refuse_to_list(monkeypatch, "pgdata")
    run = lint(".")
    assert run.findings() == [("LL001", GOOD_LINE)]
    assert run.code == 0 and run.stderr == ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_named_pipe_is_skipped_without_waiting(work: Path) -> None:
    # opening a FIFO for reading waits for a writer: forever, without care
    tree = work / "tree"
    tree.mkdir()
    os.mkfifo(tree / "pipe.yaml")
    (tree / "good.yaml").write_text(GOOD)
    run = lint("tree", isolated=True)
    assert run.findings() == [("LL001", GOOD_LINE)]
    assert run.code == 0 and run.stderr == ""


def test_file_name_that_is_not_utf8(work: Path) -> None:
    name = os.fsdecode(b"bad\xff.yaml")
    try:
        (work / name).write_text("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
                                 "    Properties: {MemorySize: x}\n")
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses names that are not UTF-8")
    run = check_with_good(name)
    assert run.findings("bad\ufffd.yaml") == [("LL000", 4)]
    for fmt, shown in (("text", "bad\ufffd.yaml"), ("github", "bad\ufffd.yaml"), ("sarif", "bad%EF%BF%BD.yaml")):
        result = CliRunner().invoke(cli, ["check", "--select", "LL", "--format", fmt, "."])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code == 1 and shown in result.stdout


def test_multi_document_stream(work: Path) -> None:
    text = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n---\nResources:\n  B:\n    Type: AWS::SNS::Topic\n"
    bad = write(work, "multi.yaml", text)
    run = check_with_good(bad)
    assert_ll000(run, bad, 4)
    assert "several YAML documents" in run.message(bad)


def test_multi_document_non_template_is_skipped(work: Path) -> None:
    # a Kubernetes multi-document manifest that mentions Resources, but has no template key
    text = "# Resources for the API\napiVersion: v1\nkind: Service\n---\napiVersion: apps/v1\nkind: Deployment\n"
    bad = write(work, "k8s.yaml", text)
    assert_skipped(check_with_good(bad), bad)


def test_unparsable_non_template_is_skipped(work: Path) -> None:
    # a Helm chart template: not YAML until rendered, and no template key
    text = "# Resources of the chart\nkind: Deployment\nspec:\n  {{- include \"labels\" . | nindent 4 }}\n  x: [\n"
    bad = write(work, "deployment.yaml", text)
    assert_skipped(check_with_good(bad), bad)


def test_resources_is_a_list(work: Path) -> None:
    text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  - Type: AWS::Lambda::Function\n"
    bad = write(work, "list.yaml", text)
    assert_ll000(check_with_good(bad), bad, 3)


def test_resource_without_type(work: Path) -> None:
    bad = write(work, "notype.yaml", "Resources:\n  Fn:\n    Properties:\n      MemorySize: 128\n")
    assert_ll000(check_with_good(bad), bad, 2)


def test_resource_type_not_a_string(work: Path) -> None:
    bad = write(work, "badtype.yaml", "Resources:\n  Fn:\n    Type: [AWS::Lambda::Function]\n")
    assert_ll000(check_with_good(bad), bad, 3)


def test_unknown_resource_type_is_fine(work: Path) -> None:
    bad = write(work, "custom.yaml", "Resources:\n  Thing:\n    Type: Custom::Whatever\n    Properties: {A: 1}\n")
    assert_skipped(check_with_good(bad), bad)


def _large_template(size_wanted: int) -> str:
    parts = ["Transform: AWS::Serverless-2016-10-31\nResources:\n"]
    i = size = 0
    while size < size_wanted:
        block = (f"  Fn{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                 f"      Runtime: python3.13\n      Handler: app.handler\n      MemorySize: 512\n"
                 f"      Environment:\n        Variables:\n          NAME: function-{i}-{'x' * 40}\n")
        parts.append(block)
        size += len(block)
        i += 1
    return "".join(parts)


def test_a_large_template_is_read(work: Path) -> None:
    bad = write(work, "big.yaml", _large_template(1_800_000))  # larger than CloudFormation takes (1 MB)
    run = check_with_good(bad)
    assert_skipped(run, bad)
    assert run.doc["summary"]["files_checked"] == 2  # type: ignore[index]


def test_a_template_too_large_to_read_is_ll000(work: Path) -> None:
    bad = write(work, "big.yaml", _large_template(5_000_000))
    run = check_with_good(bad)
    assert_ll000(run, bad, 1)
    assert "a template of 4.8 MB: larger than the 2 MB lambdalint reads" in run.message(bad)
    # the same size in a file that is no template (a data file that says Resources) is skipped
    data = write(work, "data.json", '{"items": [' + ",".join('"Resources"' for _ in range(600_000)) + "]}")
    assert_skipped(check_with_good(data), data)


def test_missing_path_still_reports_others(work: Path) -> None:
    run = lint("nope.yaml", "good.yaml")
    assert run.code == 2
    assert run.findings("good.yaml") == [("LL001", GOOD_LINE)]
    assert "nope.yaml" in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_plan_with_damaged_addresses(work: Path) -> None:
    # resource addresses that name no type (a hand-edited or truncated plan): read, not a crash
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "broken", "mode": "managed", "type": "aws_lambda_function", "name": "x", "values": {}},
        {"address": "", "mode": "managed", "values": {"timeout": 3}},
        {"address": 7, "mode": "managed", "values": None},
    ]}}}
    write(work, "plan.json", json.dumps(plan))
    run = check_with_good("plan.json")
    # an address that is no string: not a plan Terraform writes, so reported rather than skipped
    assert_ll000(run, "plan.json")
    assert "resources[].address must be a string" in run.message("plan.json")
    del plan["planned_values"]["root_module"]["resources"][2]  # type: ignore[index]
    write(work, "plan.json", json.dumps(plan))
    run = check_with_good("plan.json")
    assert run.code == 0 and run.stderr == ""  # odd but well-typed addresses: read, nothing found


def test_plans_that_do_not_parse_are_reported_and_deep_plans_are_read(work: Path) -> None:
    """A file that looks like a Terraform plan but does not parse fails the run (LL000), and a
    plan nesting hundreds of levels deep (as terraform show -json may write) is read."""
    plan = json.dumps({"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {
        "root_module": {"resources": []}}})
    truncated = write(work, "truncated.json", plan[: len(plan) // 2])
    broken = write(work, "broken.json", plan.replace(":", " ", 2))
    for bad in (truncated, broken):
        assert_ll000(check_with_good(bad, isolated=True), bad, 1)
    deep = "{\"a\": " * 800 + "1" + "}" * 800
    nested = write(work, "deep-plan.json", plan[:-1] + f', "configuration": {{"root_module": {{"x": {deep}}}}}}}')
    run = check_with_good(nested, isolated=True)
    assert run.findings(nested) == [] and run.code == 0  # read: no LL000, and the plan has no function


@pytest.mark.parametrize(("name", "text"), [
    ("selfref.yaml", "Resources: &r {Fn: {Type: AWS::Lambda::Function, Properties: *r}}\n"),
    ("selfref.json", '{"Resources": &r {"Fn": {"Type": "AWS::Lambda::Function", "Properties": *r}}}\n'),
    ("notes.yaml", "notes: &r {Resources: *r}\n"),
])
def test_an_anchor_that_contains_its_own_alias_is_reported(work: Path, name: str, text: str) -> None:
    bad = write(work, name, text)
    assert_ll000(check_with_good(bad, isolated=True), bad, 1)


def test_conditions_over_conditions_through_aliases_stay_bounded(work: Path) -> None:
    """Each Fn::If names the previous one twice: 2^16 paths to one value, judged once."""
    lines = ["Conditions:", "  C: !Equals [a, b]", "Metadata:", "  a0: &a0 '1000'"]
    lines += [f"  a{i}: &a{i} !If [C, *a{i - 1}, *a{i - 1}]" for i in range(1, 17)]
    lines += ["Resources:", "  Fn:", "    Type: AWS::Lambda::Function", "    Properties:", "      Runtime: python3.13",
              "      Handler: a.b", "      Role: arn:aws:iam::123456789012:role/x",
              "      Code: {S3Bucket: b, S3Key: k}", "      Timeout: *a16"]
    bad = write(work, "ifs.yaml", "\n".join(lines) + "\n")
    proc = subprocess.run([sys.executable, "-m", "lambdalint", "check", "--format", "json", "--select", "QT002", bad],
                          capture_output=True, text=True, timeout=120)
    found = json.loads(proc.stdout)["findings"]
    assert [(f["rule"], f["line"]) for f in found] == [("QT002", 4)]


def test_utf32_templates_are_read(work: Path) -> None:
    text = ("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
            "      Timeout: 30  # lambdalint: ignore[LL000] r\n")
    for encoding in ("utf-32", "utf-32-be"):
        path = work / f"t-{encoding}.yaml"
        data = text.encode("utf-32") if encoding == "utf-32" else b"\x00\x00\xfe\xff" + text.encode("utf-32-be")
        path.write_bytes(data)
        run = lint(str(path))
        assert run.findings(path.name) == [("LL001", 5)], run.stdout  # read: its suppression was seen


def test_find_in_map_over_a_huge_mapping_is_bounded_and_noted(work: Path) -> None:
    mapping = {f"k{i}": {f"s{j}": "x" for j in range(40)} for i in range(300)}
    resources = {f"Fn{i}": {"Type": "AWS::Lambda::Function", "Properties": {
        "Timeout": {"Fn::FindInMap": ["M", {"Ref": "P"}, {"Ref": "Q"}]}}} for i in range(30)}
    bad = write(work, "maps.json", json.dumps({"Parameters": {"P": {"Type": "String"}, "Q": {"Type": "String"}},
                                               "Mappings": {"M": mapping}, "Resources": resources}))
    run = lint(bad, isolated=True)
    assert run.findings(bad) == []  # the entries are not judged one by one (no LL000 per entry)
    assert "Fn::FindInMap over 'M' may select more than 64 entries" in run.stderr
