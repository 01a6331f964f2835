# AWS owned keys for the bus and archive, SQS-managed encryption for the DLQs; no schedule.
kms_key         = { enabled = false }
nightly_ranking = { enabled = false }
