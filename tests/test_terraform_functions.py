"""Terraform expressions and functions evaluated as Terraform evaluates them."""

from __future__ import annotations

from typing import Any

import pytest

from lambdalint.parsers.terraform.hcl import load_hcl
from lambdalint.parsers.terraform.resolver import Failed, TerraformResolver, Unknown, plain
from lambdalint.values import Unresolved

UNKNOWN = "<unknown>"
FAILS = "<fails>"

LOCALS = """
  m      = { a = 1, b = { c = "deep" } }
  l      = ["x", "y", "z"]
  n      = null
  objs   = [{ name = "a", t = 3 }, { name = "b", t = 9 }]
  s      = "Hello"
"""


def evaluate(expr: str, variables: str = "") -> Any:
    body = load_hcl(f"{variables}\nlocals {{\n{LOCALS}\n  x = {expr}\n}}\n", "m.tf")
    var_node = body.value.get("variable")
    declared = {k: v for k, v in var_node.value.items()} if var_node is not None else {}
    r = TerraformResolver("m.tf", declared, {}, body.value["locals"], {})
    loc = r.resolve(body.value["locals"].value["x"], "/x")
    if isinstance(loc.value, Failed):
        return FAILS
    if isinstance(loc.value, Unresolved):
        return UNKNOWN if not loc.candidates else ("candidates", [plain(c) for c in r.choices(loc) or []])
    try:
        return plain(loc)
    except Unknown:
        return UNKNOWN


