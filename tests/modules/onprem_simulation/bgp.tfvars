vpn_routing = "bgp"
