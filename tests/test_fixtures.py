"""Every fixture declares its expected findings; the harness is strict both ways.

``fixtures/<area>/<ID>/<case>.<dialect>.<ext>``: only rule ``<ID>`` runs. YAML fixtures mark
lines with ``# expect: ID`` (several: ``# expect: ID1, ID2``); JSON fixtures have a sidecar
``<file>.expect.yaml`` (``expect: [{rule, pointer}]``). ``# today: YYYY-MM-DD`` (YAML) or
``today:`` (sidecar) sets the date; the default is 2026-11-22. A fixture must also parse
cleanly: any LL000 problem fails it (unless the rule under test is LL000).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import date

import pytest
import yaml

from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.registry import all_rules
from lambdalint.testing import DEFAULT_TODAY

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]{2}\d{3}(?:\s*,\s*[A-Z]{2}\d{3})*)")
TODAY = re.compile(r"^#\s*today:\s*(\d{4}-\d{2}-\d{2})", re.M)
SUFFIXES = (".yaml", ".yml", ".json", ".tf", ".tfvars")


def fixture_files() -> list[str]:
    out = []
    for area in sorted(os.listdir(FIXTURES)):
        area_dir = os.path.join(FIXTURES, area)
        if not os.path.isdir(area_dir) or area in ("examples", "apps", "config"):
            continue
        for rule_id in sorted(os.listdir(area_dir)):
            rule_dir = os.path.join(area_dir, rule_id)
            for name in sorted(os.listdir(rule_dir)):
                full = os.path.join(rule_dir, name)
                if os.path.isdir(full) and name.endswith(".tf"):  # a Terraform module
                    out.append(os.path.relpath(full, FIXTURES))
                elif name.endswith(SUFFIXES) and not name.endswith(".expect.yaml") and os.path.isfile(full):
                    out.append(os.path.relpath(full, FIXTURES))
    return out


def expected(path: str, text: str) -> tuple[Counter[tuple[str, str]], date]:
    sidecar = path + ".expect.yaml"
    if os.path.exists(sidecar):
        with open(sidecar, encoding="utf-8") as fh:
            spec = yaml.safe_load(fh) or {}
        today = spec.get("today", DEFAULT_TODAY)
        if isinstance(today, str):
            today = date.fromisoformat(today)
        return Counter((e["rule"], "ptr:" + e["pointer"]) for e in spec.get("expect") or []), today
    exp: Counter[tuple[str, str]] = Counter()
    for fname, ftext in _texts(path, text):
        for lineno, line in enumerate(ftext.splitlines(), start=1):
            m = EXPECT.search(line)
            if m:
                for rule in m.group(1).split(","):
                    exp[(rule.strip(), f"line:{fname}:{lineno}")] += 1
    m = TODAY.search("".join(t for _, t in _texts(path, text)))
    return exp, date.fromisoformat(m.group(1)) if m else DEFAULT_TODAY


def _texts(path: str, text: str) -> list[tuple[str, str]]:
    """(file name, text) of a fixture file, or of every file of a Terraform fixture module."""
    if not os.path.isdir(path):
        return [(os.path.basename(path), text)]
    out = []
    for folder, dirs, names in sorted(os.walk(path)):
        dirs.sort()
        for name in sorted(names):
            full = os.path.join(folder, name)
            with open(full, encoding="utf-8") as fh:
                out.append((os.path.relpath(full, path).replace(os.sep, "/"), fh.read()))
    return out


def _where(fixture: str, found: str) -> str:
    """A finding's file as the fixture's markers name it: the file name, or its path inside
    a Terraform fixture module that has module folders (``modules/fn/main.tf``)."""
    prefix = os.path.basename(fixture.rstrip(os.sep)) + "/"
    shown = found.replace(os.sep, "/")
    return shown[len(prefix):] if os.path.isdir(fixture) and shown.startswith(prefix) else os.path.basename(shown)


@pytest.mark.parametrize("rel", fixture_files())
def test_fixture(rel: str) -> None:
    rule_id = rel.split(os.sep)[1]
    path = os.path.join(FIXTURES, rel)
    text = ""
    if os.path.isfile(path):
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    exp, today = expected(path, text)
    uses_pointer = any(k[1].startswith("ptr:") for k in exp) or os.path.exists(path + ".expect.yaml")
    # suppression rules judge what every other rule found
    select = ["ALL"] if rule_id in ("LL001", "LL002") else [rule_id, "LL000"]
    engine = Engine(Config(select=select), today=today, root=os.path.dirname(path.rstrip(os.sep)))
    result, missing = engine.run([path])
    assert not missing
    assert not engine.errors, engine.errors
    if rule_id != "LL000":
        problems = [f"{f.source.line}:{f.source.column} {f.message}" for f in result.findings if f.rule_id == "LL000"]
        assert not problems, f"fixture does not parse cleanly: {problems}"
    got: Counter[tuple[str, str]] = Counter()
    for f in result.findings:
        if f.rule_id != rule_id:
            continue
        where = f"ptr:{f.source.pointer}" if uses_pointer else f"line:{_where(path, f.source.path)}:{f.source.line}"
        got[(f.rule_id, where)] += 1
    missed = exp - got
    unexpected = got - exp
    detail = "\n".join(f"  {f.source.line}:{f.source.column} {f.source.pointer} {f.message}"
                       for f in result.findings if f.rule_id == rule_id)
    assert not missed and not unexpected, (
        f"missed: {sorted(missed.elements())}\nunexpected: {sorted(unexpected.elements())}\nfindings:\n{detail}"
    )


def test_every_fixture_folder_names_a_real_rule() -> None:
    ids = {r.id for r in all_rules()}
    for area in os.listdir(FIXTURES):
        area_dir = os.path.join(FIXTURES, area)
        if not os.path.isdir(area_dir) or area in ("examples", "apps", "config"):
            continue
        for rule_id in os.listdir(area_dir):
            assert rule_id in ids, f"fixtures/{area}/{rule_id} names no rule"
            rule = next(r for r in all_rules() if r.id == rule_id)
            assert rule.area() == area, f"fixtures/{area}/{rule_id}: {rule_id} belongs in fixtures/{rule.area()}"
