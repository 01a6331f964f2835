output "oidc_provider_arn" {
  description = "GitHub's OIDC provider ARN."
  value       = module.github_oidc.oidc_provider_arn
}

output "roles" {
  description = "The roles by GitHub environment (set each ARN as that environment's AWS_ROLE_ARN variable)."
  value       = module.github_oidc.roles
}
