output "oidc_provider_arn" {
  description = "ARN of GitHub's OIDC provider the roles trust (created here or given)."
  value       = local.provider_arn
}

output "roles" {
  description = "Per GitHub environment: the role's `name`, `arn` (the environment's `AWS_ROLE_ARN` variable), `access` and the OIDC `subject` it trusts."
  value = {
    for name, env in var.environments : name => {
      name    = aws_iam_role.this[name].name
      arn     = aws_iam_role.this[name].arn
      access  = env.access
      subject = "repo:${var.repository}:environment:${name}"
    }
  }
}
