deletion_protection    = { enabled = true }
point_in_time_recovery = { enabled = false }
kms_key                = { arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
event_rule_arns = {
  enrolled = "arn:aws:events:us-east-1:123456789012:rule/sdtest-bus/sdtest-student-enrolled"
}
