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

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_uppercase
    name_prefix = "Prod"
    # event_bus_name_with_spaces
    event_bus_name = "my bus"
    # event_bus_arn_is_a_name
    event_bus_arn = "pubtest-bus"
    # authorization_type_unknown
    authorization_type = "COGNITO"
    # throttling_burst_limit_fractional
    throttling = { burst_limit = 2.5 }
    # log_retention_days_not_accepted_by_logs
    log_retention_days = 2
    # kms_key_arn_alias
    kms_key = { arn = "alias/logs" }
    # publish_max_attempts_too_many
    publish_max_attempts = 11
    # timeout_reaches_the_integration_limit
    timeout = 30
    # idempotency_ttl_under_an_hour
    idempotency = { ttl_seconds = 60 }
  }
  expect_failures = [
    var.name_prefix,
    var.event_bus_name,
    var.event_bus_arn,
    var.authorization_type,
    var.throttling,
    var.log_retention_days,
    var.kms_key,
    var.publish_max_attempts,
    var.timeout,
    var.idempotency,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # throttling_rate_limit_zero
    throttling = { rate_limit = 0 }
    # kms_key_arn_while_disabled
    kms_key = { enabled = false, arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
  }
  expect_failures = [
    var.throttling,
    var.kms_key,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # kms_deletion_window_too_long
    kms_key = { deletion_window_in_days = 31 }
  }
  expect_failures = [
    var.kms_key,
  ]
}
