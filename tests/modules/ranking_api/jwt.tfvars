authorization_type = "JWT"
jwt_issuer         = "https://issuer.example.com/pool"
jwt_audience       = ["ranking-client"]
