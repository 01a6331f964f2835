connectivity = {
  type           = "direct_connect"
  direct_connect = { gateway_id = "5f294f92-bafb-4011-916d-9b0bec2c9f4d" }
}
