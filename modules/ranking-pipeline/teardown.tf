# Teardown: the pipeline creates its Personalize resources at run time (the provider has no
# Personalize resources), so `terraform destroy` would leave them behind, the campaign
# billing min_provisioned_tps around the clock. An aws_lambda_invocation with
# lifecycle_scope = "CRUD" runs lambda_src/training/cleanup.py on delete: it deletes the
# campaigns, solutions, event trackers, filters, datasets, the dataset group
# <prefix>-student-ranking and its schemas, waits until they are gone, and fails the
# destroy with what is left if teardown.timeout_seconds runs out. On create/update it does
# nothing. It is destroyed before the function and its role (depends_on the module).

module "cleanup" {
  source = "../lambda-function"
  count  = var.teardown.enabled ? 1 : 0

  function_name      = "${var.name_prefix}-ranking-cleanup"
  description        = "On terraform destroy: delete the Personalize resources the pipeline created"
  package_path       = var.package_paths["training"]
  handler            = "training.app.cleanup_handler"
  timeout            = var.teardown.timeout_seconds
  memory_size        = 256
  layers             = var.layers
  log_retention_days = var.log_retention_days
  kms_key_arn        = local.kms_key_arn
  environment        = local.common_environment
  tags               = var.tags

  policy_statements = {
    list = {
      actions = [
        "personalize:ListCampaigns",
        "personalize:ListDatasetGroups",
        "personalize:ListDatasets",
        "personalize:ListEventTrackers",
        "personalize:ListFilters",
        "personalize:ListSchemas",
        "personalize:ListSolutions",
      ]
      resources  = ["*"] # List* has no resource type.
      conditions = local.no_conditions
    }
    delete = {
      actions = [
        "personalize:DeleteCampaign",
        "personalize:DeleteDataset",
        "personalize:DeleteDatasetGroup",
        "personalize:DeleteEventTracker",
        "personalize:DeleteFilter",
        "personalize:DeleteSchema",
        "personalize:DeleteSolution",
      ]
      resources = [
        "${local.personalize_arn}:campaign/${local.base_name}*",
        "${local.personalize_arn}:solution/${local.base_name}-*",
        "${local.personalize_arn}:event-tracker/*",
        "${local.personalize_arn}:filter/${var.name_prefix}-*",
        "${local.personalize_arn}:dataset/${local.base_name}/*",
        "${local.personalize_arn}:dataset-group/${local.base_name}",
        "${local.personalize_arn}:schema/${local.base_name}-*",
      ]
      conditions = local.no_conditions
    }
  }
}

resource "aws_lambda_invocation" "cleanup" {
  count = var.teardown.enabled ? 1 : 0

  function_name   = module.cleanup[0].function_name
  input           = jsonencode({ datasetGroup = local.base_name })
  lifecycle_scope = "CRUD"
  terraform_key   = "tf"

  depends_on = [module.cleanup]
}
