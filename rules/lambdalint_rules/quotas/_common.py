"""Helpers shared by the quota rules."""

from __future__ import annotations

SAM_HEADER = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://artifacts/app.zip
"""


def mb(n: int) -> str:
    return f"{n:,} MB"
