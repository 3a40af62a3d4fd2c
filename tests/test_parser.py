"""The CloudFormation/SAM parser: positions, intrinsics, Globals, implicit resources."""

from __future__ import annotations

import json

from lambdalint.parsers.cloudformation import parse_template
from lambdalint.parsers.yaml_loader import load_text
from lambdalint.values import Unresolved

SAM = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Mem:
    Type: Number
    Default: 1024
    AllowedValues: [512, 1024]
  Env:
    Type: String
Mappings:
  Sizes:
    prod: {Timeout: 60}
    dev: {Timeout: 10}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
    Layers: [arn:aws:lambda:us-east-1:123456789012:layer:a:1]
    Environment:
      Variables:
        SHARED: one
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      MemorySize: !Ref Mem
      Timeout: !FindInMap [Sizes, !Ref Env, Timeout]
      Layers:
        - !Ref Local
        - !If [IsProd, arn:aws:lambda:us-east-1:123456789012:layer:b:1, !Ref AWS::NoValue]
      Environment:
        Variables:
          OWN: !Sub "${AWS::Region}-x"
          PLAIN: !Sub "no-vars"
      Events:
        Up:
          Type: S3
          Properties: {Bucket: !Ref B, Events: s3:ObjectCreated:*}
        Poll:
          Type: SQS
          Properties: {Queue: !GetAtt Q.Arn}
  Local:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: layer/, CompatibleRuntimes: [python3.12]}
  B: {Type: AWS::S3::Bucket}
  Q: {Type: AWS::SQS::Queue}
"""


def parse(text: str, path: str = "t.yaml"):  # type: ignore[no-untyped-def]
    root = load_text(text, path, json_like=path.endswith(".json"))
    assert root is not None
    return parse_template(root, path)


def test_globals_merge_and_positions() -> None:
    app = parse(SAM)
    fn = app.functions["Fn"]
    assert app.dialect == "sam"
    assert fn.runtime is not None and fn.runtime.value == "python3.12"
    assert fn.runtime.source.line == 17  # inherited values point at Globals
    assert fn.layers is not None
    layers = fn.layers.known()
    assert layers is not None and len(layers) == 3  # lists appended, globals first
    assert layers[1].ref == "Local"
    assert layers[2].may_be_absent()
    env = fn.environment
    assert env is not None
    assert [v.key.value for v in env.variables] == ["SHARED", "OWN", "PLAIN"]
    assert isinstance(env.variables[1].value.value, Unresolved)
    assert env.variables[2].value.value == "no-vars"
    assert env.variables[0].key.source.line == 22


def test_parameter_candidates_point_at_default_and_allowed_values() -> None:
    fn = parse(SAM).functions["Fn"]
    assert fn.memory_size is not None and not fn.memory_size.is_known()
    cands = [(c.value, c.source.line) for c in fn.memory_size.possible()]
    assert cands == [(1024, 5), (512, 6)]
    assert all(c.origin is not None and c.origin.line == 28 for c in fn.memory_size.possible())


def test_find_in_map_with_unknown_key_gives_every_entry() -> None:
    fn = parse(SAM).functions["Fn"]
    assert fn.timeout is not None
    assert sorted(c.value for c in fn.timeout.possible()) == [10, 60]


def test_events_become_triggers_and_push_events_permissions() -> None:
    app = parse(SAM)
    fn = app.functions["Fn"]
    assert [(t.type, t.function) for t in fn.triggers] == [("S3", "Fn"), ("SQS", "Fn")]
    perms = app.permissions_of("Fn")
    assert len(perms) == 1 and perms[0].principal.value == "s3.amazonaws.com" and perms[0].implicit


def test_layers_and_code() -> None:
    app = parse(SAM)
    layer = app.layers["Local"]
    assert layer.content is not None and layer.content.kind == "local"
    assert layer.compatible_runtimes is not None
    assert [r.value for r in layer.compatible_runtimes.value] == ["python3.12"]  # type: ignore[union-attr]


def test_json_positions_are_exact() -> None:
    doc = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 1200, "MemorySize": 256}}},
    }
    text = json.dumps(doc, indent=2)
    fn = parse(text, "t.json").functions["Fn"]
    assert fn.timeout is not None
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if '"Timeout"' in ln)
    assert (fn.timeout.source.line, fn.timeout.value) == (line, 1200)
    col = text.splitlines()[line - 1].index("1200") + 1
    assert fn.timeout.source.column == col
    assert fn.timeout.source.pointer == "/Resources/Fn/Properties/Timeout"


def test_json_with_tabs() -> None:
    text = '{\n\t"Resources": {\n\t\t"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 5}}\n\t}\n}\n'
    fn = parse(text, "t.json").functions["Fn"]
    assert fn.timeout is not None and fn.timeout.value == 5 and fn.timeout.source.line == 3


def test_wrong_types_are_problems_not_values() -> None:
    app = parse("""\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      MemorySize: lots
      Layers: 5
      Timeout: "30"
""")
    fn = app.functions["Fn"]
    assert fn.memory_size is not None and not fn.memory_size.is_known()
    assert fn.timeout is not None and fn.timeout.value == 30
    assert sorted(p.source.line for p in app.problems) == [5, 6]


def test_short_and_long_intrinsics_are_the_same() -> None:
    short = parse("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt R.Arn\n"
                  "  R: {Type: AWS::IAM::Role}\n")
    long = parse("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                 "      Role: {'Fn::GetAtt': [R, Arn]}\n  R: {Type: AWS::IAM::Role}\n")
    for app in (short, long):
        role = app.functions["Fn"].role
        assert role is not None and role.ref == "R" and not role.is_known()


def test_merge_keys_and_anchors() -> None:
    app = parse("""\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: &props
      Timeout: 30
  Fn2:
    Type: AWS::Lambda::Function
    Properties:
      <<: *props
      MemorySize: 256
""")
    assert app.functions["Fn2"].timeout is not None and app.functions["Fn2"].timeout.value == 30
