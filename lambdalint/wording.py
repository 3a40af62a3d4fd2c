"""Small helpers that keep generated messages grammatical: articles and AWS service names."""

from __future__ import annotations

#: IAM service prefixes as AWS names the service in prose
SERVICE_NAMES = {
    "s3": "S3", "dynamodb": "DynamoDB", "sqs": "SQS", "sns": "SNS", "kinesis": "Kinesis", "events": "EventBridge",
    "states": "Step Functions", "lambda": "Lambda", "es": "OpenSearch", "aoss": "OpenSearch Serverless",
    "secretsmanager": "Secrets Manager", "ssm": "Systems Manager", "kms": "KMS", "logs": "CloudWatch Logs",
    "cloudwatch": "CloudWatch", "ses": "SES", "sts": "STS", "ecr": "ECR", "rds": "RDS", "rds-data": "RDS Data API",
    "elasticache": "ElastiCache", "kafka": "MSK", "neptune-db": "Neptune", "elasticfilesystem": "EFS",
    "xray": "X-Ray", "execute-api": "API Gateway", "apigateway": "API Gateway", "athena": "Athena",
    "glue": "Glue", "firehose": "Data Firehose", "iot": "IoT Core", "cognito-idp": "Cognito",
    "s3-object-lambda": "S3 Object Lambda", "bedrock": "Bedrock", "textract": "Textract", "comprehend": "Comprehend",
    "rekognition": "Rekognition", "translate": "Translate", "sagemaker": "SageMaker", "ec2": "EC2",
    "codecommit": "CodeCommit", "codebuild": "CodeBuild", "appsync": "AppSync", "scheduler": "EventBridge Scheduler",
}
# letters that are said with a leading vowel sound when an initialism is spelled out (an S3, an SQS)
_VOWEL_LETTERS = set("AEFHILMNORSX")


def service_name(prefix: str) -> str:
    """``es`` as ``OpenSearch``; an unknown prefix as it is."""
    return SERVICE_NAMES.get(prefix, prefix)


def article(phrase: str) -> str:
    """``a`` or ``an`` for ``phrase`` by its sound: an S3 bucket, an EventBridge bus, a DynamoDB
    table, a user, an hour."""
    word = phrase.split(" ", 1)[0]
    if not word:
        return "a"
    letters = word.rstrip("0123456789")
    if len(word) > 1 and word[0].isupper() and word[1] == "-":  # X-Ray
        return "an" if word[0] in _VOWEL_LETTERS else "a"
    if (letters.isupper() and len(letters) > 1) or (len(word) > 1 and word[1:].rstrip("0123456789") == ""):
        return "an" if word[0].upper() in _VOWEL_LETTERS else "a"  # an initialism: S3, SQS, EFS
    lower = word.lower()
    if lower.startswith(("uni", "use", "usu", "uti", "eu", "one", "once")):
        return "a"
    if lower.startswith(("hour", "honest", "honor", "heir")):
        return "an"
    return "an" if lower[0] in "aeiou" else "a"


def with_article(phrase: str) -> str:
    return f"{article(phrase)} {phrase}"
