# Wiring the mocked plan shows: names, the authorization switch, the key switch, the
# function's environment and throttling.
#   cd modules/event-publisher-api && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix    = "pubtest"
  package_path   = "../../build/lambda/publisher.zip"
  event_bus_name = "pubtest-bus"
  event_bus_arn  = "arn:aws:events:us-east-1:123456789012:event-bus/pubtest-bus"
}

run "defaults_sign_requests_and_create_a_key" {
  command = plan

  assert {
    condition     = module.http_api.api_name == "pubtest-student-events-api" && output.api_id == "a1b2c3"
    error_message = "The HTTP API is <prefix>-student-events-api."
  }
  assert {
    condition     = output.route_keys == { "student.enrolled" = "POST /events/student.enrolled", "student.registered" = "POST /events/student.registered", "student.submitAssignment" = "POST /events/student.submitAssignment", "teacher.sendAnnouncement" = "POST /events/teacher.sendAnnouncement" } && alltrue([for r in values(module.http_api.routes) : r.authorization_type == "AWS_IAM" && r.authorization_scopes == null])
    error_message = "One route per event type API clients may publish (no ranking.*), SigV4-signed by default, no scopes."
  }
  assert {
    condition     = output.published_events == { "api.student" = ["student.enrolled", "student.registered"], "api.assignment" = ["student.submitAssignment"], "api.teacher" = ["teacher.sendAnnouncement"] } && toset(flatten(values(output.published_events))) == toset(keys(output.route_keys))
    error_message = "Each source carries its own types (the catalog's pairs), exactly the routed ones."
  }
  assert {
    condition     = module.http_api.authorizer_id == null
    error_message = "No JWT authorizer unless authorization_type = JWT."
  }
  assert {
    condition     = aws_dynamodb_table.idempotency.name == "pubtest-publisher-idempotency" && aws_dynamodb_table.idempotency.ttl[0].attribute_name == "expiration" && aws_dynamodb_table.idempotency.server_side_encryption[0].enabled
    error_message = "Idempotency-Key records live in <prefix>-publisher-idempotency, expire by TTL, encrypted."
  }
  assert {
    condition     = length(module.kms_key) == 1 && module.kms_key[0].alias_name == "alias/pubtest-student-events-api"
    error_message = "Without kms_key.arn the module creates its own key and alias."
  }
  assert {
    condition     = module.http_api.access_log.kms_key_arn == "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    error_message = "The access logs are encrypted with the module's own key (its ARN: tests/mocks)."
  }
  assert {
    condition     = output.access_log_group_name == "/aws/apigateway/pubtest-student-events-api" && module.http_api.access_log.retention_in_days == 30
    error_message = "Access logs go to /aws/apigateway/<api name>, kept log_retention_days."
  }
  assert {
    condition     = module.http_api.throttling == { burst_limit = 50, rate_limit = 100 }
    error_message = "The default throttling is 50 burst, 100 requests per second."
  }
  assert {
    condition     = module.http_api.routes["POST /events/student.enrolled"].statement_id == "pubtest-student-events-api-student-enrolled" && module.http_api.routes["POST /events/student.enrolled"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/POST/events/student.enrolled"
    error_message = "API Gateway may invoke the publisher from each type's route only."
  }
  assert {
    condition     = output.function_name == "pubtest-event-publisher" && output.stage_name == "$default"
    error_message = "The publisher is <prefix>-event-publisher behind the $default stage."
  }
}

run "jwt_adds_an_authorizer_and_a_given_key_replaces_the_own_key" {
  command = plan

  variables {
    authorization_type = "JWT"
    jwt                = { issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example", audience = ["client-1"], scopes = { student = "platform/student", admin = "platform/admin" } }
    kms_key            = { arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
    throttling         = { burst_limit = 5, rate_limit = 2 }
  }

  assert {
    condition     = module.http_api.authorizer_id == "jwt123"
    error_message = "authorization_type = JWT adds the JWT authorizer (name and issuer: tests/modules/event_publisher_api/jwt.yaml)."
  }
  assert {
    condition     = alltrue([for r in values(module.http_api.routes) : r.authorization_type == "JWT" && r.authorizer_id == "jwt123"])
    error_message = "Every route uses the JWT authorizer."
  }
  assert {
    condition     = module.http_api.routes["POST /events/student.enrolled"].authorization_scopes == toset(["platform/student", "platform/admin"]) && module.http_api.routes["POST /events/teacher.sendAnnouncement"].authorization_scopes == toset(["teacher", "platform/admin"])
    error_message = "Each route requires the scopes of the roles that may publish its type (jwt.scopes, defaults the role names)."
  }
  assert {
    condition     = length(module.kms_key) == 0 && module.http_api.access_log.kms_key_arn == var.kms_key.arn && output.kms_key_arn == var.kms_key.arn
    error_message = "A given key replaces the module's own key for the access logs."
  }
  assert {
    condition     = module.http_api.throttling == { burst_limit = 5, rate_limit = 2 }
    error_message = "Throttling inputs reach the stage."
  }
}

run "public_api_and_aws_owned_keys" {
  command = plan

  variables {
    authorization_type = "NONE"
    kms_key            = { enabled = false }
  }

  assert {
    condition     = module.http_api.routes["POST /events/student.enrolled"].authorization_type == "NONE" && module.http_api.routes["POST /events/student.enrolled"].authorizer_id == null
    error_message = "authorization_type = NONE leaves the route without authorizer."
  }
  assert {
    condition     = length(module.kms_key) == 0 && module.http_api.access_log.kms_key_arn == null && output.kms_key_arn == null
    error_message = "kms_key.enabled = false uses AWS owned keys."
  }
}
