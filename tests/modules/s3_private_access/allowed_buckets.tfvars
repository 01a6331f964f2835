allowed_bucket_arns = ["arn:aws:s3:::team-data"]
