"""The emulator process: moto's server, plus the two Step Functions APIs the provider calls
that moto 5.2.5 lacks (it answers 500 "not implemented", which the SDK retries for minutes):

- `ValidateStateMachineDefinition`, called before every create/update: OK for a document
  that parses as Amazon States Language (StartAt + States), FAIL with a diagnostic
  otherwise. The definition itself is checked by the ranking-pipeline unit tests;
- `ListStateMachineVersions`, called on every read: no versions (the modules never publish).

And one behaviour: moto cannot run Lambda targets (no Docker) and fails the whole PutEvents
with a 500 when a matching rule has one. Here Lambda targets are passed over, as if the
invocation were accepted, and the rule's other targets (SQS, logs, archives) still get the
event; tests and `make up` run the Lambda handlers in-process instead.

Also `/moto-api/data.json` (how tests read back the emails SES "sent") skips attributes that
raise anything, not only the errors moto expects: a Lambda function's attributes try to
reach Docker once functions exist.

And SDK retries are answered once. The AWS SDKs resend a call whose answer they did not get,
with the same `amz-sdk-invocation-id` and `amz-sdk-request: attempt=N`. For an answer the
server logged as 200 that can only be a transport error on the client's side; it happens a
few times per run (6 in one full test run, 2 in one `make up` + `make down`, mostly reads,
once a CreateTable that failed an apply). moto would run the call again, so a retried
CreateTable that had succeeded failed the apply with "Table already exists". Now a retry of
a call whose first attempt succeeded (2xx/3xx, not GET or HEAD) gets that first answer
again, and the log names the call; a call without those headers, a new invocation, or a
retry after a refusal or a 5xx runs as usual.

And four read-back gaps that would otherwise show as a perpetual diff right after apply
(each is a setting moto accepts but does not return):

- tags addressed by an ARN without an account id. The harness sets the provider's
  `skip_requesting_account_id` (there is no STS identity to ask), so the provider builds
  ARNs such as `arn:aws:ses:us-east-1::identity/x` for ListTagsForResource; such ARNs are
  read as the emulator's one account;
- bucket tags sent with CreateBucket (`CreateBucketConfiguration/Tags`);
- an EventBridge archive's `KmsKeyIdentifier`;
- a Lambda function's `DeadLetterConfig`;
- a VPC endpoint's `DnsOptions` and `IpAddressType`;
- a Route 53 Resolver endpoint's `Protocols` and `ResolverEndpointType`;
- a hosted zone created with a VPC is private (AWS infers it; moto wants
  `HostedZoneConfig/PrivateZone`, which the provider does not send).
"""

from __future__ import annotations

import functools
import io
import json
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

import xmltodict
from moto.awslambda.models import LambdaFunction
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.ec2.responses.vpcs import VPCs
from moto.events import models as events_models
from moto.events.responses import EventsHandler
from moto.moto_api._internal.responses import MotoAPIResponse
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.route53.responses import Route53
from moto.route53resolver.models import ResolverEndpoint
from moto.route53resolver.responses import Route53ResolverResponse
from moto.s3.responses import S3Response
from moto.server import main
from moto.stepfunctions.responses import StepFunctionResponse
from moto.utilities.tagging_service import TaggingService


def validate_state_machine_definition(self: StepFunctionResponse) -> ActionResult:
    try:
        document: Any = json.loads(self._get_param("definition") or "")
    except ValueError:
        document = None
    valid = isinstance(document, dict) and "StartAt" in document and "States" in document
    diagnostics = (
        []
        if valid
        else [
            {
                "severity": "ERROR",
                "code": "SCHEMA_VALIDATION_FAILED",
                "message": "The definition is not an Amazon States Language document.",
            }
        ]
    )
    return ActionResult(
        {"result": "OK" if valid else "FAIL", "diagnostics": diagnostics, "truncated": False}
    )


def list_state_machine_versions(self: StepFunctionResponse) -> ActionResult:
    return ActionResult({"stateMachineVersions": []})


def model_data(self: Any, request: Any, full_url: str, headers: Any) -> Any:
    from moto.core.model_instances import model_data as tracked  # noqa: PLC0415

    results: dict[str, dict[str, list[Any]]] = {}
    for service in sorted(tracked):
        results[service] = {}
        for name in sorted(tracked[service]):
            rows = []
            for instance in tracked[service][name].instances_tracked:  # type: ignore[attr-defined]
                row = {}
                for attr in dir(instance):
                    if attr.startswith("_"):
                        continue
                    try:
                        value = getattr(instance, attr)
                        json.dumps(value)
                    except Exception:  # noqa: S112 - any attribute that cannot be shown
                        continue
                    row[attr] = value
                rows.append(row)
            results[service][name] = rows
    return 200, {"Content-Type": "application/javascript"}, json.dumps(results)


