authorization_type = "JWT"
jwt                = { issuer = "https://issuer.example.com/pool", audience = ["ranking-client"] }
