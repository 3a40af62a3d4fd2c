"""Terraform: module grouping, variables, bad input and plans."""

from __future__ import annotations

import json
from pathlib import Path

from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.rule import Finding
from lambdalint.testing import DEFAULT_TODAY

FUNCTION = """\
resource "aws_lambda_function" "api" {{
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "app.handler"
  runtime       = "python3.13"
  s3_bucket     = "artifacts"
  s3_key        = "api.zip"
  timeout       = {timeout}
}}
"""


def run(root: Path, *paths: Path, select: tuple[str, ...] = ("QT002", "LL000")) -> list[tuple[str, int, str]]:
    engine = Engine(Config(select=list(select)), today=DEFAULT_TODAY, root=str(root))
    result, missing = engine.run([str(p) for p in paths])
    assert not missing and not engine.errors
    return [(f.source.path, f.source.line, f.rule_id) for f in result.findings]


def test_a_file_named_alone_is_linted_with_its_directory(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(FUNCTION.format(timeout="var.timeout"))
    (tmp_path / "variables.tf").write_text('variable "timeout" {\n  default = 1200\n}\n')
    assert run(tmp_path, tmp_path / "main.tf") == [("variables.tf", 2, "QT002")]


def test_tfvars_value_wins_over_the_default(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(FUNCTION.format(timeout="var.timeout"))
    (tmp_path / "variables.tf").write_text('variable "timeout" {\n  default = 1200\n}\n')
    (tmp_path / "terraform.tfvars").write_text("timeout = 60\n")
    assert run(tmp_path, tmp_path) == []
    (tmp_path / "prod.auto.tfvars").write_text("timeout = 901\n")
    assert run(tmp_path, tmp_path) == [("prod.auto.tfvars", 1, "QT002")]


def test_syntax_error_is_ll000_and_other_modules_are_still_linted(tmp_path: Path) -> None:
    bad, good = tmp_path / "bad", tmp_path / "good"
    bad.mkdir()
    good.mkdir()
    (bad / "main.tf").write_text('resource "aws_lambda_function" "x" {\n  timeout = \n}\n')
    (good / "main.tf").write_text(FUNCTION.format(timeout=1200))
    assert run(tmp_path, tmp_path) == [("bad/main.tf", 2, "LL000"), ("good/main.tf", 8, "QT002")]


def test_heredoc_closing_marker_with_trailing_spaces(tmp_path: Path) -> None:
    # Terraform ends the heredoc at "POLICY  "; what follows is read, at its own position
    policy = ('resource "aws_sns_topic_policy" "p" {\n  arn    = "arn:aws:sns:us-east-1:123456789012:t"\n'
              '  policy = <<POLICY\n{"Version": "2012-10-17"}\nPOLICY  \n}\n')
    (tmp_path / "main.tf").write_text(policy + FUNCTION.format(timeout=1200))
    assert run(tmp_path, tmp_path) == [("main.tf", 14, "QT002")]


def test_count_zero_resources_are_not_created(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(FUNCTION.format(timeout=1200).replace("{\n", "{\n  count = 0\n", 1))
    assert run(tmp_path, tmp_path) == []


def test_local_and_conditional(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'locals {\n  t = var.prod ? 1200 : 30\n}\nvariable "prod" {\n  type = bool\n}\n'
        + FUNCTION.format(timeout="local.t"))
    assert run(tmp_path, tmp_path) == [("main.tf", 2, "QT002")]


def plan(values: dict[str, object], version: str = "1.2") -> dict[str, object]:
    return {"format_version": version, "terraform_version": "1.9.5", "planned_values": {"root_module": {
        "resources": [{"address": "aws_lambda_function.api", "mode": "managed", "type": "aws_lambda_function",
                       "name": "api", "values": values}]}}}


def test_plan_with_nulls_and_unknown_version(tmp_path: Path) -> None:
    (tmp_path / "ok.json").write_text(json.dumps(plan({"timeout": 1200, "memory_size": None, "layers": None}),
                                                 indent=2))
    (tmp_path / "future.json").write_text(json.dumps(plan({"timeout": 1200}, version="2.0"), indent=2))
    (tmp_path / "state.json").write_text(json.dumps({"format_version": "1.0", "values": None}))
    found = run(tmp_path, tmp_path)
    assert ("future.json", 2, "LL000") in found
    assert ("ok.json", 13, "QT002") in found
    assert not [f for f in found if f[0] == "state.json"]


def test_local_module_with_inputs_and_var_file(tmp_path: Path) -> None:
    child = tmp_path / "modules" / "fn"
    child.mkdir(parents=True)
    (child / "main.tf").write_text(FUNCTION.format(timeout="var.timeout"))
    (child / "variables.tf").write_text('variable "timeout" {\n  default = 30\n}\n')
    root = tmp_path / "live"
    root.mkdir()
    (root / "main.tf").write_text('module "api" {\n  source  = "../modules/fn"\n  timeout = var.api_timeout\n}\n'
                                  'module "quiet" {\n  source = "../modules/fn"\n}\n')
    (root / "variables.tf").write_text('variable "api_timeout" {\n  type = number\n}\n')
    assert run(tmp_path, root) == []
    prod = tmp_path / "prod.tfvars"
    prod.write_text("api_timeout = 1200\n")
    engine = Engine(Config(select=["QT002"], var_files=[str(prod)]), today=DEFAULT_TODAY, root=str(tmp_path))
    result, _ = engine.run([str(root)])
    assert [(f.source.path, f.source.line, f.resource) for f in result.findings] == [
        ("prod.tfvars", 1, "module.api.aws_lambda_function.api")]


def test_plan_findings_point_at_the_tf_beside_it(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(FUNCTION.format(timeout="var.timeout"))
    (tmp_path / "plan.json").write_text(json.dumps(plan({"timeout": 1200, "runtime": "python3.13"}), indent=2))
    engine = Engine(Config(select=["QT002"]), today=DEFAULT_TODAY, root=str(tmp_path))
    result, _ = engine.run([str(tmp_path / "plan.json")])
    # the value is the plan's (the variable has no default in the sources), the place is main.tf
    assert [(f.source.path, f.source.line, f.source.column) for f in result.findings] == [("main.tf", 8, 19)]



def test_plan_findings_in_a_local_module_point_at_its_tf(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('module "api" {\n  source = "./modules/fn"\n  timeout = 1200\n}\n')
    (tmp_path / "modules" / "fn").mkdir(parents=True)
    (tmp_path / "modules" / "fn" / "main.tf").write_text(FUNCTION.format(timeout="var.timeout")
                                                          + 'variable "timeout" {}\n')
    doc = {"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{
        "address": "module.api", "resources": [{
            "address": "module.api.aws_lambda_function.api", "mode": "managed", "type": "aws_lambda_function",
            "name": "api", "values": {"timeout": 1200, "runtime": "python3.13"}}]}]}},
        "configuration": {"root_module": {"module_calls": {"api": {"source": "./modules/fn", "module": {
            "resources": [{"address": "aws_lambda_function.api", "expressions": {}}]}}}}}}
    (tmp_path / "plan.json").write_text(json.dumps(doc, indent=2))
    engine = Engine(Config(select=["QT002"]), today=DEFAULT_TODAY, root=str(tmp_path))
    result, _ = engine.run([str(tmp_path / "plan.json")])
    assert [(f.source.path, f.source.line) for f in result.findings] == [("modules/fn/main.tf", 8)]


EACH = """\
locals {
  functions = {
    api    = { timeout = 1200 }
    worker = { timeout = 60 }
  }
}

resource "aws_lambda_function" "f" {
  for_each      = local.functions
  function_name = each.key
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "app.handler"
  runtime       = "python3.13"
  s3_bucket     = "artifacts"
  s3_key        = "${each.key}.zip"
  timeout       = each.value.timeout
}

resource "aws_lambda_function" "g" {
  count         = 3
  function_name = "g-${count.index}"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "app.handler"
  runtime       = "python3.13"
  s3_bucket     = "artifacts"
  s3_key        = "g.zip"
  timeout       = 901
}

resource "aws_lambda_function" "unknown" {
  for_each      = var.functions
  function_name = each.key
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "app.handler"
  runtime       = "python3.13"
  s3_bucket     = "artifacts"
  s3_key        = "u.zip"
  timeout       = each.value.timeout
}

variable "functions" {}
"""


def test_for_each_instances_are_judged_one_by_one(tmp_path: Path) -> None:
    from lambdalint.loading import load_terraform

    (tmp_path / "main.tf").write_text(EACH)
    app, _ = load_terraform(str(tmp_path), str(tmp_path))
    assert sorted(app.functions) == ['aws_lambda_function.f["api"]', 'aws_lambda_function.f["worker"]',
                                     "aws_lambda_function.g[0]", "aws_lambda_function.g[1]",
                                     "aws_lambda_function.g[2]", "aws_lambda_function.unknown"]
    worker = app.functions['aws_lambda_function.f["worker"]']
    assert worker.name is not None and worker.name.value == "worker"
    assert worker.timeout is not None and worker.timeout.value == 60 and worker.timeout.source.line == 4
    # the api instance's timeout is wrong where the map says so; the three count instances fail
    # the same way at the same place: one finding; an unknown for_each stays silent
    assert run(tmp_path, tmp_path) == [("main.tf", 3, "QT002"), ("main.tf", 27, "QT002")]


def test_plan_lists_each_function_instance(tmp_path: Path) -> None:
    doc = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": f'aws_lambda_function.f["{k}"]', "mode": "managed", "type": "aws_lambda_function",
         "name": "f", "index": k, "values": {"function_name": k, "timeout": t, "runtime": "python3.13",
                                              "handler": "app.handler", "s3_bucket": "b", "s3_key": "k"}}
        for k, t in (("api", 1200), ("worker", 60))] + [
        {"address": "aws_lambda_permission.p", "mode": "managed", "type": "aws_lambda_permission", "name": "p",
         "values": {"action": "lambda:InvokeFunction", "principal": "s3.amazonaws.com"}}]}},
        "configuration": {"root_module": {"resources": [
            {"address": "aws_lambda_permission.p", "expressions": {
                "function_name": {"references": ['aws_lambda_function.f["api"].function_name',
                                                 "aws_lambda_function.f"]}}}]}}}
    (tmp_path / "plan.json").write_text(json.dumps(doc, indent=2))
    from lambdalint.loading import load_file

    app, _ = load_file(str(tmp_path / "plan.json"), "plan.json")
    assert app is not None
    assert sorted(app.functions) == ['aws_lambda_function.f["api"]', 'aws_lambda_function.f["worker"]']
    # the permission names the block; each instance has it
    assert [p.id for p in app.permissions_of('aws_lambda_function.f["api"]')] == ["aws_lambda_permission.p"]
    assert [f[2] for f in run(tmp_path, tmp_path)] == ["QT002"]


