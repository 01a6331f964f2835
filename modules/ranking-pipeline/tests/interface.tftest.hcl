# Wiring the mocked plan shows: one function per step, the triggers, the key switch.
#   cd modules/ranking-pipeline && terraform init -backend=false && terraform test

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

run "defaults_batch_mode_with_own_key" {
  command = plan

  assert {
    condition     = keys(module.step) == ["create-solution-version", "deploy", "deploy-status", "ensure-datasets", "ensure-solution", "export", "import-status", "publish", "solution-version-status", "start-import"]
    error_message = "One function per step of lambda_src/training."
  }
  assert {
    condition     = keys(output.function_arns) == keys(module.step) && keys(output.function_names) == keys(module.step)
    error_message = "Outputs function_arns and function_names have one entry per step."
  }
  assert {
    condition     = output.function_names["export"] == "rptest-ranking-export"
    error_message = "Step functions are <prefix>-ranking-<step>."
  }
  assert {
    condition     = aws_sfn_state_machine.this.name == "rptest-ranking-pipeline" && aws_sfn_state_machine.this.type == "STANDARD"
    error_message = "The state machine is <prefix>-ranking-pipeline (STANDARD)."
  }
  assert {
    condition     = aws_scheduler_schedule.nightly.target[0].arn == "arn:aws:states:us-east-1:123456789012:stateMachine:rptest-ranking-pipeline"
    error_message = "The nightly schedule starts the state machine."
  }
  assert {
    condition     = aws_scheduler_schedule.nightly.state == "ENABLED"
    error_message = "The schedule is enabled by default."
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.request_update.event_pattern) == { source = ["api.ranking"], "detail-type" = ["ranking.requestUpdate"] }
    error_message = "The rule matches ranking.requestUpdate from api.ranking only."
  }
  assert {
    condition     = [for q in module.dlq.queues : q.name] == ["rptest-ranking-request-dlq", "rptest-ranking-schedule-dlq"] && output.dlq_arns["schedule"] == "arn:aws:sqs:us-east-1:123456789012:rptest-ranking-schedule-dlq"
    error_message = "Each trigger has its own dead-letter queue."
  }
  assert {
    condition     = length(module.kms_key) == 1 && module.kms_key[0].alias_name == "alias/rptest-ranking-pipeline"
    error_message = "Without kms_key.arn the module creates its own key (modules/kms-key: rotated) and alias."
  }
  assert {
    condition     = aws_ssm_parameter.this["ranking"].name == "/rptest/ranking/current" && aws_ssm_parameter.this["ranking"].value == jsonencode({ mode = "none" })
    error_message = "The ranking parameter starts as {mode: none}."
  }
  assert {
    condition     = output.popularity == { bucket = "rptest-ranking-data-123456789012-us-east-1", key = "personalize/batch/popularity/current.json", object_arn = "arn:aws:s3:::rptest-ranking-data-123456789012-us-east-1/personalize/batch/popularity/current.json" }
    error_message = "The Export step publishes the popularity object at <batch_output_prefix>popularity/current.json (output popularity)."
  }
  assert {
    condition     = contains(local.steps["export"].statements["write-exports"].resources, output.popularity.object_arn)
    error_message = "The Export step may write the popularity object."
  }
}

run "given_key_disabled_schedule" {
  command = plan

  variables {
    kms_key  = { arn = "arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555" }
    schedule = { enabled = false }
  }

  assert {
    condition     = length(module.kms_key) == 0 && output.kms_key_arn == var.kms_key.arn
    error_message = "A given key replaces the module's own key."
  }
  assert {
    condition     = aws_scheduler_schedule.nightly.state == "DISABLED"
    error_message = "schedule.enabled = false keeps the schedule, DISABLED."
  }
  assert {
    condition     = alltrue([for q in module.dlq.queues : q.kms_key_arn == var.kms_key.arn])
    error_message = "The DLQs are encrypted with the given key."
  }
}

run "seed_recipe_trains_update_between_full_trainings" {
  command = plan

  variables { recipe = "aws-user-personalization" }

  assert {
    condition     = local.steps["ensure-solution"].environment.RECIPE_ARN == "arn:aws:personalize:::recipe/aws-user-personalization" && local.steps["export"].environment.RECIPE_ARN == local.steps["ensure-solution"].environment.RECIPE_ARN
    error_message = "The seed's recipe reaches the steps as its ARN."
  }
  assert {
    condition     = output.recipe == "aws-user-personalization" && join(",", output.training_modes) == "FULL,UPDATE"
    error_message = "aws-user-personalization is the one recipe Personalize trains UPDATE for."
  }
}

run "other_recipes_train_full_only" {
  command = plan

  variables { recipe = "aws-personalized-ranking" }

  assert {
    condition     = output.recipe == "aws-personalized-ranking" && join(",", output.training_modes) == "FULL"
    error_message = "aws-personalized-ranking (like both v2 recipes) trains FULL only."
  }
}

run "destroy_cleans_up_personalize" {
  command = plan

  assert {
    condition     = aws_lambda_invocation.cleanup[0].lifecycle_scope == "CRUD" && aws_lambda_invocation.cleanup[0].terraform_key == "tf" && aws_lambda_invocation.cleanup[0].function_name == "rptest-ranking-cleanup"
    error_message = "An invocation with lifecycle_scope CRUD runs the cleanup function on destroy."
  }
  assert {
    condition     = module.cleanup[0].function_name == "rptest-ranking-cleanup" && output.cleanup_function_name == "rptest-ranking-cleanup"
    error_message = "The cleanup function is <prefix>-ranking-cleanup."
  }
  assert {
    condition     = !contains(keys(module.step), "cleanup")
    error_message = "The cleanup function is not a step: the state machine cannot invoke it."
  }
}

run "teardown_disabled" {
  command = plan

  variables { teardown = { enabled = false } }

  assert {
    condition     = length(aws_lambda_invocation.cleanup) == 0 && length(module.cleanup) == 0 && output.cleanup_function_name == null
    error_message = "teardown.enabled = false creates neither the function nor the invocation."
  }
}
