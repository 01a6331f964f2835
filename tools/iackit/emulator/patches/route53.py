"""Route 53: a hosted zone created with a VPC is private.

AWS infers a private zone from the VPC in CreateHostedZone; moto 5.2.5 records a zone as
private only when the request says `HostedZoneConfig/PrivateZone=true`, which the provider
does not send. The zone would read back public, a perpetual diff right after apply. Here a
CreateHostedZone with a VPC reads `PrivateZone` as true.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.route53.responses import Route53

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


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (Route53, "create_hosted_zone", create_hosted_zone_private_with_vpc),
]
