# Every input validation, precondition and check of the module, with a mocked AWS provider:
#   cd modules/ranking-pipeline && terraform init -backend=false && terraform test
# The Lambda package must exist (`make package` builds build/lambda/training.zip).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix       = "rptest"
  event_bus_name    = "rptest-student-event-bus"
  event_bus_arn     = "arn:aws:events:us-east-1:123456789012:event-bus/rptest-student-event-bus"
  data_bucket_name  = "rptest-ranking-data-123456789012-us-east-1"
  data_kms_key_arn  = "arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555"
  glue_crawler_name = "rptest-ranking-export"
  tables = {
    students       = { name = "rptest-Students", arn = "arn:aws:dynamodb:us-east-1:123456789012:table/rptest-Students" }
    interactions   = { name = "rptest-Interactions", arn = "arn:aws:dynamodb:us-east-1:123456789012:table/rptest-Interactions" }
    class_activity = { name = "rptest-ClassActivity", arn = "arn:aws:dynamodb:us-east-1:123456789012:table/rptest-ClassActivity" }
  }
  package_paths = { training = "../../build/lambda/training.zip" }
}

# The step functions (lambda-function module, tested in its own folder) are not planned here:
# every run checks this module's own inputs, and interface.tftest.hcl plans them for real.
override_module {
  target = module.step
  outputs = {
    function_name = "rptest-ranking-step"
    function_arn  = "arn:aws:lambda:us-east-1:123456789012:function:rptest-ranking-step"
  }
}

run "valid_inputs_plan" {
  command = plan
}

run "name_prefix_invalid" {
  command = plan
  variables { name_prefix = "Prod_1" }
  expect_failures = [var.name_prefix]
}

run "event_bus_name_invalid" {
  command = plan
  variables { event_bus_name = "bus with spaces" }
  expect_failures = [var.event_bus_name]
}

run "event_bus_arn_not_a_bus" {
  command = plan
  variables { event_bus_arn = "arn:aws:events:us-east-1:123456789012:rule/x" }
  expect_failures = [var.event_bus_arn]
}

run "data_bucket_name_invalid" {
  command = plan
  variables { data_bucket_name = "Bad_Bucket" }
  expect_failures = [var.data_bucket_name]
}

run "data_kms_key_arn_alias" {
  command = plan
  variables { data_kms_key_arn = "alias/data" }
  expect_failures = [var.data_kms_key_arn]
}

run "export_prefix_without_trailing_slash" {
  command = plan
  variables { export_prefix = "personalize/export" }
  expect_failures = [var.export_prefix]
}

run "batch_output_prefix_without_trailing_slash" {
  command = plan
  variables { batch_output_prefix = "batch" }
  expect_failures = [var.batch_output_prefix]
}

run "glue_crawler_name_invalid" {
  command = plan
  variables { glue_crawler_name = "crawler name" }
  expect_failures = [var.glue_crawler_name]
}

run "tables_arn_not_dynamodb" {
  command = plan
  variables {
    tables = {
      students       = { name = "s", arn = "arn:aws:s3:::students" }
      interactions   = { name = "i", arn = "arn:aws:dynamodb:us-east-1:123456789012:table/i" }
      class_activity = { name = "c", arn = "arn:aws:dynamodb:us-east-1:123456789012:table/c" }
    }
  }
  expect_failures = [var.tables]
}

run "tables_kms_key_arn_alias" {
  command = plan
  variables { tables_kms_key_arn = "alias/tables" }
  expect_failures = [var.tables_kms_key_arn]
}

run "recipe_unsupported" {
  command = plan
  variables { recipe = "aws-similar-items" }
  expect_failures = [var.recipe]
}

run "deploy_mode_unknown" {
  command = plan
  variables { deploy_mode = "realtime" }
  expect_failures = [var.deploy_mode]
}

run "min_provisioned_tps_zero" {
  command = plan
  variables { min_provisioned_tps = 0 }
  expect_failures = [var.min_provisioned_tps]
}

