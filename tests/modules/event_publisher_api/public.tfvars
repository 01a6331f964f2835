authorization_type = "NONE"