_send_to_targets = events_models.Rule.send_to_targets


def send_to_targets_except_lambda(
    self: Any, original_event: Any, transform_input: bool = True
) -> None:
    everything = self.targets
    self.targets = [t for t in everything if ":lambda:" not in t["Arn"]]
    try:
        _send_to_targets(self, original_event, transform_input)
    finally:
        self.targets = everything


# ------------------------------------------------------------------ read-back gaps

_ARN_WITHOUT_ACCOUNT = re.compile(r"^(arn:[^:]+:[^:]+:[^:]+:):")
# moto files SESv2 identity tags under `email-identity/`; AWS (and the provider) say `identity/`.
_SES_IDENTITY = re.compile(r"^(arn:[^:]+:ses:[^:]+:[^:]*:)identity/")


def with_account(arn: str) -> str:
    """The ARN moto files tags under: the emulator's account filled in where the ARN has
    none (`arn:aws:svc:region::rest`), SES identities under moto's resource name."""
    arn = _ARN_WITHOUT_ACCOUNT.sub(rf"\g<1>{DEFAULT_ACCOUNT_ID}:", arn)
    return _SES_IDENTITY.sub(r"\g<1>email-identity/", arn)


def _arn_normalised(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Any, arn: str, *args: Any, **kwargs: Any) -> Any:
        return method(self, with_account(arn), *args, **kwargs)

    return wrapper


for _name in (
    "get_tag_dict_for_resource",
    "list_tags_for_resource",
    "delete_all_tags_for_resource",
    "has_tags",
    "tag_resource",
    "untag_resource_using_names",
    "untag_resource_using_tags",
):
    setattr(TaggingService, _name, _arn_normalised(getattr(TaggingService, _name)))


def create_bucket_tags(body: bytes | str | None) -> dict[str, str]:
    """Tags of a CreateBucket request body (`CreateBucketConfiguration/Tags/Tag`)."""
    if not body:
        return {}
    try:
        parsed = xmltodict.parse(body, force_list={"Tag": True})
    except Exception:  # not an XML body: nothing to take from it
        return {}
    config = parsed.get("CreateBucketConfiguration") or {}
    tags = (config.get("Tags") or {}).get("Tag") or []
    return {tag["Key"]: tag.get("Value") or "" for tag in tags}


_bucket_response_put = S3Response._bucket_response_put


def bucket_response_put_with_tags(
    self: S3Response, request: Any, bucket_name: str, querystring: dict[str, Any]
) -> Any:
    response = _bucket_response_put(self, request, bucket_name, querystring)
    if not querystring and self.data.get("Action") == "CreateBucket":
        tags = create_bucket_tags(self.body)
        if tags:
            self.backend.put_bucket_tagging(bucket_name, tags)
    return response


_create_archive = EventsHandler.create_archive
_update_archive = EventsHandler.update_archive
_describe_archive = EventsHandler.describe_archive


def _remember_archive_key(handler: EventsHandler) -> None:
    key = handler._get_param("KmsKeyIdentifier")
    archive: Any = handler.events_backend.archives.get(handler._get_param("ArchiveName"))
    if archive is not None and key is not None:
        archive.kms_key_identifier = key or None  # "" removes the key


def create_archive_with_key(self: EventsHandler) -> Any:
    response = _create_archive(self)
    _remember_archive_key(self)
    return response


def update_archive_with_key(self: EventsHandler) -> Any:
    response = _update_archive(self)
    _remember_archive_key(self)
    return response


def describe_archive_with_key(self: EventsHandler) -> Any:
    body, headers = _describe_archive(self)
    archive = self.events_backend.archives.get(self._get_param("ArchiveName"))
    key = getattr(archive, "kms_key_identifier", None)
    if key:
        body = json.dumps({**json.loads(body), "KmsKeyIdentifier": key})
    return body, headers


_lambda_init = LambdaFunction.__init__
_lambda_get_configuration = LambdaFunction.get_configuration
_lambda_update_configuration = LambdaFunction.update_configuration


