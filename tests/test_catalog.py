"""Meta-tests over the rule catalog: conventions every rule must keep."""

from __future__ import annotations

import importlib
import inspect
import os
import re

import pytest

from lambdalint.docs import readme_with_table, rule_markdown
from lambdalint.registry import all_rules
from lambdalint.rule import FunctionRule, Rule
from lambdalint.testing import lint_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_CATALOG = os.path.join(os.path.dirname(ROOT), "shared", "CATALOG.md")
RULES = all_rules()
IDS = [r.id for r in RULES]
CATALOG_ROW = re.compile(r"^\| ([A-Z]{2}\d{3}) \| ([a-z0-9-]+) \|", re.M)


def test_ids_unique() -> None:
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_module_name_matches_id_name_and_area(rule: type[Rule]) -> None:
    module = rule.__module__.split(".")
    assert module[0] == "lambdalint_rules"
    assert module[1] == rule.area(), f"{rule.id} lives in {module[1]}, belongs in {rule.area()}"
    assert module[2] == f"{rule.id}_{rule.name.replace('-', '_')}"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_docstring_sections(rule: type[Rule]) -> None:
    doc = inspect.cleandoc(rule.__doc__ or "")
    title = doc.splitlines()[0]
    assert title.endswith("."), f"{rule.id}: title should be one sentence"
    assert "## Why is this bad?" in doc
    assert "## How to fix" in doc


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_bad_example_fires_and_good_example_is_clean(rule: type[Rule]) -> None:
    select = ["ALL"] if rule.id in ("LL001", "LL002") else [rule.id]
    bad = lint_text(rule.bad_example, select=select)
    if getattr(rule, "fixture_generated", False):  # its bad input is built by a dedicated test
        bad = lint_text(rule.good_example, select=select)
        assert not bad.findings
        return
    assert any(f.rule_id == rule.id for f in bad.findings), f"{rule.id} bad_example does not fire"
    good = lint_text(rule.good_example, select=select)
    assert not [f for f in good.findings if f.rule_id in (rule.id, "LL000")], (
        f"{rule.id} good_example is not clean: {[f.message for f in good.findings]}"
    )


@pytest.mark.parametrize("rule", [r for r in RULES if r.area() not in ("meta",)], ids=lambda r: r.id)
def test_every_rule_has_failing_and_clean_fixtures_per_dialect(rule: type[Rule]) -> None:
    folder = os.path.join(ROOT, "fixtures", rule.area(), rule.id)
    assert os.path.isdir(folder), f"no fixtures for {rule.id}"
    names = os.listdir(folder)
    for dialect, exts in (("sam", (".yaml",)), ("cfn", (".yaml", ".json")), ("plan", (".json",))):
        if dialect not in rule.dialects:
            continue
        for ext in exts:
            cases = [n for n in names if n.endswith(f".{dialect}{ext}")]
            assert cases, f"{rule.id}: no {dialect}{ext} fixture"
            failing = [n for n in cases if _has_expectation(os.path.join(folder, n))]
            clean = [n for n in cases if not _has_expectation(os.path.join(folder, n))]
            # rules whose failing input is too large to commit (QT008: a 250 MB package)
            # build it at test time in tests/test_<id>_*.py instead
            if not getattr(rule, "fixture_generated", False):
                assert failing, f"{rule.id}: no failing {dialect}{ext} fixture"
            assert clean, f"{rule.id}: no clean {dialect}{ext} fixture"
    if "tf" in rule.dialects:
        modules = [n for n in names if n.endswith(".tf") and os.path.isdir(os.path.join(folder, n))]
        failing = [n for n in modules if _module_has_expectation(os.path.join(folder, n))]
        assert len(failing) < len(modules), f"{rule.id}: no clean Terraform fixture"
        if not getattr(rule, "fixture_generated", False):
            assert failing, f"{rule.id}: no failing Terraform fixture"
        assert any(n.startswith("unresolved") for n in modules), f"{rule.id}: no unresolved Terraform case"
    assert any(n.startswith("unresolved") for n in names), f"{rule.id}: no unresolved case"


def _module_has_expectation(folder: str) -> bool:
    return any(_has_expectation(os.path.join(folder, n)) for n in os.listdir(folder)
               if os.path.isfile(os.path.join(folder, n)))


def _has_expectation(path: str) -> bool:
    sidecar = path + ".expect.yaml"
    if os.path.exists(sidecar):
        import yaml

        with open(sidecar, encoding="utf-8") as fh:
            return bool((yaml.safe_load(fh) or {}).get("expect"))
    with open(path, encoding="utf-8") as fh:
        return "# expect:" in fh.read()


@pytest.mark.skipif(not os.path.exists(SHARED_CATALOG), reason="../shared/CATALOG.md is not beside the project")
def test_names_match_the_catalog() -> None:
    with open(SHARED_CATALOG, encoding="utf-8") as fh:
        catalog = dict(CATALOG_ROW.findall(fh.read()))
    for rule in RULES:
        assert rule.id in catalog, f"{rule.id} is not in CATALOG.md"
        assert catalog[rule.id] == rule.name, f"{rule.id}: name {rule.name} != catalog {catalog[rule.id]}"


def test_function_rules_are_function_rules() -> None:
    for rule in RULES:
        assert issubclass(rule, Rule)
    assert any(issubclass(r, FunctionRule) for r in RULES)


def test_readme_rule_table_is_current() -> None:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    assert readme_with_table(readme, RULES) == readme, "README rule table is stale: run python -m lambdalint.docs"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_docs_are_current(rule: type[Rule]) -> None:
    path = os.path.join(ROOT, "docs", "rules", f"{rule.id}.md")
    assert os.path.exists(path), f"docs/rules/{rule.id}.md missing: run python -m lambdalint.docs"
    with open(path, encoding="utf-8") as fh:
        assert fh.read() == rule_markdown(rule), f"docs/rules/{rule.id}.md is stale: run python -m lambdalint.docs"


def test_malformed_rule_fails_at_import() -> None:
    from lambdalint.rule import RuleDefinitionError, Severity

    with pytest.raises(RuleDefinitionError):
        class Broken(FunctionRule):
            """No why section."""

            id = "QT999"
            name = "broken"
            severity = Severity.ERROR
            references = ("https://example.com",)
            bad_example = good_example = ""

    importlib.import_module("lambdalint_rules")
