# No customer managed key: SQS-managed encryption (SSE-SQS), 4 days of retention.
kms_key                   = { enabled = false }
message_retention_seconds = 345600
