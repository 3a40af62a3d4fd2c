"""QT010 measures each permission as the statement Lambda stores for it (the ``Statement`` that
AddPermission returns), with unknown values counted as empty: never more than the real size."""

from __future__ import annotations

import json
from collections.abc import Mapping

from lambdalint.model import Permission
from lambdalint.values import Located, SourceRef, Unresolved
from lambdalint_rules.quotas.QT010_resource_policy_too_large import statement_id, statement_size

SRC = SourceRef("t.yaml", 1, 1, 1, 2)


def loc(value: str) -> Located[str]:
    return Located(value, SRC)


def unknown() -> Located[str]:
    return Located(Unresolved("Fn::GetAtt"), SRC)


def perm(**kw: Located[str] | None) -> Permission:
    args: dict[str, object] = {
        "id": "AllowNightly", "source": SRC, "function": Located(Unresolved("Ref Fn"), SRC, ref="Fn"),
        "action": loc("lambda:InvokeFunction"), "principal": loc("events.amazonaws.com"),
    }
    args.update(kw)
    return Permission(**args)  # type: ignore[arg-type]


def stored(statement: Mapping[str, object]) -> int:
    return len(json.dumps(statement, separators=(",", ":")))


def test_known_statement_is_measured_exactly_for_the_shortest_region() -> None:
    rule_arn = "arn:aws:events:us-east-1:123456789012:rule/nightly"
    real = {
        "Sid": "AllowNightly", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:reports",
        "Condition": {"ArnLike": {"AWS:SourceArn": rule_arn}},
    }
    p = perm(source_arn=loc(rule_arn))
    assert statement_size(p, "reports", statement_id(p, "cloudformation")) == stored(real)


def test_unknown_values_make_a_lower_bound() -> None:
    real = {
        "Sid": "AllowNightly", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Resource": "arn:aws:lambda:eu-central-1:123456789012:function:stack-Reports-1XQ4Z7",
        "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"},
                      "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::stack-uploads-1a2b3c"}},
    }
    p = perm(principal=loc("s3.amazonaws.com"), source_arn=unknown(), source_account=unknown())
    assert statement_size(p, "", statement_id(p, "cloudformation")) < stored(real)
    # an unknown principal counts as "*", the shortest form Lambda writes
    q = perm(principal=unknown())
    assert statement_size(q, "", "") <= stored({**real, "Principal": "*", "Sid": ""})


def test_terraform_statement_id_is_not_known() -> None:
    p = perm(id="aws_lambda_permission.allow_nightly_reports_rule")  # type: ignore[arg-type]
    assert statement_id(p, "terraform") == ""


def schedules(event_type: str, count: int) -> str:
    events = "".join(
        f"        Nightly{i:03d}:\n          Type: {event_type}\n          Properties:\n"
        f"            {'ScheduleExpression' if event_type == 'ScheduleV2' else 'Schedule'}: cron(0 {i % 24} * * ? *)\n"
        for i in range(count)
    )
    return (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Reports:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      CodeUri: s3://b/app.zip\n"
        "      Events:\n" + events
    )


def test_events_sam_gives_permissions_count_and_others_do_not() -> None:
    from lambdalint.testing import lint_text

    fired = lint_text(schedules("Schedule", 100), select=["QT010"]).findings
    assert [(f.rule_id, f.source.line) for f in fired] == [("QT010", 3)]
    # ScheduleV2 invokes through an IAM role that EventBridge Scheduler assumes: no permission
    assert lint_text(schedules("ScheduleV2", 100), select=["QT010"]).findings == []
