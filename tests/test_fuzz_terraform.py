"""Property-based tests over the Terraform loaders: HCL text, modules, expressions and plans.

Whatever the input, reading it raises no error other than :class:`LoadError` (reported as
LL000), evaluation never raises, and a whole run never fails internally."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.loading import load_file
from lambdalint.parsers.nodes import LoadError
from lambdalint.parsers.terraform.hcl import load_hcl
from lambdalint.parsers.terraform.module import parse_module
from lambdalint.testing import DEFAULT_TODAY

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

# LAMBDALINT_FUZZ_EXAMPLES raises the number of examples for a longer campaign
FAST = settings(max_examples=int(os.environ.get("LAMBDALINT_FUZZ_EXAMPLES", "300")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

HCL_BITS = st.sampled_from([
    'resource "aws_lambda_function" "f" {', "}", "{", "\n", " = ", "var.", "local.", "module.m.", "each.",
    "count.index", '"', "${", "%{", "<<EOT\n", "\nEOT\n", "<<-X\n", "[", "]", "(", ")", ",", "?", ":", "==",
    "!", "&&", "-", "*", "/", "%", "...", "=>", "for x in ", " if ", "[*]", ".*", "null", "true", "1e309",
    "timeout", "lookup(", "merge(", "try(", "format(", "jsondecode(", "templatefile(", "file(", "yamldecode(",
    "\\u00e9", "\\ud800", "\x00", "\t", "#", "//", "/*", "*/", 'variable "v" { default = ', 'locals {',
    'dynamic "environment" { for_each = ', "content {", 'module "m" { source = "./" ', "count = ", "for_each = ",
])

EXPRESSION_BITS = st.sampled_from([
    "local.a", "local.b", "var.v", "1", '"s"', "[1, 2]", '{ k = 1 }', "null", "true", "+", "-", "*", "/", "%",
    "==", "!=", "<", "&&", "||", "!", "?", ":", "(", ")", "[", "]", "[0]", '["k"]', ".k", "[*]", "...",
    "lookup(", "merge(", "concat(", "format(", "element(", "try(", "can(", "coalesce(", "flatten(", "keys(",
    "range(", "jsondecode(", "yamldecode(", "replace(", "split(", ",", "for x in ", " : ", " if ", "=>",
    '"${local.a}${local.a}"', '"%{ if true }x%{ endif }"', "max(", "tonumber(", "sum(",
])


@FAST
@given(st.one_of(st.text(max_size=200), st.lists(HCL_BITS, max_size=50).map("".join)))
def test_load_hcl_raises_only_load_error(text: str) -> None:
    try:
        load_hcl(text, "main.tf")
    except LoadError:
        pass


@FAST
@given(st.lists(EXPRESSION_BITS, min_size=1, max_size=25).map(" ".join))
def test_evaluating_any_expression_never_raises(tmp_path: Path, expr: str) -> None:
    text = ('variable "v" {\n  default = { k = [1, "x"] }\n}\nlocals {\n  a = "ab"\n  b = [local.a]\n'
            f"  x = {expr}\n}}\n"
            'resource "aws_lambda_function" "f" {\n  function_name = local.x\n  timeout = local.x\n'
            '  layers = local.x\n  environment {\n    variables = local.x\n  }\n}\n')
    (tmp_path / "main.tf").write_text(text)
    try:
        load_hcl(text, "main.tf")
    except LoadError:
        return  # not HCL: reported as LL000, nothing to evaluate
    parse_module(str(tmp_path), str(tmp_path), ".")  # must not raise


@FAST
@given(st.lists(HCL_BITS, max_size=40).map("".join))
def test_the_engine_never_fails_on_a_module(tmp_path: Path, text: str) -> None:
    (tmp_path / "main.tf").write_text(text)
    engine = Engine(Config(), today=DEFAULT_TODAY, root=str(tmp_path))
    engine.run([str(tmp_path)])
    assert not engine.errors, engine.errors


PLAN_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10, 5000), st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from([
        "function_name", "timeout", "role", "runtime", "handler", "address", "values", "resources",
        "child_modules", "expressions", "references", "module_calls", "module", "outputs", "type", "mode",
    ]), inner, max_size=5)),
    max_leaves=30,
)


@FAST
@given(PLAN_VALUES, PLAN_VALUES)
def test_any_plan_shaped_document_is_read_or_reported(tmp_path: Path, planned: object, config: object) -> None:
    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": planned},
            "configuration": {"root_module": config}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    load_file(str(path), "plan.json")  # must not raise
    engine = Engine(Config(), today=DEFAULT_TODAY, root=str(tmp_path))
    engine.run([str(path)])
    assert not engine.errors, engine.errors
