"""How a reference names a function and its qualifier (lambdalint/parsers/targets.py), in
every written form; the fixtures of AL006 check the same end to end."""

from __future__ import annotations

import pytest

from lambdalint.parsers.targets import Owner, Targets
from lambdalint.values import Located, SourceRef, Unresolved

SRC = SourceRef("t.yaml", 3, 7, 3, 20)
UNQUALIFIED = None
UNKNOWN = "?"


CFN = Targets({"Fn", "Other"}, {"Live": Owner("Fn", Located("live", SRC)),
                                "V1": Owner("Fn", Located(Unresolved("V1 qualifier"), SRC)),
                                "FnAliasprod": Owner("Fn", Located("prod", SRC))},
              {"Fn": Located("prod", SRC)}, names={"orders": "Fn"})
TF = Targets({"aws_lambda_function.f"},
             {"aws_lambda_alias.live": Owner("aws_lambda_function.f", Located("live", SRC))})
PLAN = Targets({"aws_lambda_function.f"}, {}, plan=True)


@pytest.mark.parametrize(("targets", "value", "ref", "function", "qualifier"), [
    (CFN, "Ref Fn", "Fn", "Fn", UNQUALIFIED),
    (CFN, "Fn::GetAtt Fn.Arn", "Fn", "Fn", UNQUALIFIED),
    (CFN, "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations", "Fn", "Fn",
     UNQUALIFIED),
    (CFN, "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}:live/invocations", "Fn",
     "Fn", "live"),
    (CFN, "${Fn.Arn}:live", "Fn", "Fn", "live"),
    (CFN, "${${Fn.Arn}}:live", "Fn", "Fn", "live"),  # Fn::Join shows its parts so
    (CFN, "${Fn.Arn}:${Stage}", "Fn", "Fn", UNKNOWN),
    (CFN, "Ref Live", "Live", "Fn", "live"),
    (CFN, "Ref V1", "V1", "Fn", UNKNOWN),
    (CFN, "Ref Fn.Alias", None, "Fn", "prod"),
    (CFN, "Ref FnAliasprod", None, "Fn", "prod"),  # the alias SAM creates, by its logical id
    (CFN, "orders", None, "Fn", UNQUALIFIED),
    (CFN, "orders:live", None, "Fn", "live"),
    (CFN, "arn:aws:lambda:us-east-1:123456789012:function:orders", None, "Fn", UNQUALIFIED),
    (CFN, "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:orders:${Stage}", None, "Fn", UNKNOWN),
    (TF, "aws_lambda_function.f.arn", "aws_lambda_function.f", "aws_lambda_function.f", UNQUALIFIED),
    (TF, "aws_lambda_function.f.invoke_arn", "aws_lambda_function.f", "aws_lambda_function.f", UNQUALIFIED),
    (TF, "aws_lambda_function.f.qualified_arn", "aws_lambda_function.f", "aws_lambda_function.f", UNKNOWN),
    (TF, "${aws_lambda_function.f.arn}:live", "aws_lambda_function.f", "aws_lambda_function.f", "live"),
    (TF, "aws_lambda_alias.live.invoke_arn", "aws_lambda_alias.live", "aws_lambda_function.f", "live"),
    (PLAN, "aws_lambda_function.f.arn", "aws_lambda_function.f", "aws_lambda_function.f", UNKNOWN),
    (PLAN, "aws_lambda_function.f.invoke_arn", "aws_lambda_function.f", "aws_lambda_function.f", UNQUALIFIED),
])
def test_target(targets: Targets, value: str, ref: str | None, function: str, qualifier: str | None) -> None:
    loc: Located[str] = Located(Unresolved(value) if ref is not None or "${" in value or value.startswith("Ref ")
                                else value, SRC, ref=ref)
    found = targets.of(loc)
    assert found is not None and found.function == function
    if qualifier is None:
        assert found.qualifier is None
    elif qualifier == UNKNOWN:
        assert found.qualifier is not None and not found.qualifier.is_known()
    else:
        assert found.qualifier is not None and found.qualifier.known() == qualifier


@pytest.mark.parametrize("loc", [
    Located("billing", SRC),  # a function of another application
    Located(Unresolved("Ref Queue"), SRC, ref="Queue"),
    Located(Unresolved("parameter"), SRC),
])
def test_no_function(loc: Located[str]) -> None:
    assert CFN.of(loc) is None


def test_alias_belongs_to_its_function() -> None:
    assert CFN.function_id("Live") == "Fn"
    assert TF.function_id('aws_lambda_function.f["a"]') == 'aws_lambda_function.f["a"]'
    assert CFN.function_id("Queue") is None
