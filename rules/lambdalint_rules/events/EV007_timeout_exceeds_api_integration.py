from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import ApiIntegration, LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules._examples import sam_function
from lambdalint_rules.events._common import number

_API = ("      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /\n"
        "            Method: get\n")
#: the data table key of each judged API type's default integration timeout
_DEFAULTS = {"REST": "rest-default-timeout-ms", "HTTP": "http-default-timeout-ms"}


def _limit(api: ApiIntegration, ctx: Context) -> int | None:
    """The integration's timeout in milliseconds: as set, else the API type's default; None
    for a WebSocket API (or one whose type is not known), an asynchronous or streaming
    integration and a timeout set to a value not known."""
    synchronous = api.invocation_type is None or api.invocation_type.known() == "'RequestResponse'"
    if api.api_type not in _DEFAULTS or not synchronous or api.streaming:
        return None
    if api.timeout_ms is not None:
        value = api.timeout_ms.known()
        return value if isinstance(value, int) else None
    return int(number(ctx, "api", _DEFAULTS[api.api_type]))


class TimeoutExceedsApiIntegration(FunctionRule):
    """A function behind API Gateway has a timeout above the integration's timeout.

    The integration timeout is its `TimeoutInMillis` (`timeout_milliseconds`) when set, else
    29 s for REST APIs and 30 s for HTTP APIs. Not judged: WebSocket APIs (a route's function
    often answers through the connection, after the route has timed out), integrations with
    response streaming, integrations that invoke the function asynchronously
    (`X-Amz-Invocation-Type: 'Event'`), integrations written in an OpenAPI definition (a SAM
    event on an API with `DefinitionBody` may be one of them).

    ## Why is this bad?
    API Gateway gives up on the call when its integration timeout passes and answers 504, while
    the function keeps running (and billing) until its own timeout: clients see errors for work
    that may still succeed, and retries start it again.

    ## How to fix
    Lower the function's `Timeout` to the integration's, or make long work asynchronous (start
    it from the API and poll or notify). A Regional or private REST API may raise its
    integration timeout above 29 s after a Service Quotas increase; set `TimeoutInMillis` then.
    """

    id = "EV007"
    name = "timeout-exceeds-api-integration"
    severity = Severity.WARNING
    kind = "soft"
    tags = ("api", "timeout")
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html",
        "https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-api-gateway-integration-timeout-limit-29-seconds/",
    )
    bad_example = sam_function("      Timeout: 60\n" + _API)
    good_example = sam_function("      Timeout: 25\n" + _API)

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        if fn.timeout is None:
            return  # the default of 3 s fits every integration
        limits = [(limit, api) for api in ctx.app.api_integrations if fn.named_by(api.function)
                  if (limit := _limit(api, ctx)) is not None]
        if not limits:
            return
        limit, api = min(limits, key=lambda pair: pair[0])
        for timeout in fn.timeout.possible():
            seconds = timeout.known()
            if not isinstance(seconds, int) or seconds * 1000 <= limit:
                continue
            where = api.timeout_ms.source if api.timeout_ms is not None else api.source
            how = "" if api.timeout_ms is not None else f" ({api.api_type or 'API Gateway'} default)"
            yield self.at(timeout, f"Function {fn.display_name} may run {seconds} s, but API Gateway integration "
                                   f"{api.id} gives up after {limit / 1000:g} s{how}: clients get 504 while the "
                                   f"function keeps running. Lower Timeout to at most {limit // 1000} s or make "
                                   f"the work asynchronous.",
                          fn=fn, related=[Related(where, f"integration {api.id}")])
