# Every input validation of the module, with a mocked AWS provider:
#   cd modules/event-publisher-api && terraform init -backend=false && terraform test
# The Lambda package must exist (`make package` builds build/lambda/publisher.zip).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix    = "pubtest"
  package_path   = "../../build/lambda/publisher.zip"
  event_bus_name = "pubtest-bus"
  event_bus_arn  = "arn:aws:events:us-east-1:123456789012:event-bus/pubtest-bus"
}

run "valid_inputs_plan" {
  command = plan
}

run "name_prefix_uppercase" {
  command = plan
  variables { name_prefix = "Prod" }
  expect_failures = [var.name_prefix]
}

run "event_bus_name_with_spaces" {
  command = plan
  variables { event_bus_name = "my bus" }
  expect_failures = [var.event_bus_name]
}

run "event_bus_arn_is_a_name" {
  command = plan
  variables { event_bus_arn = "pubtest-bus" }
  expect_failures = [var.event_bus_arn]
}

run "authorization_type_unknown" {
  command = plan
  variables { authorization_type = "COGNITO" }
  expect_failures = [var.authorization_type]
}

run "jwt_without_issuer" {
  command = plan
  variables {
    authorization_type = "JWT"
    jwt                = { issuer = null, audience = ["client-1"] }
  }
  expect_failures = [var.jwt]
}

run "jwt_without_audience" {
  command = plan
  variables {
    authorization_type = "JWT"
    jwt                = { issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example", audience = [] }
  }
  expect_failures = [var.jwt]
}

run "jwt_issuer_not_https" {
  command = plan
  variables { jwt = { issuer = "http://issuer.example", audience = ["client-1"] } }
  expect_failures = [var.jwt]
}

run "throttling_burst_limit_fractional" {
  command = plan
  variables { throttling = { burst_limit = 2.5 } }
  expect_failures = [var.throttling]
}

run "throttling_rate_limit_zero" {
  command = plan
  variables { throttling = { rate_limit = 0 } }
  expect_failures = [var.throttling]
}

run "log_retention_days_not_accepted_by_logs" {
  command = plan
  variables { log_retention_days = 2 }
  expect_failures = [var.log_retention_days]
}

run "kms_key_arn_alias" {
  command = plan
  variables { kms_key = { arn = "alias/logs" } }
  expect_failures = [var.kms_key]
}

run "kms_key_arn_while_disabled" {
  command = plan
  variables { kms_key = { enabled = false, arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" } }
  expect_failures = [var.kms_key]
}

run "kms_deletion_window_too_long" {
  command = plan
  variables { kms_key = { deletion_window_in_days = 31 } }
  expect_failures = [var.kms_key]
}

run "publish_max_attempts_too_many" {
  command = plan
  variables { publish_max_attempts = 11 }
  expect_failures = [var.publish_max_attempts]
}

run "timeout_reaches_the_integration_limit" {
  command = plan
  variables { timeout = 30 }
  expect_failures = [var.timeout]
}

run "idempotency_ttl_under_an_hour" {
  command = plan
  variables { idempotency = { ttl_seconds = 60 } }
  expect_failures = [var.idempotency]
}