def test_for_each_applies_to_every_resource(tmp_path: Path) -> None:
    from lambdalint.loading import load_terraform

    (tmp_path / "main.tf").write_text("""\
locals {
  queues = { fast = 30, slow = 900 }
}

resource "aws_sqs_queue" "q" {
  for_each                   = local.queues
  name                       = each.key
  visibility_timeout_seconds = each.value
}

resource "aws_lambda_event_source_mapping" "slow" {
  function_name    = aws_lambda_function.fn.arn
  event_source_arn = aws_sqs_queue.q["slow"].arn
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/fn"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
""")
    app, _ = load_terraform(str(tmp_path), str(tmp_path))
    fast, slow = app.queues['aws_sqs_queue.q["fast"]'], app.queues['aws_sqs_queue.q["slow"]']
    assert fast.visibility_timeout is not None and fast.visibility_timeout.value == 30
    assert slow.visibility_timeout is not None and slow.visibility_timeout.value == 900
    assert slow.visibility_timeout.source.line == 2  # where the map says so
    (trigger,) = app.functions["aws_lambda_function.fn"].triggers
    assert trigger.type == "SQS" and trigger.source_arn is not None
    assert trigger.source_arn.ref == 'aws_sqs_queue.q["slow"]'


def test_plan_count_instances_keep_their_links(tmp_path: Path) -> None:
    from lambdalint.iam.effective import execution_role
    from lambdalint.loading import load_file

    trust = json.dumps({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                       "Principal": {"Service": "lambda.amazonaws.com"}}]})
    doc = {"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{
        "address": "module.fn", "resources": [
            {"address": "module.fn.aws_iam_role.lambda[0]", "mode": "managed", "type": "aws_iam_role",
             "name": "lambda", "index": 0, "values": {"name": "fn", "assume_role_policy": trust}},
            {"address": "module.fn.aws_lambda_function.this[0]", "mode": "managed", "type": "aws_lambda_function",
             "name": "this", "index": 0, "values": {"function_name": "fn", "runtime": "python3.13",
                                                   "handler": "app.handler", "filename": "app.zip"}}]}]}},
        "configuration": {"root_module": {"module_calls": {"fn": {"source": "terraform-aws-modules/lambda/aws",
            "module": {"resources": [{"address": "aws_lambda_function.this", "expressions": {
                "role": {"references": ["aws_iam_role.lambda[0].arn", "aws_iam_role.lambda[0]",
                                        "aws_iam_role.lambda"]}}}]}}}}}}
    (tmp_path / "plan.json").write_text(json.dumps(doc, indent=2))
    app, _ = load_file(str(tmp_path / "plan.json"), "plan.json")
    assert app is not None
    fn = app.functions["module.fn.aws_lambda_function.this[0]"]
    role = execution_role(fn, app)
    assert role is not None and role.id == "module.fn.aws_iam_role.lambda[0]"


