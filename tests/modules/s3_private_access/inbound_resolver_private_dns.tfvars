dns_mode = "inbound_resolver_private_dns"
