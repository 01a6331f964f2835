kms_key           = { arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
access_log_bucket = "dltest-logs"
