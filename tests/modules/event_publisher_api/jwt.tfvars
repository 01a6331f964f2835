authorization_type = "JWT"
jwt = {
  issuer   = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
  audience = ["client-1"]
  scopes   = { student = "platform/student", admin = "platform/admin" }
}
