jwt_issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
