repository        = "other-org/other-repo"
role_name_prefix  = "gha"
oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
