"""Text, JSON and GitHub reporters, the reporter dispatch and the shared fingerprint."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from reporter_cases import (
    AdminPolicy,
    MemoryTooLarge,
    ReservedConcurrencyNote,
    empty_result,
    finding,
    ref,
    sample_findings,
    sample_result,
    shifted,
)

from lambdalint import __version__
from lambdalint.fingerprint import fingerprint, normalize_path
from lambdalint.model import replace
from lambdalint.reporters import FORMATS, render
from lambdalint.reporters.github import escape_data, escape_property
from lambdalint.result import RunResult
from lambdalint.rule import Severity

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# -- dispatch ---------------------------------------------------------------------------


def test_formats() -> None:
    assert FORMATS == ("text", "json", "sarif", "github", "junit", "gitlab")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render("xml", empty_result())


@pytest.mark.parametrize("fmt", FORMATS)
def test_deterministic(fmt: str) -> None:
    assert render(fmt, sample_result()) == render(fmt, sample_result())


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_ends_with_newline(fmt: str) -> None:
    out = render(fmt, sample_result())
    assert out.endswith("\n") and not out.endswith("\n\n")


def test_text_report_loads_no_other_reporter() -> None:
    code = ("import sys; from lambdalint.reporters import render; from reporter_cases import sample_result; "
            "render('text', sample_result()); "
            "print(sorted(m for m in sys.modules if m.startswith('lambdalint.reporters.')))")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, os.path.join(ROOT, "rules"),
                                                       os.path.join(ROOT, "tests")]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "['lambdalint.reporters._common', 'lambdalint.reporters.text']"


# -- text -------------------------------------------------------------------------------


def test_text_clean_is_empty() -> None:
    assert render("text", empty_result()) == ""
    assert render("text", empty_result(), color=True) == ""


def test_text_clean_but_suppressed_is_empty() -> None:
    result = sample_result(suppressed=True)
    result.findings = []
    assert render("text", result, show_suppressed=True) == ""


def test_text_lines_and_summary() -> None:
    lines = render("text", sample_result()).splitlines()
    assert lines == [
        "app/template.yaml:12:19: error: QT901 [memory-too-large] Function Fn has 20000 MB of memory; "
        "Lambda allows at most 10240 MB.",
        "app/template.yaml:20:13: error: IM901 [admin-policy] Role of Fn allows every action on every resource.",
        "app/template.yaml:30:7: warning: RC901 [recursive-loop] Fn writes to queue Q, which triggers Fn: "
        "a recursive loop.",
        "app/template.yaml:33:7: warning: EV901 [no-reserved-concurrency] Fn has no reserved concurrency.",
        "broken.yaml:4:1: error: LL000 [parse-error] YAML parse error: did not find expected node content.",
        "other dir/t,1.json:2:3: note: EV901 [no-reserved-concurrency] Other has no reserved concurrency.",
        "Found 6 problems (3 errors, 2 warnings, 1 note) in 3 files.",
    ]


def test_text_summary_singular() -> None:
    f = finding(ReservedConcurrencyNote, ref("t.yaml", 1), "No reserved concurrency.")
    out = render("text", RunResult(findings=[f], rules=[ReservedConcurrencyNote]))
    assert out.splitlines()[-1] == "Found 1 problem (1 note) in 1 file."


def test_text_ignores_suppressed() -> None:
    shown = render("text", sample_result(suppressed=True), show_suppressed=True)
    assert shown == render("text", sample_result())


def test_text_color() -> None:
    plain = render("text", sample_result())
    colored = render("text", sample_result(), color=True)
    assert ANSI.search(colored) and not ANSI.search(plain)
    assert ANSI.sub("", colored) == plain
    first = colored.splitlines()[0]
    assert first.startswith("\x1b[1mapp/template.yaml\x1b[0m:12:19: \x1b[31merror\x1b[0m: QT901 [memory-too-large]")
    assert "\x1b[33mwarning\x1b[0m: RC901" in colored
    assert "\x1b[36mnote\x1b[0m: EV901" in colored.splitlines()[-2]


def test_text_one_finding_per_line() -> None:
    f = finding(MemoryTooLarge, ref("t.yaml", 1), "First line.\nSecond line.")
    out = render("text", RunResult(findings=[f], rules=[MemoryTooLarge]))
    assert out.splitlines()[0].endswith("First line. Second line.")


def test_text_unknown_rule_has_no_name() -> None:
    f = finding(MemoryTooLarge, ref("t.yaml", 1), "Too big.")
    out = render("text", RunResult(findings=[f], rules=[]))
    assert out.splitlines()[0] == "t.yaml:1:7: error: QT901 Too big."


# -- paths ------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("template.yaml", "template.yaml"),
    ("./template.yaml", "template.yaml"),
    ("././a/./b.yaml", "a/b.yaml"),
    ("a\\b\\c.yaml", "a/b/c.yaml"),
    (".\\a\\b.yaml", "a/b.yaml"),
    ("a//b.yaml", "a/b.yaml"),
    ("/abs/x.yaml", "/abs/x.yaml"),
])
def test_normalize_path(raw: str, expected: str) -> None:
    assert normalize_path(raw) == expected


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_paths_are_normalised(fmt: str) -> None:
    f = finding(MemoryTooLarge, ref(".\\sub\\t.yaml", 1), "Too big.")
    out = render(fmt, RunResult(findings=[f], rules=[MemoryTooLarge]))
    assert "sub/t.yaml" in out and "\\" not in out and "./" not in out


# -- github -----------------------------------------------------------------------------


def test_github_clean_is_empty() -> None:
    assert render("github", empty_result()) == ""


def test_github_commands() -> None:
    lines = render("github", sample_result()).splitlines()
    assert lines[0] == ("::error file=app/template.yaml,line=12,col=19,endLine=12,endColumn=29,"
                        "title=QT901 memory-too-large::Function Fn has 20000 MB of memory; "
                        "Lambda allows at most 10240 MB.")
    assert lines[2].startswith("::warning file=app/template.yaml,line=30,")
    # EV901 is a note by default but overridden to warning on line 33; the other one stays a note
    assert lines[3].startswith("::warning ")
    assert lines[5] == ("::notice file=other dir/t%2C1.json,line=2,col=3,endLine=2,endColumn=13,"
                        "title=EV901 no-reserved-concurrency::Other has no reserved concurrency.")
    assert len(lines) == len(sample_findings())


def test_github_escaping() -> None:
    f = finding(MemoryTooLarge, ref("a:b,c%d.yaml", 3), "100% wrong,\r\nsee: docs::here")
    line = render("github", RunResult(findings=[f], rules=[MemoryTooLarge])).rstrip("\n")
    assert "\n" not in line and "\r" not in line
    assert line == ("::error file=a%3Ab%2Cc%25d.yaml,line=3,col=7,endLine=3,endColumn=17,"
                    "title=QT901 memory-too-large::100%25 wrong,%0D%0Asee: docs::here")


def test_github_escape_functions() -> None:
    # the same rules as @actions/core's escapeData / escapeProperty
    assert escape_data("50%\r\n:,") == "50%25%0D%0A:,"
    assert escape_property("50%\r\n:,") == "50%25%0D%0A%3A%2C"
    assert escape_property("%3A") == "%253A"  # % first, so escapes are not double-decoded


def test_github_multiline_region_has_no_columns() -> None:
    f = finding(MemoryTooLarge, ref("t.yaml", 3, 5, end_line=6, end_column=2), "Spans lines.")
    line = render("github", RunResult(findings=[f], rules=[MemoryTooLarge]))
    assert line.startswith("::error file=t.yaml,line=3,endLine=6,title=QT901 memory-too-large::")
    assert "col=" not in line and "endColumn=" not in line


# -- json -------------------------------------------------------------------------------


def test_json_round_trip() -> None:
    result = sample_result()
    doc = json.loads(render("json", result))
    assert doc["version"] == 1
    assert doc["tool"] == {"name": "lambdalint", "version": __version__}
    assert len(doc["findings"]) == len(result.findings)
    for item, f in zip(doc["findings"], result.findings, strict=True):
        assert item["rule"] == f.rule_id
        assert item["severity"] == f.severity.value
        assert item["message"] == f.message
        assert item["path"] == normalize_path(f.source.path)
        assert (item["line"], item["column"], item["end_line"], item["end_column"]) == (
            f.source.line, f.source.column, f.source.end_line, f.source.end_column)
        assert item["pointer"] == f.source.pointer
        assert item["resource"] == f.resource
        assert item["fingerprint"] == fingerprint(f)
        assert item["suppressed"] is False
        assert item["related"] == [{"path": normalize_path(r.source.path), "line": r.source.line,
                                    "column": r.source.column, "message": r.message} for r in f.related]
        assert len(item["flow"]) == len(f.flow)
    first = doc["findings"][0]
    assert first["name"] == "memory-too-large" and first["path"] == "app/template.yaml"
    assert first["related"] == [{"path": "app/template.yaml", "line": 3, "column": 5,
                                 "message": "the Globals value it inherits"}]
    assert doc["summary"] == {"errors": 3, "warnings": 2, "notes": 1, "files": 3, "files_checked": 4,
                              "suppressed": 0}


def test_json_empty() -> None:
    doc = json.loads(render("json", empty_result()))
    assert doc["findings"] == []
    assert doc["summary"] == {"errors": 0, "warnings": 0, "notes": 0, "files": 0, "files_checked": 1,
                              "suppressed": 0}


def test_json_suppressed() -> None:
    hidden = json.loads(render("json", sample_result(suppressed=True)))
    assert all(not f["suppressed"] for f in hidden["findings"])
    assert len(hidden["findings"]) == len(sample_findings())
    assert hidden["summary"]["suppressed"] == 1
    shown = json.loads(render("json", sample_result(suppressed=True), show_suppressed=True))
    flagged = [f for f in shown["findings"] if f["suppressed"]]
    assert [f["resource"] for f in flagged] == ["Big"]
    assert len(shown["findings"]) == len(sample_findings()) + 1
    assert shown["summary"]["errors"] == hidden["summary"]["errors"]  # suppressed ones do not count


def test_json_schema_is_documented() -> None:
    with open(os.path.join(ROOT, "docs", "json-output.md"), encoding="utf-8") as fh:
        doc = fh.read()
    out = json.loads(render("json", sample_result()))
    keys = set(out) | set(out["tool"]) | set(out["summary"]) | set(out["findings"][0])
    keys |= set(out["findings"][0]["related"][0])
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert not missing, f"docs/json-output.md does not document {missing}"


# -- fingerprints -----------------------------------------------------------------------


@pytest.mark.parametrize("lines", [1, 7, 250])
def test_fingerprint_stable_when_lines_are_added_above(lines: int) -> None:
    for f in sample_findings():
        if f.source.pointer:
            assert fingerprint(shifted(f, lines)) == fingerprint(f)


def test_fingerprint_distinct() -> None:
    prints = [fingerprint(f) for f in sample_findings()]
    assert len(set(prints)) == len(prints)
    assert all(re.fullmatch(r"[0-9a-f]{64}", p) for p in prints)


def test_fingerprint_identity() -> None:
    base = finding(MemoryTooLarge, ref("t.yaml", 5, pointer="/Resources/Fn/Properties/MemorySize"),
                   "Too big.", resource="Fn")
    same = [
        replace(base, source=replace(base.source, path="./t.yaml")),
        replace(base, source=replace(base.source, column=9, end_column=30)),
        replace(base, severity=Severity.WARNING),
    ]
    different = [
        replace(base, source=replace(base.source, path="u.yaml")),
        replace(base, rule_id=AdminPolicy.id),
        replace(base, resource="Other"),
        replace(base, source=base.source.with_pointer("/Resources/Fn/Properties/Timeout")),
    ]
    assert all(fingerprint(f) == fingerprint(base) for f in same)
    assert len({fingerprint(f) for f in [base, *different]}) == len(different) + 1


def test_fingerprint_without_pointer_uses_message() -> None:
    a = finding(MemoryTooLarge, ref("t.yaml", 5), "YAML parse error: tab.")
    b = finding(MemoryTooLarge, ref("t.yaml", 9), "YAML parse error: unclosed bracket.")
    assert fingerprint(a) != fingerprint(b)
    assert fingerprint(shifted(a, 3)) == fingerprint(a)
