name_prefix               = "dlqapply"
message_retention_seconds = 345600
