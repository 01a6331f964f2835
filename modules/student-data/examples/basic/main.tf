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

  tags = { example = "student-data" }
}
