connectivity = {
  type            = "vpn"
  vpn             = { customer_gateway_ip = "203.0.113.10", routing = "bgp", gateway = "new_transit_gateway" }
  amazon_side_asn = 64600
}