def _dead_letter_config(value: dict[str, Any] | None) -> dict[str, str] | None:
    return {"TargetArn": value["TargetArn"]} if value and value.get("TargetArn") else None


def lambda_init(self: Any, account_id: str, spec: dict[str, Any], *a: Any, **k: Any) -> None:
    _lambda_init(self, account_id, spec, *a, **k)
    self.dead_letter_config = _dead_letter_config(spec.get("DeadLetterConfig"))


def lambda_get_configuration(self: Any, on_create: bool = False) -> dict[str, Any]:
    config = _lambda_get_configuration(self, on_create)
    if getattr(self, "dead_letter_config", None):
        config["DeadLetterConfig"] = self.dead_letter_config
    return config


def lambda_update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
    if "DeadLetterConfig" in config_updates:
        self.dead_letter_config = _dead_letter_config(config_updates["DeadLetterConfig"])
    return _lambda_update_configuration(self, config_updates)


_create_vpc_endpoint = VPCs.create_vpc_endpoint
_modify_vpc_endpoint = VPCs.modify_vpc_endpoint


def _set_endpoint_dns(handler: VPCs, endpoint: Any) -> None:
    options = handler._get_param("DnsOptions")
    if options:
        endpoint.dns_options = {**(getattr(endpoint, "dns_options", None) or {}), **options}
    address_type = handler._get_param("IpAddressType")
    if address_type:
        endpoint.ip_address_type = address_type


def create_vpc_endpoint_with_dns(self: VPCs) -> ActionResult:
    result = _create_vpc_endpoint(self)
    endpoint: Any = result.result["VpcEndpoint"]  # type: ignore[index]
    if endpoint.vpc_endpoint_type == "Interface":
        # What AWS answers when the request leaves them out.
        endpoint.dns_options = {
            "DnsRecordIpType": "ipv4",
            "PrivateDnsOnlyForInboundResolverEndpoint": False,
        }
        endpoint.ip_address_type = "ipv4"
    _set_endpoint_dns(self, endpoint)
    return result


def modify_vpc_endpoint_with_dns(self: VPCs) -> ActionResult:
    result = _modify_vpc_endpoint(self)
    endpoint = self.ec2_backend.vpc_end_points.get(self._get_param("VpcEndpointId"))
    if endpoint is not None:
        _set_endpoint_dns(self, endpoint)
    return result


_resolver_description = ResolverEndpoint.description
_create_resolver_endpoint = Route53ResolverResponse.create_resolver_endpoint


def resolver_description(self: Any) -> dict[str, Any]:
    return {
        **_resolver_description(self),
        "Protocols": getattr(self, "protocols", None) or ["Do53"],
        "ResolverEndpointType": getattr(self, "resolver_endpoint_type", None) or "IPV4",
    }


def create_resolver_endpoint_keeping_type(self: Route53ResolverResponse) -> str:
    created = json.loads(_create_resolver_endpoint(self))
    endpoint: Any = self.route53resolver_backend.resolver_endpoints[
        created["ResolverEndpoint"]["Id"]
    ]
    endpoint.protocols = self._get_param("Protocols")
    endpoint.resolver_endpoint_type = self._get_param("ResolverEndpointType")
    return json.dumps({"ResolverEndpoint": endpoint.description()})


_create_hosted_zone = Route53.create_hosted_zone


def create_hosted_zone_private_with_vpc(self: Route53) -> ActionResult:
    if not self._get_param("VPC.VPCId"):
        return _create_hosted_zone(self)
    read_bool = self._get_bool_param

    def private_when_vpc(name: str, if_none: Any = None) -> Any:
        return True if name == "HostedZoneConfig.PrivateZone" else read_bool(name, if_none)

    self._get_bool_param = private_when_vpc  # type: ignore[method-assign,assignment]
    try:
        return _create_hosted_zone(self)
    finally:
        del self._get_bool_param


# ------------------------------------------------------------------ SDK retries

_dispatch = DomainDispatcherApplication.__call__
_ATTEMPT = re.compile(r"attempt=(\d+)")
_SIGNING_SERVICE = re.compile(r"Credential=[^/]*/[^/]*/[^/]*/([^/]+)/")
# Successful answers by SDK invocation id: far more than the calls in flight, bounded.
_ANSWERED: OrderedDict[str, tuple[str, list[tuple[str, str]], bytes]] = OrderedDict()
_ANSWERED_LOCK = threading.Lock()
ANSWERED_CAPACITY = 1024
ANSWERED_MAX_BODY = 256 * 1024


