# GitHub Actions -> AWS with short-lived credentials: GitHub's OIDC provider and one role per
# GitHub environment, trusted only for this repository's jobs in that environment.
data "aws_partition" "current" {}

locals {
  issuer   = "token.actions.githubusercontent.com"
  audience = "sts.amazonaws.com"
  provider_arn = coalesce(
    var.oidc_provider.arn,
    one(aws_iam_openid_connect_provider.github[*].arn),
  )
  partition  = data.aws_partition.current.partition
  bucket_arn = "arn:${local.partition}:s3:::${var.state.bucket}"
  read_only  = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
  plan_roles = { for name, env in var.environments : name => env if env.access == "plan" }
  # Keyed by position: a policy created in the same configuration has no ARN at plan time.
  policy_pairs = { for pair in flatten([for name, env in var.environments : [for index, arn in env.policy_arns : { key = "${name}/${index}", role = name, arn = arn }]]) : pair.key => pair }
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.oidc_provider.arn == null ? 1 : 0

  url            = "https://${local.issuer}"
  client_id_list = [local.audience]
  tags           = var.tags
}

resource "aws_iam_role" "this" {
  for_each = var.environments

  name                 = "${var.role_name_prefix}-${each.key}"
  description          = "GitHub Actions (${var.repository}, environment ${each.key}): ${each.value.access}"
  max_session_duration = each.value.max_session_duration
  permissions_boundary = var.permissions_boundary_arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "GitHubEnvironmentOnly"
      Effect    = "Allow"
      Principal = { Federated = local.provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.issuer}:aud" = local.audience
          "${local.issuer}:sub" = "repo:${var.repository}:environment:${each.key}"
        }
      }
    }]
  })
  tags = var.tags
}

# The state object and its S3 native lock file (`use_lockfile = true`): a plan takes the
# lock (unless -lock=false) so it may write the lock file; only an apply writes the state.
resource "aws_iam_role_policy" "state" {
  for_each = var.environments

  name = "terraform-state"
  role = aws_iam_role.this[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid       = "ListStatePrefix"
          Effect    = "Allow"
          Action    = "s3:ListBucket"
          Resource  = local.bucket_arn
          Condition = { StringLike = { "s3:prefix" = [each.value.state_key, "${each.value.state_key}.tflock"] } }
        },
        {
          Sid      = "ReadState"
          Effect   = "Allow"
          Action   = "s3:GetObject"
          Resource = ["${local.bucket_arn}/${each.value.state_key}", "${local.bucket_arn}/${each.value.state_key}.tflock"]
        },
        {
          Sid      = "TakeLock"
          Effect   = "Allow"
          Action   = ["s3:PutObject", "s3:DeleteObject"]
          Resource = "${local.bucket_arn}/${each.value.state_key}.tflock"
        },
      ],
      each.value.access == "apply" ? [{
        Sid      = "WriteState"
        Effect   = "Allow"
        Action   = "s3:PutObject"
        Resource = "${local.bucket_arn}/${each.value.state_key}"
      }] : [],
    )
  })
}

resource "aws_iam_role_policy_attachment" "read_only" {
  for_each = local.plan_roles

  role       = aws_iam_role.this[each.key].name
  policy_arn = local.read_only
}

resource "aws_iam_role_policy_attachment" "given" {
  for_each = local.policy_pairs

  role       = aws_iam_role.this[each.value.role].name
  policy_arn = each.value.arn
}
