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

Also for the simulated on-prem site:
- `MonitorInstances` / `UnmonitorInstances` (detailed monitoring, `monitoring = true`) are
  not implemented: the provider retried them forever. Here they set the instance's
  monitoring state, which DescribeInstances returns.
- A VPN connection's `Options` (static routing, the tunnels' settings) are dropped, so the
  plan after apply replaced the connection. Here the options sent are kept and returned.
- An instance launched with a network interface specification (how the provider launches
  one with `associate_public_ip_address` set) reports none of the interface's security
  groups as its own, so `vpc_security_group_ids` changed after every apply. Here the
  primary interface's groups are the instance's when it was given none itself, as on AWS.
- `CreateVpnConnectionRoute` / `DeleteVpnConnectionRoute` are missing, and so are the
  DescribeVpnConnections filters the provider finds a route by. Here a connection keeps
  its static routes (`Routes`, state `available`) and the `vpn-connection-id`,
  `route.destination-cidr-block` filters work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.exceptions import InvalidCustomerGatewayIdError
from moto.ec2.models.instances import InstanceBackend
from moto.ec2.models.vpn_connections import VPNConnection
from moto.ec2.responses.instances import InstanceResponse
from moto.ec2.responses.vpcs import VPCs
from moto.ec2.responses.vpn_connections import VPNConnections

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


_run_instances = InstanceBackend.run_instances


def run_instances_with_interface_groups(self: InstanceBackend, *args: Any, **kwargs: Any) -> Any:
    reservation = _run_instances(self, *args, **kwargs)
    for instance in reservation.instances:
        primary = instance.nics.get(0)
        if not instance.security_groups and primary is not None:
            instance.security_groups = list(primary._group_set)
    return reservation


def _set_monitoring(handler: InstanceResponse, state: str) -> ActionResult:
    moving = "pending" if state == "enabled" else "disabling"
    ids = handler._get_param("InstanceIds", [])
    for instance in handler.ec2_backend.get_multi_instances_by_id(ids):
        instance.monitoring_state = state
    return ActionResult(
        {"InstanceMonitorings": [{"InstanceId": i, "Monitoring": {"State": moving}} for i in ids]}
    )


def monitor_instances(self: InstanceResponse) -> ActionResult:
    return _set_monitoring(self, "enabled")


def unmonitor_instances(self: InstanceResponse) -> ActionResult:
    return _set_monitoring(self, "disabled")


_create_vpn_connection = VPNConnections.create_vpn_connection
_vpn_filter_value = VPNConnection.get_filter_value


# CreateVpnConnection's tunnel options and DescribeVpnConnections' spell three names apart.
_TUNNEL_OPTION_NAMES = {
    "IKEVersions": "IkeVersions",
    "DPDTimeoutSeconds": "DpdTimeoutSeconds",
    "DPDTimeoutAction": "DpdTimeoutAction",
}


def _tunnels_sent(options: dict[str, Any]) -> list[dict[str, Any]]:
    sent = list(options.get("TunnelOptions") or [])
    return [
        {_TUNNEL_OPTION_NAMES.get(k, k): v for k, v in sent[i].items()} if i < len(sent) else {}
        for i in range(2)
    ]


def create_vpn_connection_with_options(self: VPNConnections) -> ActionResult:
    result = _create_vpn_connection(self)
    connection: Any = result.result["VpnConnection"]  # type: ignore[index]
    options = self._get_param("Options") or {}
    connection.options = {
        "EnableAcceleration": False,
        "StaticRoutesOnly": False,
        "LocalIpv4NetworkCidr": "0.0.0.0/0",
        "RemoteIpv4NetworkCidr": "0.0.0.0/0",
        "OutsideIpAddressType": "PublicIpv4",
        "TunnelInsideIpVersion": "ipv4",
        **{k: v for k, v in options.items() if k != "TunnelOptions"},
        "TunnelOptions": [
            {**sent, "OutsideIpAddress": tunnel_values(connection.id, n)["aws_outside"]}
            for n, sent in enumerate(_tunnels_sent(options), start=1)
        ],
    }
    connection.routes = []
    return result


def _route_action(handler: VPNConnections, add: bool) -> EmptyResult:
    connection = handler.ec2_backend.describe_vpn_connections(
        vpn_connection_ids=[handler._get_param("VpnConnectionId")]
    )[0]
    cidr = handler._get_param("DestinationCidrBlock")
    routes = [
        r for r in (getattr(connection, "routes", None) or []) if r["DestinationCidrBlock"] != cidr
    ]
    if add:
        routes.append({"DestinationCidrBlock": cidr, "Source": "Static", "State": "available"})
    connection.routes = routes
    return EmptyResult()


def create_vpn_connection_route(self: VPNConnections) -> EmptyResult:
    return _route_action(self, add=True)


def delete_vpn_connection_route(self: VPNConnections) -> EmptyResult:
    return _route_action(self, add=False)


def vpn_filter_value(self: VPNConnection, filter_name: str, method_name: str | None = None) -> Any:
    if filter_name == "vpn-connection-id":
        return self.id
    if filter_name == "route.destination-cidr-block":
        return [r["DestinationCidrBlock"] for r in getattr(self, "routes", None) or []]
    return _vpn_filter_value(self, filter_name, method_name)


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (InstanceBackend, "run_instances", run_instances_with_interface_groups),
    (InstanceResponse, "monitor_instances", monitor_instances),
    (InstanceResponse, "unmonitor_instances", unmonitor_instances),
    (VPNConnections, "create_vpn_connection", create_vpn_connection_with_options),
    (VPNConnections, "create_vpn_connection_route", create_vpn_connection_route),
    (VPNConnections, "delete_vpn_connection_route", delete_vpn_connection_route),
    (VPNConnection, "get_filter_value", vpn_filter_value),
    (VPCs, "create_vpc_endpoint", create_vpc_endpoint_with_dns),
    (VPCs, "modify_vpc_endpoint", modify_vpc_endpoint_with_dns),
    (
        VPNConnection,
        "customer_gateway_configuration",
        property(customer_gateway_configuration_per_tunnel),  # type: ignore[list-item]
    ),
]
