"""API Gateway integrations that invoke a function of the application, in CloudFormation, SAM
and Terraform.

Read: the ``x-amazon-apigateway-integration`` of every operation of an OpenAPI definition
(``AWS::Serverless::Api``/``HttpApi`` ``DefinitionBody``, ``AWS::ApiGateway::RestApi`` and
``AWS::ApiGatewayV2::Api`` ``Body``, Terraform ``body`` written as ``jsonencode`` or JSON text),
``AWS::ApiGateway::Method`` (its ``Integration`` of type ``AWS`` or ``AWS_PROXY``),
``AWS::ApiGatewayV2::Integration`` (``AWS_PROXY``/``AWS``; the protocol from the
``AWS::ApiGatewayV2::Api`` its ``ApiId`` names), SAM ``Api`` and ``HttpApi`` events (their
``TimeoutInMillis``), ``aws_api_gateway_integration`` and ``aws_apigatewayv2_integration``
(the protocol from ``aws_apigatewayv2_api``). An integration is kept when its URI names a
function of the application (``.../functions/${Fn.Arn}/invocations``, ``invoke_arn``, an
alias); a definition in another file (``DefinitionUri``, ``templatefile``) is not read. An
integration keeps its invocation type (``X-Amz-Invocation-Type: 'Event'`` is asynchronous) and
whether it streams the response (``ResponseTransferMode: STREAM``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from lambdalint.iam.documents import structure
from lambdalint.model import ApiIntegration, LambdaFunction
from lambdalint.parsers.intrinsics import _esc
from lambdalint.values import Located, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.cfn_view import TemplateView
    from lambdalint.parsers.targets import Targets
    from lambdalint.parsers.terraform.view import ModuleView

#: integration types that invoke a Lambda function by its URI
_LAMBDA_TYPES = ("AWS", "AWS_PROXY")
#: SAM event types that create an API Gateway integration, and the API type of each
_SAM_EVENTS = {"Api": "REST", "HttpApi": "HTTP"}
#: resources holding an OpenAPI definition: (property, API type)
_CFN_DEFINITIONS = {"AWS::Serverless::Api": ("DefinitionBody", "REST"),
                    "AWS::Serverless::HttpApi": ("DefinitionBody", "HTTP"),
                    "AWS::ApiGateway::RestApi": ("Body", "REST"), "AWS::ApiGatewayV2::Api": ("Body", "HTTP")}
_TF_DEFINITIONS = {"aws_api_gateway_rest_api": "REST", "aws_apigatewayv2_api": "HTTP"}
_OPENAPI_INTEGRATION = "x-amazon-apigateway-integration"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method")
#: the request parameter that makes API Gateway invoke the function asynchronously
_INVOCATION_TYPE = "integration.request.header.x-amz-invocation-type"


def _api_type(protocol: Located[str] | None) -> str | None:
    value = protocol.known() if protocol is not None else None
    return value.upper() if isinstance(value, str) and value.upper() in ("HTTP", "WEBSOCKET") else None


def _lambda_type(kind: Located[str] | None) -> bool:
    """The integration type invokes a function by URI (an unknown type might: its URI decides)."""
    value = kind.known() if kind is not None else None
    return not isinstance(value, str) or value.upper() in _LAMBDA_TYPES


def _streaming(mode: Located[str] | None) -> bool:
    """Response streaming (``ResponseTransferMode: STREAM``, or a mode not known), which allows
    integrations longer than the usual maximum."""
    return mode is not None and mode.known() != "BUFFERED"


def _invocation_type(r: Any, params: Located[Any] | None) -> Located[str] | None:
    """The ``X-Amz-Invocation-Type`` request parameter (``'Event'`` makes the invocation
    asynchronous): unknown when the parameters are not known, None when not set."""
    if params is None:
        return None
    if not isinstance(params.value, dict):
        return Located(Unresolved("request parameters"), params.source)
    for key, value in params.value.items():
        if str(key).lower() == _INVOCATION_TYPE:
            return r.string(value, "X-Amz-Invocation-Type")  # type: ignore[no-any-return]
    return None


def _sam_api_defined(p: TemplateView, api: Located[Any] | None) -> bool:
    """The SAM event's API is a template resource with its own OpenAPI definition, which may
    already hold the integration (with its own timeout)."""
    node = p.resources.get(api.ref) if api is not None and api.ref else None
    props = p.sub(node, "Properties") if node is not None else None
    return props is not None and ("DefinitionBody" in props.value or "DefinitionUri" in props.value)


def _mapping(loc: Located[Any] | None) -> dict[str, Located[Any]]:
    return loc.value if loc is not None and isinstance(loc.value, dict) else {}


def definition_integrations(r: Any, api_id: str, api_type: str, definition: Located[Any] | None,
                            targets: Targets) -> Iterator[ApiIntegration]:
    """The Lambda integrations of an OpenAPI definition (a located mapping; ``r`` converts
    values): one per operation whose ``x-amazon-apigateway-integration`` names a function of
    the application."""
    for path, item in _mapping(_mapping(definition).get("paths")).items():
        for method, operation in _mapping(item).items():
            if str(method).lower() not in _METHODS:
                continue
            integration = _mapping(operation).get(_OPENAPI_INTEGRATION)
            fields = {str(k).lower(): v for k, v in _mapping(integration).items()}
            uri = r.string(fields["uri"], "uri") if "uri" in fields else None
            kind = r.string(fields["type"], "type") if "type" in fields else None
            target = targets.of(uri)
            if integration is None or uri is None or target is None or not _lambda_type(kind):
                continue
            mode = fields.get("responsetransfermode")
            timeout = fields.get("timeoutinmillis")
            shown = "ANY" if str(method).lower() == _METHODS[-1] else str(method).upper()
            yield ApiIntegration(
                f"{api_id} {shown} {path}", integration.source, api_type, target.function, uri,
                r.integer(timeout, "timeoutInMillis") if timeout is not None else None, target.qualifier,
                invocation_type=_invocation_type(r, fields.get("requestparameters")),
                streaming=_streaming(r.string(mode, "responseTransferMode") if mode is not None else None)
                or "/response-streaming-invocations" in str(uri.value.expr if isinstance(uri.value, Unresolved)
                                                               else uri.value))


def cfn_integrations(p: TemplateView, targets: Targets,
                     functions: Mapping[str, LambdaFunction]) -> tuple[ApiIntegration, ...]:
    out: list[ApiIntegration] = []
    for rid, node in p.resources.items():
        rtype = p.resource_types.get(rid, "")
        if rtype in _CFN_DEFINITIONS:
            key, defined = _CFN_DEFINITIONS[rtype]
            body = p.prop(p.sub(node, "Properties"), key, f"/Resources/{_esc(rid)}/Properties")
            out.extend(definition_integrations(p.r, rid, defined, body, targets))
            continue
        if rtype not in ("AWS::ApiGateway::Method", "AWS::ApiGatewayV2::Integration"):
            continue
        ptr = f"/Resources/{_esc(rid)}/Properties"
        props = p.sub(node, "Properties")
        api_type: str | None
        if rtype == "AWS::ApiGateway::Method":
            props, ptr, api_type = p.sub(props, "Integration"), f"{ptr}/Integration", "REST"
            uri, kind = p.str_prop(props, "Uri", ptr), p.str_prop(props, "Type", ptr)
            mode = p.str_prop(props, "ResponseTransferMode", ptr)
            params = p.prop(props, "RequestParameters", ptr)
        else:
            mode = params = None
            api = p.prop(props, "ApiId", ptr)
            api_id = api.ref if api is not None and api.ref in p.resources else None
            api_type = None if api_id is None else _api_type(p.str_prop(
                p.sub(p.resources[api_id], "Properties"), "ProtocolType", f"/Resources/{_esc(api_id)}/Properties"))
            uri, kind = p.str_prop(props, "IntegrationUri", ptr), p.str_prop(props, "IntegrationType", ptr)
        target = targets.of(uri)
        if uri is None or target is None or not _lambda_type(kind):
            continue
        out.append(ApiIntegration(rid, p.declarations[rid], api_type, target.function, uri,
                                  p.int_prop(props, "TimeoutInMillis", ptr), target.qualifier,
                                  invocation_type=_invocation_type(p.r, params), streaming=_streaming(mode)))
    for fid, fn in functions.items():
        for trig in fn.triggers:
            api_type = _SAM_EVENTS.get(trig.type)
            if api_type is None or trig.target is not None:
                continue
            raw_mode = trig.properties.get("ResponseTransferMode")
            mode = p.r.string(raw_mode, "ResponseTransferMode") if raw_mode is not None else None
            raw = trig.properties.get("TimeoutInMillis")
            timeout = p.r.integer(raw, "TimeoutInMillis") if raw is not None else None
            if _sam_api_defined(p, trig.properties.get("RestApiId" if api_type == "REST" else "ApiId")):
                timeout = Located(Unresolved("the integration of the API's definition"), trig.source)
            me: Located[str] = Located(Unresolved(f"Fn::GetAtt {fid}.Arn"), trig.source, ref=fid)
            out.append(ApiIntegration(trig.id, trig.source, api_type, fid, me, timeout, trig.qualifier,
                                      streaming=_streaming(mode),
                                      implicit=True))
    return tuple(out)


def tf_integrations(p: ModuleView, targets: Targets, types: Mapping[str, str]) -> tuple[ApiIntegration, ...]:
    out: list[ApiIntegration] = []
    for address, body in p.resources.items():
        rtype = types.get(address)
        if rtype in _TF_DEFINITIONS and body.is_map():
            out.extend(definition_integrations(p.r, address, _TF_DEFINITIONS[rtype],
                                               structure(p.attr(body, "body", address)), targets))
            continue
        if rtype not in ("aws_api_gateway_integration", "aws_apigatewayv2_integration") or not body.is_map():
            continue
        if rtype == "aws_api_gateway_integration":
            api_type: str | None = "REST"
            uri = p.string(body, "uri", address)
            mode = p.string(body, "response_transfer_mode", address)
            params = p.attr(body, "request_parameters", address)
        else:
            api = p.attr(body, "api_id", address)
            api_ref = api.ref if api is not None and api.ref in p.resources else None
            api_type = _api_type(p.string(p.resources[api_ref], "protocol_type", api_ref)) if api_ref else None
            uri = p.string(body, "integration_uri", address)
            mode = params = None
        kind = p.string(body, "type" if rtype == "aws_api_gateway_integration" else "integration_type", address)
        target = targets.of(uri)
        if uri is None or target is None or not _lambda_type(kind):
            continue
        out.append(ApiIntegration(address, p.decl[address].with_pointer(f"/{address}"), api_type, target.function,
                                  uri, p.integer(body, "timeout_milliseconds", address), target.qualifier,
                                  invocation_type=_invocation_type(p.r, params),
                                  streaming=_streaming(mode if mode is None or mode.known() != "" else None)))
    return tuple(out)
