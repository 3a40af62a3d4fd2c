"""Building blocks for the rules' ``bad_example`` / ``good_example`` templates."""

from __future__ import annotations

_FUNCTION = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: s3://artifacts/app.zip
"""


def sam_function(properties: str = "", runtime: str | None = "python3.13") -> str:
    """A SAM template with one function ``Fn``; ``properties`` are YAML lines indented by six
    spaces, added to its Properties."""
    head = _FUNCTION + (f"      Runtime: {runtime}\n" if runtime else "")
    return head + properties


SAM_HEADER = sam_function()