@pytest.mark.parametrize(("expr", "expected"), [
    # operators and conditionals
    ("1 + 2 * 3", 7),
    ("10 / 4", 2.5),
    ("7 % 3", 1),
    ('"a" == "a" && !false', True),
    ('1 == "1"', False),
    ("local.n == null ? \"none\" : \"some\"", "none"),
    ("length(local.l) > 2 ? 1 : 0", 1),
    # references, indexes, splats, for
    ('local.m["b"]["c"]', "deep"),
    ("local.m.b.c", "deep"),
    ("local.l[1]", "y"),
    ("local.objs[1].t", 9),
    ("local.objs[*].name", ["a", "b"]),
    ("[for o in local.objs : o.t if o.t > 5]", [9]),
    ("{for o in local.objs : o.name => o.t}", {"a": 3, "b": 9}),
    ("{for o in local.objs : \"k\" => o.name...}", {"k": ["a", "b"]}),
    ('local.m["missing"]', FAILS),
    ("local.l[5]", FAILS),
    # functions that pick
    ('lookup(local.m, "a", 0)', 1),
    ('lookup(local.m, "z", 0)', 0),
    ('try(local.m.z, "fallback")', "fallback"),
    ("can(local.m.z)", False),
    ('coalesce(local.n, "", "first")', "first"),
    ("merge(local.m, { a = 2 })", {"a": 2, "b": {"c": "deep"}}),
    ("concat(local.l, [\"w\"])", ["x", "y", "z", "w"]),
    ("element(local.l, 4)", "y"),
    ("flatten([[1, [2]], [3]])", [1, 2, 3]),
    ("keys({ b = 1, a = 2 })", ["a", "b"]),
    ("values({ b = 1, a = 2 })", [2, 1]),
    ("toset([\"b\", \"a\", \"b\"])", ["a", "b"]),
    ("distinct([1, 1, 2])", [1, 2]),
    ("compact([\"a\", \"\", null])", ["a"]),
    ("one([])", None),
    ("zipmap([\"a\", \"b\"], [1, 2])", {"a": 1, "b": 2}),
    ("slice(local.l, 0, 2)", ["x", "y"]),
    ("reverse(local.l)", ["z", "y", "x"]),
    ("tomap({ a = 1 })", {"a": 1}),
    ("merge(local.l...)", FAILS),
    ("concat([[1], [2]]...)", [1, 2]),
    # functions that compute
    ('format("%s-%03d-%v", "a", 7, true)', "a-007-true"),
    ('join(",", local.l)', "x,y,z"),
    ('split(",", "a,b")', ["a", "b"]),
    ('replace("a-b-c", "-", "_")', "a_b_c"),
    ('replace("a1b22", "/[0-9]+/", "#")', "a#b#"),
    ("upper(local.s)", "HELLO"),
    ('substr("abcdef", 1, 3)', "bcd"),
    ('trimprefix("arn:aws", "arn:")', "aws"),
    ("length(local.m)", 2),
    ('contains(local.l, "z")', True),
    ('index(local.l, "z")', 2),
    ("max(3, 9, 1)", 9),
    ("min([4, 2])", 2),
    ("range(3)", [0, 1, 2]),
    ('tonumber("42")', 42),
    ('tobool("true")', True),
    ("tostring(5)", "5"),
    ('jsonencode({ a = [1, "b"] })', '{"a":[1,"b"]}'),
    ('jsondecode("{\\"a\\": 1}")', {"a": 1}),
    ('base64encode("hi")', "aGk="),
    ('sha256("")', "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ('startswith("lambda", "lam")', True),
    ('yamldecode("a: [1, 2]")', {"a": [1, 2]}),
    ('yamldecode("x: &a [1, 2]\\ny: *a")', {"x": [1, 2], "y": [1, 2]}),
    ('yamldecode("!!python/object:os.system {}")', FAILS),
    # unknown, never an error
    ("timestamp()", UNKNOWN),
    ("some_future_function(1)", UNKNOWN),
    ('provider::aws::arn_parse("arn:aws:s3:::b")', UNKNOWN),
    ("aws_sqs_queue.q.arn", UNKNOWN),
    ("path.cwd", UNKNOWN),
])
def test_expression(expr: str, expected: Any) -> None:
    assert evaluate(expr) == expected


def test_root_defaults_are_candidates_that_decide_conditions() -> None:
    variables = 'variable "size" {\n  default = 2\n}\nvariable "flag" {\n  type    = bool\n  default = "true"\n}\n'
    assert evaluate("var.size * 10", variables) == ("candidates", [20])
    assert evaluate("var.flag ? \"on\" : \"off\"", variables) == ("candidates", ["on"])
    assert evaluate("var.unknown_variable + 1", variables) == UNKNOWN


def test_an_unknown_condition_keeps_both_branches() -> None:
    body = load_hcl('locals {\n  x = var.v ? 1 : 2\n}\n', "m.tf")
    r = TerraformResolver("m.tf", {}, {}, body.value["locals"], {})
    loc = r.resolve(body.value["locals"].value["x"], "/x")
    assert [c.value for c in loc.candidates] == [1, 2]


def test_fileset_lists_files_of_the_configuration(tmp_path: Any) -> None:
    from lambdalint.parsers.terraform.module import parse_module

    (tmp_path / "cfg").mkdir()
    for name in ("a.yaml", "b.yaml", "c.json"):
        (tmp_path / "cfg" / name).write_text("timeout: 1000\n")
    (tmp_path / "main.tf").write_text(
        'locals {\n  files = fileset("${path.module}/cfg", "*.{yaml,yml}")\n'
        '  cfg = { for f in local.files : f => yamldecode(file("${path.module}/cfg/${f}")) }\n}\n'
        'resource "aws_lambda_function" "f" {\n  for_each = local.cfg\n  function_name = each.key\n'
        '  role = "arn:aws:iam::123456789012:role/x"\n  handler = "a.b"\n  runtime = "python3.13"\n'
        '  filename = "f.zip"\n  timeout = each.value.timeout\n}\n')
    app, _ = parse_module(str(tmp_path), str(tmp_path), ".")
    timeouts = {fid: fn.timeout.known() if fn.timeout else None for fid, fn in app.functions.items()}
    assert timeouts == {'aws_lambda_function.f["a.yaml"]': 1000, 'aws_lambda_function.f["b.yaml"]': 1000}


def test_a_yaml_alias_bomb_is_unknown() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\\n"
        for i in range(8))
    assert evaluate(f'yamldecode("{bomb}")') == UNKNOWN
