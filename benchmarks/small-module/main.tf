variable "memory" {
  type    = number
  default = 512
}

resource "aws_lambda_function" "api" {
  function_name = "orders-api"
  role          = aws_iam_role.lambda.arn
  handler       = "app.handler"
  runtime       = "python3.13"
  s3_bucket     = "artifacts"
  s3_key        = "api.zip"
  memory_size   = var.memory
  timeout       = 10

  environment {
    variables = {
      TABLE_NAME = "orders"
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = "orders-api"
  assume_role_policy = "{}"
}
