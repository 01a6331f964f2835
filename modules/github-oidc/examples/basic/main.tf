# GitHub Actions roles for this repository's workflows (.github/workflows): `<env>-plan`
# (pull-request plans, nightly drift) and `<env>` (apply on merge) for dev and prod.
module "github_oidc" {
  source = "../.."

  repository    = var.repository
  oidc_provider = { arn = var.oidc_provider_arn }
  state         = { bucket = var.state_bucket }
  environments = {
    dev-plan = { access = "plan", state_key = "student-platform/dev/terraform.tfstate" }
    dev = {
      access      = "apply"
      state_key   = "student-platform/dev/terraform.tfstate"
      policy_arns = [aws_iam_policy.deploy.arn]
    }
    prod-plan = { access = "plan", state_key = "student-platform/prod/terraform.tfstate" }
    prod = {
      access               = "apply"
      state_key            = "student-platform/prod/terraform.tfstate"
      policy_arns          = [aws_iam_policy.deploy.arn]
      max_session_duration = 7200
    }
  }
  role_name_prefix = var.role_name_prefix
  tags             = { example = "github-oidc" }
}

# What the apply roles may do: stands in for the deploy policy of envs/ (see the module
# README for the services it needs); a real one lists the actions of those services.
resource "aws_iam_policy" "deploy" {
  name        = "${var.role_name_prefix}-deploy"
  description = "Deploy permissions of the GitHub apply roles (example)"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DescribeTheBus"
      Effect   = "Allow"
      Action   = "events:DescribeEventBus"
      Resource = "arn:aws:events:*:*:event-bus/*-student-event-bus"
    }]
  })
}
