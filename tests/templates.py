"""Small inputs that several test modules share."""

from __future__ import annotations

#: a CloudFormation function with everything Lambda requires; tests append properties, which
#: then start on line 9
FUNCTION = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/lambda
      Code: {S3Bucket: b, S3Key: k}
"""
#: the same with a timeout Lambda refuses (QT002 on line 9, column 16)
SLOW = FUNCTION + "      Timeout: 1200\n"

#: a Terraform module whose function takes its timeout from the variable `timeout` (line 12)
MODULE = """\
variable "timeout" {
  type = number
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/lambda"
  runtime       = "python3.13"
  handler       = "app.handler"
  s3_bucket     = "artifacts"
  s3_key        = "api.zip"
  timeout       = var.timeout
}
"""
