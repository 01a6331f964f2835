connectivity = {
  type            = "transit_gateway"
  transit_gateway = { id = "tgw-0123456789abcdef0" }
}