run "min_provisioned_tps_too_high" {
  command = plan
  variables { min_provisioned_tps = 501 }
  expect_failures = [var.min_provisioned_tps]
}

run "min_provisioned_tps_fractional" {
  command = plan
  variables { min_provisioned_tps = 1.5 }
  expect_failures = [var.min_provisioned_tps]
}

run "batch_num_results_too_high" {
  command = plan
  variables { batch_num_results = 501 }
  expect_failures = [var.batch_num_results]
}

run "weekly_full_training_day_lowercase" {
  command = plan
  variables { weekly_full_training_day = "sunday" }
  expect_failures = [var.weekly_full_training_day]
}

run "data_guard_zero" {
  command = plan
  variables { data_guard = { min_interactions = 0 } }
  expect_failures = [var.data_guard]
}

run "schedule_expression_five_fields" {
  command = plan
  variables { schedule = { expression = "cron(0 2 * * ?)" } }
  expect_failures = [var.schedule]
}

run "schedule_expression_prose" {
  command = plan
  variables { schedule = { expression = "every day at 2" } }
  expect_failures = [var.schedule]
}

run "schedule_expression_zero_rate" {
  command = plan
  variables { schedule = { expression = "rate(0 days)" } }
  expect_failures = [var.schedule]
}

run "schedule_timezone_city" {
  command = plan
  variables { schedule = { timezone = "Hanoi" } }
  expect_failures = [var.schedule]
}

run "schedule_timezone_spaces" {
  command = plan
  variables { schedule = { timezone = "Asia/Ho Chi Minh" } }
  expect_failures = [var.schedule]
}

run "schedule_timezone_offset" {
  command = plan
  variables { schedule = { timezone = "UTC+7" } }
  expect_failures = [var.schedule]
}

run "retry_attempts_too_many" {
  command = plan
  variables { retry = { maximum_retry_attempts = 186 } }
  expect_failures = [var.retry]
}

run "retry_event_age_too_short" {
  command = plan
  variables { retry = { maximum_event_age_in_seconds = 30 } }
  expect_failures = [var.retry]
}

run "dlq_retention_too_long" {
  command = plan
  variables { dlq_message_retention_seconds = 1209601 }
  expect_failures = [var.dlq_message_retention_seconds]
}

run "waits_loop_too_long" {
  command = plan
  variables { waits = { training_seconds = 3601 } }
  expect_failures = [var.waits]
}

run "waits_execution_timeout_too_short" {
  command = plan
  variables { waits = { execution_timeout_seconds = 600 } }
  expect_failures = [var.waits]
}

run "log_retention_days_not_accepted_by_logs" {
  command = plan
  variables { log_retention_days = 2 }
  expect_failures = [var.log_retention_days]
}

run "kms_key_arn_alias" {
  command = plan
  variables { kms_key = { arn = "alias/pipeline" } }
  expect_failures = [var.kms_key]
}

run "kms_deletion_window_too_short" {
  command = plan
  variables { kms_key = { deletion_window_in_days = 6 } }
  expect_failures = [var.kms_key]
}

run "package_paths_without_training_zip" {
  command = plan
  variables { package_paths = { training = "/tmp/training.tgz" } }
  # (lambda-function would reject the path too; it is not planned here, see above)
  expect_failures = [var.package_paths]
}

run "no_key_at_all" {
  command = plan
  variables { kms_key = { enabled = false } }
  expect_failures = [aws_iam_role.personalize]
}

run "min_provisioned_tps_in_batch_mode" {
  command = plan
  variables { min_provisioned_tps = 2 }
  expect_failures = [check.campaign_settings]
}

run "recipe_seed_names_accepted" {
  command = plan
  variables { recipe = "aws-personalized-ranking" }
}

run "teardown_timeout_above_lambda_maximum" {
  command = plan
  variables { teardown = { timeout_seconds = 1200 } }
  expect_failures = [var.teardown]
}
