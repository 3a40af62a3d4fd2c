"""QT008 on packages too large to commit: built here, measured from the zip's central
directory (a zip of zeros compresses to almost nothing)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.testing import DEFAULT_TODAY

MB = 1024 * 1024


def big_zip(path: Path, megabytes: int) -> None:
    chunk = b"\0" * MB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("blob.bin", "w", force_zip64=True) as out:
        for _ in range(megabytes):
            out.write(chunk)


def lint(tmp_path: Path, name: str, text: str) -> list[tuple[int, str]]:
    (tmp_path / name).write_text(text)
    engine = Engine(Config(select=["QT008", "LL000"]), today=DEFAULT_TODAY, root=str(tmp_path))
    result, _ = engine.run([str(tmp_path / name)])
    assert not engine.errors
    return [(f.source.line, f.rule_id) for f in result.findings]


SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: {code}
      Layers: [!Ref Deps]
  Deps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: {layer}
"""

CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {code}
"""


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("qt008")
    big_zip(base / "huge.zip", 260)
    big_zip(base / "half.zip", 130)
    (base / "small").mkdir()
    (base / "small" / "app.py").write_text("def handler(e, c):\n    return 1\n")
    return base


def test_sam_zip_over_the_limit(artifacts: Path) -> None:
    assert lint(artifacts, "t.sam.yaml", SAM.format(code="huge.zip", layer="small")) == [(8, "QT008")]


def test_sam_code_and_layer_together_over_the_limit(artifacts: Path) -> None:
    assert lint(artifacts, "t2.sam.yaml", SAM.format(code="half.zip", layer="half.zip")) == [(8, "QT008")]


def test_sam_small_package_is_clean(artifacts: Path) -> None:
    assert lint(artifacts, "t3.sam.yaml", SAM.format(code="small/", layer="half.zip")) == []


def test_cfn_yaml_local_code_path(artifacts: Path) -> None:
    assert lint(artifacts, "t.cfn.yaml", CFN.format(code="huge.zip")) == [(9, "QT008")]


def test_cfn_json_local_code_path(artifacts: Path) -> None:
    doc = {"Resources": {"Fn": {"Type": "AWS::Lambda::Function",
                                "Properties": {"Runtime": "python3.13", "Handler": "a.b", "Code": "huge.zip"}}}}
    assert lint(artifacts, "t.cfn.json", json.dumps(doc, indent=2)) == [(8, "QT008")]


def test_corrupt_zip_and_missing_path_stay_silent(artifacts: Path) -> None:
    (artifacts / "bad.zip").write_bytes(b"PK\x03\x04 not really a zip")
    assert lint(artifacts, "t4.cfn.yaml", CFN.format(code="bad.zip")) == []
    assert lint(artifacts, "t5.cfn.yaml", CFN.format(code="missing.zip")) == []


TF = """\
resource "aws_lambda_function" "api" {{
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "app.handler"
  runtime       = "python3.13"
  filename      = "{code}"
}}
"""


def test_terraform_direct_upload_over_50_mb_and_250_mb_unzipped(artifacts: Path) -> None:
    module = artifacts / "tf-huge"
    module.mkdir()
    (module / "main.tf").write_text(TF.format(code="../huge.zip"))
    engine = Engine(Config(select=["QT008", "LL000"]), today=DEFAULT_TODAY, root=str(artifacts))
    result, _ = engine.run([str(module)])
    # a zip of zeros is small, so only the unzipped limit is crossed here
    assert [(f.source.line, f.rule_id) for f in result.findings] == [(6, "QT008")]


def test_terraform_direct_upload_zip_over_50_mb(tmp_path: Path) -> None:
    import os

    module = tmp_path / "tf"
    module.mkdir()
    with zipfile.ZipFile(module / "random.zip", "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("blob.bin", os.urandom(51 * MB))  # incompressible: the zip itself is over 50 MB
    (module / "main.tf").write_text(TF.format(code="random.zip"))
    engine = Engine(Config(select=["QT008"]), today=DEFAULT_TODAY, root=str(tmp_path))
    result, _ = engine.run([str(module)])
    assert [(f.source.line, f.rule_id) for f in result.findings] == [(6, "QT008")]
    assert "uploads" in result.findings[0].message


def sparse(path: Path, megabytes: int) -> None:
    """A file of ``megabytes`` that takes no disk space (its size is all a directory walk reads)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.truncate(megabytes * MB)


def test_sam_directory_over_the_limit(tmp_path: Path) -> None:
    sparse(tmp_path / "app" / "model" / "weights.bin", 300)
    (tmp_path / "app" / "app.py").write_text("def handler(e, c):\n    return 1\n")
    result = lint(tmp_path, "t.sam.yaml", SAM.format(code="app/", layer="app/"))
    assert result == [(8, "QT008")]


def test_build_and_git_directories_are_not_counted(tmp_path: Path) -> None:
    # `CodeUri: .` with SAM's build output and git history beside the code: neither is packaged
    sparse(tmp_path / ".aws-sam" / "build" / "Fn" / "weights.bin", 300)
    sparse(tmp_path / ".git" / "objects" / "pack" / "pack-1.pack", 300)
    (tmp_path / "app.py").write_text("def handler(e, c):\n    return 1\n")
    (tmp_path / "deps").mkdir()
    assert lint(tmp_path, "t.sam.yaml", SAM.format(code=".", layer="deps/")) == []


MAYBE_LAYER = """\
Transform: AWS::Serverless-2016-10-31
Conditions:
  Debug: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: half.zip
      Layers:
        - !If [Debug, !Ref Deps, !Ref AWS::NoValue]
  Deps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: half.zip
"""


def test_layer_that_may_be_absent_is_not_counted(artifacts: Path) -> None:
    assert lint(artifacts, "t6.sam.yaml", MAYBE_LAYER) == []
    always = MAYBE_LAYER.replace("!If [Debug, !Ref Deps, !Ref AWS::NoValue]", "!Ref Deps")
    assert lint(artifacts, "t7.sam.yaml", always) == [(10, "QT008")]
