authorization_type = "JWT"
jwt_issuer         = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
jwt_audience       = ["client-1"]
