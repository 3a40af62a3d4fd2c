"""What the AL rules share: a SAM template with an alias, and the numbers."""

from __future__ import annotations

from typing import Any

from lambdalint.rule import Context

ALIAS = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: artifacts, S3Key: fn.zip}
      Role: arn:aws:iam::123456789012:role/fn
  V1:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Fn}
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Fn
      Name: NAME
      FunctionVersion: VERSION
ROUTING"""


def alias(name: str = "live", version: str = "!GetAtt V1.Version", routing: str = "") -> str:
    return ALIAS.replace("NAME", name).replace("VERSION", version).replace("ROUTING\\n", "").replace(
        "ROUTING", routing)


def number(ctx: Context, group: str, key: str) -> Any:
    return ctx.data.table("events")[group][key]["value"]
