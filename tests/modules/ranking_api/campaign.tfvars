deploy_mode = "campaign"
recipe      = "aws-personalized-ranking-v2"
kms_key     = { arn = "arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555" }
