"""Route 53 Resolver: an endpoint reports its `Protocols` and `ResolverEndpointType`.

moto 5.2.5 accepts both on CreateResolverEndpoint but returns neither, so every Resolver
endpoint would show a perpetual diff right after apply. Here the values sent are kept on the
endpoint and returned, with AWS's defaults (`Do53`, `IPV4`) when none were sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.route53resolver.models import ResolverEndpoint
from moto.route53resolver.responses import Route53ResolverResponse

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


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (ResolverEndpoint, "description", resolver_description),
    (Route53ResolverResponse, "create_resolver_endpoint", create_resolver_endpoint_keeping_type),
]
