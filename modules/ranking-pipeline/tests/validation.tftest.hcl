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

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_invalid
    name_prefix = "Prod_1"
    # event_bus_name_invalid
    event_bus_name = "bus with spaces"
    # event_bus_arn_not_a_bus
    event_bus_arn = "arn:aws:events:us-east-1:123456789012:rule/x"
    # data_bucket_name_invalid
    data_bucket_name = "Bad_Bucket"
    # data_kms_key_arn_alias
    data_kms_key_arn = "alias/data"
    # export_prefix_without_trailing_slash
    export_prefix = "personalize/export"
    # batch_output_prefix_without_trailing_slash
    batch_output_prefix = "batch"
    # glue_crawler_name_invalid
    glue_crawler_name = "crawler name"
    # tables_arn_not_dynamodb
    tables = {
      students       = { name = "s", arn = "arn:aws:s3:::students" }
      interactions   = { name = "i", arn = "arn:aws:dynamodb:us-east-1:123456789012:table/i" }
      class_activity = { name = "c", arn = "arn:aws:dynamodb:us-east-1:123456789012:table/c" }
    }
    # tables_kms_key_arn_alias
    tables_kms_key_arn = "alias/tables"
    # recipe_unsupported
    recipe = "aws-similar-items"
    # deploy_mode_unknown
    deploy_mode = "realtime"
    # min_provisioned_tps_zero
    min_provisioned_tps = 0
    # batch_num_results_too_high
    batch_num_results = 501
    # weekly_full_training_day_lowercase
    weekly_full_training_day = "sunday"
    # data_guard_zero
    data_guard = { min_interactions = 0 }
    # schedule_expression_five_fields
    schedule = { expression = "cron(0 2 * * ?)" }
    # retry_attempts_too_many
    retry = { maximum_retry_attempts = 186 }
    # dlq_retention_too_long
    dlq_message_retention_seconds = 1209601
    # waits_loop_too_long
    waits = { training_seconds = 3601 }
    # log_retention_days_not_accepted_by_logs
    log_retention_days = 2
    # kms_key_arn_alias
    kms_key = { arn = "alias/pipeline" }
    # package_paths_without_training_zip
    package_paths = { training = "/tmp/training.tgz" }
    # teardown_timeout_above_lambda_maximum
    teardown = { timeout_seconds = 1200 }
  }
  expect_failures = [
    var.name_prefix,
    var.event_bus_name,
    var.event_bus_arn,
    var.data_bucket_name,
    var.data_kms_key_arn,
    var.export_prefix,
    var.batch_output_prefix,
    var.glue_crawler_name,
    var.tables,
    var.tables_kms_key_arn,
    var.recipe,
    var.deploy_mode,
    var.min_provisioned_tps,
    var.batch_num_results,
    var.weekly_full_training_day,
    var.data_guard,
    var.schedule,
    var.retry,
    var.dlq_message_retention_seconds,
    var.waits,
    var.log_retention_days,
    var.kms_key,
    var.package_paths,
    var.teardown,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # min_provisioned_tps_too_high
    min_provisioned_tps = 501
    # schedule_expression_prose
    schedule = { expression = "every day at 2" }
    # retry_event_age_too_short
    retry = { maximum_event_age_in_seconds = 30 }
    # waits_execution_timeout_too_short
    waits = { execution_timeout_seconds = 600 }
    # kms_deletion_window_too_short
    kms_key = { deletion_window_in_days = 6 }
  }
  expect_failures = [
    var.min_provisioned_tps,
    var.schedule,
    var.retry,
    var.waits,
    var.kms_key,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # min_provisioned_tps_fractional
    min_provisioned_tps = 1.5
    # schedule_expression_zero_rate
    schedule = { expression = "rate(0 days)" }
  }
  expect_failures = [
    var.min_provisioned_tps,
    var.schedule,
  ]
}

run "rejected_inputs_4" {
  command = plan
  variables {
    # schedule_timezone_city
    schedule = { timezone = "Hanoi" }
  }
  expect_failures = [
    var.schedule,
  ]
}

run "rejected_inputs_5" {
  command = plan
  variables {
    # schedule_timezone_spaces
    schedule = { timezone = "Asia/Ho Chi Minh" }
  }
  expect_failures = [
    var.schedule,
  ]
}

run "rejected_inputs_6" {
  command = plan
  variables {
    # schedule_timezone_offset
    schedule = { timezone = "UTC+7" }
  }
  expect_failures = [
    var.schedule,
  ]
}
