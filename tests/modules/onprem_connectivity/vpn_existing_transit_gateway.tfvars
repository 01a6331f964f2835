connectivity = {
  type            = "vpn"
  vpn             = { customer_gateway_ip = "203.0.113.10", gateway = "transit_gateway" }
  transit_gateway = { id = "tgw-0123456789abcdef0", route_table_id = "tgw-rtb-0123456789abcdef0" }
}
