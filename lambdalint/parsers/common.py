"""Small readers shared by the CloudFormation and Terraform parsers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lambdalint.values import Located, Unresolved

#: the SAM event type of an event source mapping, by the type of the resource its ARN names
_BY_RESOURCE_TYPE = {
    "AWS::SQS::Queue": "SQS", "aws_sqs_queue": "SQS",
    "AWS::Kinesis::Stream": "Kinesis", "aws_kinesis_stream": "Kinesis",
    "AWS::DynamoDB::Table": "DynamoDB", "AWS::DynamoDB::GlobalTable": "DynamoDB", "aws_dynamodb_table": "DynamoDB",
    "AWS::MSK::Cluster": "MSK", "AWS::MSK::ServerlessCluster": "MSK", "aws_msk_cluster": "MSK",
    "aws_msk_serverless_cluster": "MSK",
    "AWS::AmazonMQ::Broker": "MQ", "aws_mq_broker": "MQ",
    "AWS::DocDB::DBCluster": "DocumentDB", "aws_docdb_cluster": "DocumentDB",
}
#: ... and by the service in a literal ARN
_BY_SERVICE = {"sqs": "SQS", "kinesis": "Kinesis", "dynamodb": "DynamoDB", "kafka": "MSK", "mq": "MQ",
               "rds": "DocumentDB"}


def arn_service(text: str) -> str | None:
    """The service of a literal ARN (``arn:aws:sqs:...`` -> ``sqs``)."""
    parts = text.split(":", 3)
    return parts[2] if len(parts) >= 3 and parts[0] == "arn" else None


def event_source_type(arn: Located[str] | None, resource_types: Mapping[str, str]) -> str:
    """``SQS``, ``Kinesis``, ``DynamoDB``, ``MSK``, ``MQ``, ``DocumentDB``, or ``unknown``."""
    if arn is None:
        return "unknown"
    if arn.ref is not None and arn.ref in resource_types:
        return _BY_RESOURCE_TYPE.get(resource_types[arn.ref], "unknown")
    text = arn.known()
    service = arn_service(text) if text else None
    return _BY_SERVICE.get(service or "", "unknown")


def as_bool(loc: Located[Any] | None) -> Located[bool] | None:
    """A boolean property: ``true``/``false`` as written in YAML, JSON or HCL, or the strings
    CloudFormation also accepts; anything else is unknown (its candidates kept)."""
    if loc is None:
        return None
    value = loc.known()
    if value in (True, "true", "True"):
        return Located(True, loc.source)
    if value in (False, "false", "False"):
        return Located(False, loc.source)
    return Located(Unresolved("boolean"), loc.source, loc.candidates)


def items(loc: Located[tuple[Located[str], ...]] | None) -> tuple[Located[str], ...]:
    """The entries of a known list (none when the list is absent or not known)."""
    return loc.value if loc is not None and isinstance(loc.value, tuple) else ()
