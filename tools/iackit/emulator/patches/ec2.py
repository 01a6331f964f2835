"""EC2: a VPC endpoint reports its `DnsOptions` and `IpAddressType`; a VPN connection's two
tunnels have addresses of their own.

moto 5.2.5 accepts both on CreateVpcEndpoint / ModifyVpcEndpoint but returns neither from
DescribeVpcEndpoints, so every interface endpoint would show a perpetual diff right after
apply. Here an interface endpoint starts with what AWS answers when the request leaves them
out (`ipv4`, no inbound-resolver-only DNS), and the values sent are kept and returned.

moto renders every VPN connection's `CustomerGatewayConfiguration` (where the provider reads
`tunnel1_address`, `tunnel2_address`, the inside addresses and the keys) from one fixed
template: both tunnels of every connection get one outside address (52.2.144.13), one pair
of inside addresses and one key, so anything per tunnel (the strongSwan instance's security
group rules, one per tunnel endpoint) collides. Here each tunnel of each connection gets its
own outside address, inside /30 and key, derived from the connection id (stable across
reads), and the customer side's outside address is the customer gateway's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import InvalidCustomerGatewayIdError
from moto.ec2.models.vpn_connections import VPNConnection
from moto.ec2.responses.vpcs import VPCs

_customer_gateway_configuration = VPNConnection.customer_gateway_configuration
# The fixed values of moto's template (moto/ec2/models/vpn_connections.py, _IPSEC_TUNNEL).
_TEMPLATE_AWS_OUTSIDE = "52.2.144.13"
_TEMPLATE_CUSTOMER_OUTSIDE = "12.1.2.3"
_TEMPLATE_AWS_INSIDE = "169.254.44.41"
_TEMPLATE_CUSTOMER_INSIDE = "169.254.44.42"
_TEMPLATE_KEY = "Iw2IAN9XUsQeYUrkMGP3kP59ugFDkfHg"
_TUNNEL = "<ipsec_tunnel>"

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


def tunnel_values(connection_id: str, tunnel: int) -> dict[str, str]:
    """Outside address, inside /30 (AWS .1, customer .2) and key of one tunnel, stable for a
    connection id and distinct between its two tunnels (and, by id, between connections)."""
    digest = hashlib.sha256(f"{connection_id}/{tunnel}".encode()).digest()
    inside = 4 * (digest[2] % 64)
    return {
        "aws_outside": f"52.{digest[0] % 128 + 64}.{digest[1]}.{tunnel}",
        "aws_inside": f"169.254.{digest[3] % 250 + 1}.{inside + 1}",
        "customer_inside": f"169.254.{digest[3] % 250 + 1}.{inside + 2}",
        # The provider's rules for a key: 8-64 of [0-9A-Za-z_.], not starting with 0.
        "key": "k" + hashlib.sha256(digest).hexdigest()[:31],
    }


def customer_gateway_configuration_per_tunnel(self: VPNConnection) -> str:
    rendered: str = _customer_gateway_configuration.fget(self)  # type: ignore[attr-defined]
    try:
        customer_ip = self.ec2_backend.get_customer_gateway(self.customer_gateway_id).ip_address
    except InvalidCustomerGatewayIdError:  # deleted: the template's value
        customer_ip = _TEMPLATE_CUSTOMER_OUTSIDE
    head, *tunnels = rendered.split(_TUNNEL)
    for index, text in enumerate(tunnels):
        values = tunnel_values(self.id, index + 1)
        tunnels[index] = (
            text.replace(_TEMPLATE_AWS_OUTSIDE, values["aws_outside"])
            .replace(_TEMPLATE_CUSTOMER_OUTSIDE, customer_ip)
            .replace(_TEMPLATE_AWS_INSIDE, values["aws_inside"])
            .replace(_TEMPLATE_CUSTOMER_INSIDE, values["customer_inside"])
            .replace(_TEMPLATE_KEY, values["key"])
        )
    return _TUNNEL.join([head, *tunnels])


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (VPCs, "create_vpc_endpoint", create_vpc_endpoint_with_dns),
    (VPCs, "modify_vpc_endpoint", modify_vpc_endpoint_with_dns),
    (
        VPNConnection,
        "customer_gateway_configuration",
        property(customer_gateway_configuration_per_tunnel),  # type: ignore[list-item]
    ),
]
