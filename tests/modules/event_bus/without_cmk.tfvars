# AWS owned keys for the bus and archive, SQS-managed encryption for the DLQs; no schedule.
create_kms_key          = false
nightly_ranking_enabled = false