# -- evaluation as Terraform does it (issue: Terraform evaluated the way Terraform evaluates it)


def findings(root: Path, *paths: Path, select: tuple[str, ...] = ("QT002", "LL000")) -> tuple[list[Finding], Engine]:
    engine = Engine(Config(select=list(select)), today=DEFAULT_TODAY, root=str(root))
    result, missing = engine.run([str(p) for p in paths])
    assert not missing and not engine.errors
    return list(result.findings), engine


def test_a_finding_names_the_instance_whose_value_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        FUNCTION.format(timeout="count.index == 0 ? 30 : 1000").replace('"api" {', '"counted" {\n  count = 2', 1))
    found, _ = findings(tmp_path, tmp_path)
    assert [(f.resource, f.source.line) for f in found] == [("aws_lambda_function.counted[1]", 9)]
    assert "counted[1]" in found[0].message


def test_a_module_two_roots_call_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "modules" / "fn").mkdir(parents=True)
    (tmp_path / "modules" / "fn" / "main.tf").write_text(FUNCTION.format(timeout=1000))
    for env in ("dev", "prod"):
        (tmp_path / env).mkdir()
        (tmp_path / env / "main.tf").write_text('module "fn" {\n  source = "../modules/fn"\n}\n')
    found, _ = findings(tmp_path, tmp_path)
    assert [(f.source.path, f.source.line) for f in found] == [("modules/fn/main.tf", 8)]
    # each root that calls it is named
    assert sorted((r.source.path, r.source.line, r.message) for r in found[0].related) == [
        ("dev/main.tf", 1, "called as module.fn"), ("prod/main.tf", 1, "called as module.fn")]


