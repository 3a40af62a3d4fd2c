"""JUnit XML and GitLab Code Quality JSON, checked against their documented shapes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from jsonschema import Draft7Validator
from reporter_cases import empty_result, sample_result

from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.reporters import render
from lambdalint.testing import DEFAULT_TODAY

# GitLab's documented Code Quality report (docs.gitlab.com/ci/testing/code_quality, "Code
# Quality report format"): the required keys and their types
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}


def test_gitlab_report_has_the_documented_shape() -> None:
    doc = json.loads(render("gitlab", sample_result()))
    assert list(Draft7Validator(GITLAB_SCHEMA).iter_errors(doc)) == []
    assert len(doc) == len(sample_result().findings)
    assert len({d["fingerprint"] for d in doc}) == len(doc)
    first = doc[0]
    assert first["check_name"] == "QT901 memory-too-large" and first["severity"] == "major"
    assert first["location"] == {"path": "app/template.yaml", "lines": {"begin": 12, "end": 12}}
    assert {d["severity"] for d in doc} == {"major", "minor", "info"}
    assert json.loads(render("gitlab", empty_result())) == []


def test_gitlab_paths_are_relative_to_the_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "t.yaml").write_text("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
                                               "    Properties:\n      MemorySize: lots\n")
    result, _ = Engine(Config(select=["LL"]), today=DEFAULT_TODAY, root=str(tmp_path / "infra")).run(
        [str(tmp_path / "infra")])
    [issue] = json.loads(render("gitlab", result))
    assert issue["location"]["path"] == "infra/t.yaml"


def test_junit_has_one_case_per_rule_and_file_with_failures_for_findings() -> None:
    result = sample_result()
    root = ET.fromstring(render("junit", result))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    files = {"app/template.yaml", "broken.yaml", "other dir/t,1.json", "clean.yaml"}
    assert {s.get("name") for s in suites} == files
    rule_ids = [r.id for r in result.rules]
    for suite in suites:
        cases = suite.findall("testcase")
        names = [c.get("name", "").split()[0] for c in cases]
        assert names[:len(rule_ids)] == rule_ids  # every enabled rule, then any other that fired
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(sum(1 for c in cases if c.find("failure") is not None))
        assert all(c.get("classname") == suite.get("name") for c in cases)
    assert root.get("tests") == str(sum(int(s.get("tests", "0")) for s in suites))
    assert root.get("failures") == str(sum(int(s.get("failures", "0")) for s in suites))
    template = next(s for s in suites if s.get("name") == "app/template.yaml")
    failure = next(c for c in template.findall("testcase") if c.get("name") == "QT901 memory-too-large").find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.text == ("app/template.yaml:12:19: error: Function Fn has 20000 MB of memory; "
                            "Lambda allows at most 10240 MB.")
    clean = next(s for s in suites if s.get("name") == "clean.yaml")
    assert clean.get("failures") == "0"
    # a finding of a rule that is not in the selection (LL000 on a broken file) is still a case
    broken = next(s for s in suites if s.get("name") == "broken.yaml")
    assert any(c.get("name", "").startswith("LL000") and c.find("failure") is not None
               for c in broken.findall("testcase"))


def test_junit_is_well_formed_whatever_the_message() -> None:
    from lambdalint.model import replace

    result = sample_result()
    hostile = replace(result.findings[0], message="bad \x01 <tag> & \"quote\" ]]> \ud800 end")
    text = render("junit", replace(result, findings=[hostile, *result.findings[1:]]))
    root = ET.fromstring(text.encode("utf-8"))
    messages = [f.get("message") for f in root.iter("failure")]
    assert "bad \\x01 <tag> & \"quote\" ]]> \\ud800 end" in messages
