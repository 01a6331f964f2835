"""EC2: a VPC endpoint reports its `DnsOptions` and `IpAddressType`.

moto 5.2.5 accepts both on CreateVpcEndpoint / ModifyVpcEndpoint but returns neither from
DescribeVpcEndpoints, so every interface endpoint would show a perpetual diff right after
apply. Here an interface endpoint starts with what AWS answers when the request leaves them
out (`ipv4`, no inbound-resolver-only DNS), and the values sent are kept and returned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.responses.vpcs import VPCs

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


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (VPCs, "create_vpc_endpoint", create_vpc_endpoint_with_dns),
    (VPCs, "modify_vpc_endpoint", modify_vpc_endpoint_with_dns),
]