def test_a_module_named_alone_is_read_as_a_root(tmp_path: Path) -> None:
    (tmp_path / "modules" / "fn").mkdir(parents=True)
    (tmp_path / "modules" / "fn" / "main.tf").write_text(FUNCTION.format(timeout=1000))
    found, _ = findings(tmp_path, tmp_path / "modules" / "fn")
    assert [f.source.line for f in found] == [8]


def test_a_plan_beside_its_configuration_does_not_repeat_findings(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(FUNCTION.format(timeout=1000))
    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [
        {"address": "aws_lambda_function.api", "mode": "managed", "type": "aws_lambda_function", "name": "api",
         "values": {"function_name": "api", "handler": "app.handler", "runtime": "python3.13", "timeout": 1000,
                    "role": "arn:aws:iam::123456789012:role/lambda", "s3_bucket": "artifacts", "s3_key": "api.zip"}}]}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    found, _ = findings(tmp_path, tmp_path)
    assert [(f.source.path, f.source.line) for f in found] == [("main.tf", 8)]


def test_downloaded_registry_modules_are_followed_and_missing_ones_noted(tmp_path: Path) -> None:
    downloaded = tmp_path / ".terraform" / "modules" / "orders"
    downloaded.mkdir(parents=True)
    (downloaded / "main.tf").write_text('variable "timeout" {}\n' + FUNCTION.format(timeout="var.timeout"))
    (tmp_path / ".terraform" / "modules" / "modules.json").write_text(json.dumps({"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "orders", "Source": "registry.terraform.io/DataDog/lambda-datadog/aws", "Version": "1.0.0",
         "Dir": ".terraform/modules/orders"}]}))
    (tmp_path / "main.tf").write_text(
        'module "orders" {\n  source  = "DataDog/lambda-datadog/aws"\n  timeout = 1000\n}\n'
        'module "billing" {\n  source = "acme/billing/aws"\n}\n'
        'module "billing_again" {\n  source = "acme/billing/aws"\n}\n')
    found, engine = findings(tmp_path, tmp_path)
    assert [(f.source.path, f.source.line, f.resource) for f in found] == [
        ("main.tf", 3, "module.orders.aws_lambda_function.api")]
    assert engine.warnings == [
        'module "billing" (acme/billing/aws) is not downloaded; run terraform init to have its functions checked',
        'module "billing_again" (acme/billing/aws) is not downloaded; run terraform init to have its functions '
        'checked']


