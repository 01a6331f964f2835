# No customer managed key: SQS-managed encryption (SSE-SQS), 4 days of retention.
encrypted_with_cmk        = false
message_retention_seconds = 345600
