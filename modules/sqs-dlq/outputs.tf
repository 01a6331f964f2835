output "queues" {
  description = "The queues by key: `name`, `arn` (known at plan), `url`, `kms_key_arn` (null with SSE-SQS)."
  # Iterating over the queues keeps every value dependent on its queue (and absent, not an
  # error, while a refresh finds one deleted).
  value = {
    for k, q in aws_sqs_queue.this : k => {
      name        = q.name
      arn         = local.arns[k]
      url         = q.url
      kms_key_arn = q.kms_master_key_id
    }
  }
}