def test_a_note_does_not_change_the_exit_status(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lambdalint.cli import cli

    (tmp_path / "main.tf").write_text('module "billing" {\n  source = "acme/billing/aws"\n}\n')
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 0
    assert "is not downloaded; run terraform init" in result.output


def test_a_module_that_calls_itself_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(FUNCTION.format(timeout=1000) + 'module "again" {\n  source = "./"\n}\n'
                                      'module "and_again" {\n  source = "./"\n}\n')
    found, _ = findings(tmp_path, tmp_path)
    assert [f.source.line for f in found] == [8]


def test_file_and_templatefile_read_only_inside_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    (tmp_path / "outside.txt").write_text("1000")
    (repo / "timeout.txt").write_text("1000")
    (repo / "t.tpl").write_text("${value}")
    (repo / "main.tf").write_text(
        FUNCTION.format(timeout='tonumber(file("${path.module}/timeout.txt"))')
        + FUNCTION.format(timeout='tonumber(file("../outside.txt"))').replace('"api" {', '"b" {', 1)
        + FUNCTION.format(timeout='tonumber(templatefile("t.tpl", { value = 2000 }))').replace('"api" {', '"c" {', 1))
    found, _ = findings(repo, repo)
    assert sorted(f.resource for f in found) == ["aws_lambda_function.api", "aws_lambda_function.c"]


def test_hcl_strings_keep_their_spaces_escapes_and_columns() -> None:
    from lambdalint.parsers.terraform.hcl import load_hcl

    body = load_hcl('a = "pre ${x} post"\nb = "q\\"\\n$${lit} \\u00e9"\nc = "é" # x\nd = "é${y}"\n', "m.tf")
    parts = body.value["a"].value["TF::Template"].value
    assert [p.value for p in parts if isinstance(p.value, str)] == ["pre ", " post"]
    assert body.value["b"].value == 'q"\n${lit} é'
    assert (body.value["c"].src.line, body.value["c"].src.column, body.value["c"].src.end_column) == (3, 5, 8)
    assert body.value["d"].src.column == 5


def test_hcl_syntax_errors_have_a_position() -> None:
    import pytest

    from lambdalint.parsers.nodes import LoadError
    from lambdalint.parsers.terraform.hcl import load_hcl

    with pytest.raises(LoadError) as err:
        load_hcl('resource "a" "b" {\n  x = \n}\n', "m.tf")
    assert err.value.message.startswith("HCL syntax error") and err.value.line in (2, 3)


def test_locals_that_double_a_string_or_chain_deeply_stay_bounded(tmp_path: Path) -> None:
    lines = ["locals {", '  l0 = "x"', '  d0 = "ab"']
    lines += [f"  l{i} = local.l{i - 1}" for i in range(1, 300)]
    lines += [f'  l{i} = "${{local.l{i - 1}}}${{local.l{i - 1}}}"' for i in range(300, 326)]
    lines += [f'  d{i} = "${{local.d{i - 1}}}${{local.d{i - 1}}}"' for i in range(1, 30)]
    lines.append("}")
    (tmp_path / "main.tf").write_text("\n".join(lines) + "\n" + FUNCTION.format(timeout="local.l325").replace(
        'function_name = "api"', "function_name = local.d29"))
    found, _ = findings(tmp_path, tmp_path, select=("QT002", "QT011", "LL000"))
    assert found == []  # every value past the bounds is unknown: no finding, no error
