# No Students table (the notifier emails detail.email of enrollments), a customer managed key.
# The Students table's ARN is unknown until apply, which leaves the role policy of the default
# variant unknown too: this variant plans it in full.
students_table       = { enabled = false }
notifier_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
