# The student data tables and the ingestion function. In an environment, the event-bus
# module's student.enrolled / student.submitAssignment rules target
# module.student_data.ingestion_function_arn.
module "student_data" {
  source = "../.."

  name_prefix            = var.name_prefix
  ingestion_package_path = var.ingestion_package_path
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key                = var.kms_key
  event_rule_arns        = var.event_rule_arns
  log_retention_days     = 7
  ingestion_layers       = [module.dependencies_layer.arn]

  tags = { example = "student-data" }
}

# The dependency layer `make package` builds (Powertools, fastjsonschema): the function's
# code imports from it, so the example deploys it as environments do.
module "dependencies_layer" {
  source = "../../../lambda-layer"

  layer_name   = "${var.name_prefix}-python-deps"
  description  = "Pinned runtime dependencies of the example's functions"
  package_path = var.layer_package_path
}