def _attempt(environ: dict[str, Any]) -> int:
    match = _ATTEMPT.search(environ.get("HTTP_AMZ_SDK_REQUEST", ""))
    return int(match.group(1)) if match else 1


def _call_name(environ: dict[str, Any]) -> str:
    """`X-Amz-Target`, or the signing scope's service and the query protocol's `Action=`
    (the body is read here and put back for moto)."""
    if target := environ.get("HTTP_X_AMZ_TARGET"):
        return str(target)
    scope = _SIGNING_SERVICE.search(environ.get("HTTP_AUTHORIZATION", ""))
    call = f"{scope.group(1) if scope else '?'} {environ.get('PATH_INFO')}"
    length = environ.get("CONTENT_LENGTH")
    if not length or "form-urlencoded" not in environ.get("CONTENT_TYPE", ""):
        return call
    body = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(body)
    action = re.search(rb"(?:^|&)Action=([A-Za-z0-9]+)", body)
    return f"{call} {action.group(1).decode()}" if action else call


def dispatch_answering_retries_once(
    self: DomainDispatcherApplication, environ: dict[str, Any], start_response: Any
) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == "/moto-api/reset":
        with _ANSWERED_LOCK:
            _ANSWERED.clear()
    invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID", "")
    if not invocation or environ.get("REQUEST_METHOD") in {"GET", "HEAD", "OPTIONS"}:
        return _dispatch(self, environ, start_response)
    attempt = _attempt(environ)
    if attempt > 1:
        with _ANSWERED_LOCK:
            answered = _ANSWERED.get(invocation)
        call = _call_name(environ)
        if answered is None:
            print(f"emulator: attempt {attempt} of {call} ({invocation}) runs", flush=True)
        else:
            status, headers, body = answered
            print(
                f"emulator: attempt {attempt} of {call} ({invocation}) "
                f"gets the first attempt's answer again: {status}",
                flush=True,
            )
            start_response(status, headers)
            return [body]
    seen: dict[str, Any] = {}

    def remember_status(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
        seen.update(status=status, headers=list(headers))
        return start_response(status, headers, *exc)

    answer = _dispatch(self, environ, remember_status)
    try:
        body = b"".join(answer)
    finally:
        getattr(answer, "close", lambda: None)()
    status = seen.get("status", "")
    # Only calls that took effect: after a refusal or a 5xx the retry must run again.
    if status[:1] in {"2", "3"} and len(body) <= ANSWERED_MAX_BODY:
        with _ANSWERED_LOCK:
            _ANSWERED[invocation] = (status, seen["headers"], body)
            while len(_ANSWERED) > ANSWERED_CAPACITY:
                _ANSWERED.popitem(last=False)
    return [body]


# (class, attribute, replacement): every patch this module makes to moto, in one place.
PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (DomainDispatcherApplication, "__call__", dispatch_answering_retries_once),
    (MotoAPIResponse, "model_data", model_data),
    (Route53, "create_hosted_zone", create_hosted_zone_private_with_vpc),
    (VPCs, "create_vpc_endpoint", create_vpc_endpoint_with_dns),
    (VPCs, "modify_vpc_endpoint", modify_vpc_endpoint_with_dns),
    (ResolverEndpoint, "description", resolver_description),
    (Route53ResolverResponse, "create_resolver_endpoint", create_resolver_endpoint_keeping_type),
    (S3Response, "_bucket_response_put", bucket_response_put_with_tags),
    (EventsHandler, "create_archive", create_archive_with_key),
    (EventsHandler, "update_archive", update_archive_with_key),
    (EventsHandler, "describe_archive", describe_archive_with_key),
    (LambdaFunction, "__init__", lambda_init),
    (LambdaFunction, "get_configuration", lambda_get_configuration),
    (LambdaFunction, "update_configuration", lambda_update_configuration),
    (events_models.Rule, "send_to_targets", send_to_targets_except_lambda),
    (StepFunctionResponse, "validate_state_machine_definition", validate_state_machine_definition),
    (StepFunctionResponse, "list_state_machine_versions", list_state_machine_versions),
]
for _owner, _attribute, _replacement in PATCHES:
    setattr(_owner, _attribute, _replacement)

if __name__ == "__main__":
    main(sys.argv[1:])
