"""The published JSON Schemas (schemas/): current, valid draft-07, and true of what lambdalint
accepts and writes: every config fixture, the reports of the corpus, a baseline."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker

from lambdalint.config import ConfigError, parse_config
from lambdalint.schemas import SCHEMAS, render_all

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "fixtures" / "config"
CORPUS = ROOT.parent / "shared" / "corpus" / "files"


def validator(name: str) -> Draft7Validator:
    schema = json.loads((ROOT / "schemas" / name).read_text())
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=FormatChecker())


def toml(path: Path) -> tuple[Any, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    data = tomllib.loads(path.read_text())
    section = data.get("tool", {}).get("lambdalint") if path.name == "pyproject.toml" else data
    as_json = json.loads(json.dumps(section, default=str))  # TOML dates as editors see them: strings
    return section, as_json


def test_the_schema_files_are_current() -> None:
    assert set(SCHEMAS) == {p.name for p in (ROOT / "schemas").iterdir()}
    for name, text in render_all().items():
        stale = f"schemas/{name} is stale: run python -m lambdalint.schemas"
        assert (ROOT / "schemas" / name).read_text() == text, stale


@pytest.mark.parametrize("path", sorted((CONFIGS / "valid").iterdir()), ids=lambda p: p.name)
def test_valid_config_fixtures_pass_the_schema_and_the_loader(path: Path) -> None:
    section, as_json = toml(path)
    assert list(validator("lambdalint-config.schema.json").iter_errors(as_json)) == []
    parse_config(section, str(path))


@pytest.mark.parametrize("path", sorted((CONFIGS / "invalid").iterdir()), ids=lambda p: p.name)
def test_invalid_config_fixtures_fail_the_schema_and_the_loader(path: Path) -> None:
    section, as_json = toml(path)
    assert list(validator("lambdalint-config.schema.json").iter_errors(as_json)) != []
    with pytest.raises(ConfigError):
        parse_config(section, str(path))


def test_reports_pass_the_report_schema() -> None:
    from lambdalint.config import Config
    from lambdalint.engine import Engine
    from lambdalint.reporters import render

    target = CORPUS if CORPUS.is_dir() else ROOT / "fixtures"
    result, _ = Engine(Config(jobs=0), root=str(target)).run([str(target)])
    assert len(result.findings) > 30
    check = validator("report.schema.json")
    for show_suppressed in (False, True):
        doc = json.loads(render("json", result, show_suppressed=show_suppressed))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in check.iter_errors(doc)]
        assert errors[:5] == []


def test_a_written_baseline_passes_the_baseline_schema(tmp_path: Path) -> None:
    from lambdalint.baseline import render
    from lambdalint.config import Config
    from lambdalint.engine import Engine

    result, _ = Engine(Config(), root=str(ROOT)).run([str(ROOT / "fixtures" / "examples")])
    doc = json.loads(render(result.findings))
    assert len(doc["findings"]) > 10
    assert list(validator("baseline.schema.json").iter_errors(doc)) == []


def test_a_run_without_config_or_json_does_not_load_the_schemas(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / ".git").mkdir()
    (tmp_path / "t.yaml").write_text("Resources: {}\n")
    code = ("import sys; from lambdalint.cli import main; sys.argv = ['lambdalint', 'check', 't.yaml']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('lambdalint.schemas' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stderr.strip().endswith("False"), proc.stderr
