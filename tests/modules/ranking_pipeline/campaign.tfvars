platform_key_arn         = "arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555"
deploy_mode              = "campaign"
min_provisioned_tps      = 2
recipe                   = "aws-personalized-ranking-v2"
weekly_full_training_day = "SAT"
schedule                 = { timezone = "UTC", expression = "cron(30 3 ? * MON-FRI *)" }
retry = {
  maximum_retry_attempts       = 5
  maximum_event_age_in_seconds = 600
}
