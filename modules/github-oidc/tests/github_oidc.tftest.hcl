# terraform test (mock provider, plan only): each role trusts only this repository's jobs in
# its GitHub environment, the state permissions of plan and apply roles, and every
# validation. The real provider plans the example in tests/modules/github_oidc (inventory)
# and its apply test reads the roles back from IAM.
#   cd modules/github-oidc && terraform init -backend=false && terraform test
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  repository    = "acme/student-platform"
  oidc_provider = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
  state         = { bucket = "acme-state" }
  environments = {
    dev-plan = { access = "plan", state_key = "sp/dev/terraform.tfstate" }
    dev = {
      access      = "apply"
      state_key   = "sp/dev/terraform.tfstate"
      policy_arns = ["arn:aws:iam::123456789012:policy/deploy"]
    }
  }
}

run "each_role_trusts_only_its_repository_environment" {
  command = plan

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && output.oidc_provider_arn == var.oidc_provider.arn
    error_message = "A given oidc_provider.arn is reused, not created again."
  }
  assert {
    condition = alltrue([for name in ["dev", "dev-plan"] : jsondecode(aws_iam_role.this[name].assume_role_policy).Statement == [{
      Sid       = "GitHubEnvironmentOnly"
      Effect    = "Allow"
      Principal = { Federated = var.oidc_provider.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = {
        "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
        "token.actions.githubusercontent.com:sub" = "repo:acme/student-platform:environment:${name}"
      } }
    }]])
    error_message = "Each role trusts GitHub's OIDC provider for sts.amazonaws.com and exactly repo:<repository>:environment:<key>."
  }
  assert {
    condition     = aws_iam_role.this["dev"].name == "github-dev" && aws_iam_role.this["dev"].max_session_duration == 3600 && output.roles["dev-plan"].subject == "repo:acme/student-platform:environment:dev-plan"
    error_message = "Roles are named <prefix>-<environment>, last one hour by default, and the output names the subject."
  }
}

run "plan_roles_read_apply_roles_write_the_state" {
  command = plan

  assert {
    condition     = keys(aws_iam_role_policy_attachment.read_only) == ["dev-plan"] && aws_iam_role_policy_attachment.read_only["dev-plan"].policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "Only plan roles get ReadOnlyAccess."
  }
  assert {
    condition     = keys(aws_iam_role_policy_attachment.given) == ["dev/0"] && aws_iam_role_policy_attachment.given["dev/0"].policy_arn == "arn:aws:iam::123456789012:policy/deploy"
    error_message = "An apply role gets exactly its policy_arns."
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.state["dev-plan"].policy).Statement : s.Sid] == ["ListStatePrefix", "ReadState", "TakeLock"]
    error_message = "A plan role reads the state and may only write its lock file."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.state["dev"].policy).Statement[3] == { Sid = "WriteState", Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::acme-state/sp/dev/terraform.tfstate" }
    error_message = "An apply role writes its own state object, nothing else of the bucket."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.state["dev"].policy).Statement[2].Resource == "arn:aws:s3:::acme-state/sp/dev/terraform.tfstate.tflock"
    error_message = "The lock file is the state key + .tflock (S3 native locking)."
  }
}

run "creates_the_oidc_provider_when_no_arn_is_given" {
  command = plan

  variables {
    oidc_provider = {}
  }

  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "Without an arn the module creates GitHub's OIDC provider for the STS audience."
  }
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # rejects_a_wildcard_repository
    repository = "acme/*"
    # rejects_an_unknown_access
    environments = { dev = { access = "admin", state_key = "sp/dev/terraform.tfstate" } }
    # rejects_an_arn_that_is_not_githubs_provider
    oidc_provider = { arn = "arn:aws:iam::123456789012:oidc-provider/accounts.google.com" }
  }
  expect_failures = [
    var.repository,
    var.environments,
    var.oidc_provider,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # rejects_an_apply_role_without_policies
    environments = { dev = { access = "apply", state_key = "sp/dev/terraform.tfstate" } }
  }
  expect_failures = [
    var.environments,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # rejects_administrator_access
    environments = { dev = { access = "apply", state_key = "sp/dev/terraform.tfstate", policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"] } }
  }
  expect_failures = [
    var.environments,
  ]
}

run "rejected_inputs_4" {
  command = plan
  variables {
    # rejects_a_state_key_that_is_not_a_state_file
    environments = { dev-plan = { access = "plan", state_key = "sp/dev/*" } }
  }
  expect_failures = [
    var.environments,
  ]
}

run "rejected_inputs_5" {
  command = plan
  variables {
    # rejects_a_session_longer_than_twelve_hours
    environments = { dev-plan = { access = "plan", state_key = "sp/dev/terraform.tfstate", max_session_duration = 50000 } }
  }
  expect_failures = [
    var.environments,
  ]
}
