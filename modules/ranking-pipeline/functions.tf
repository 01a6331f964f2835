# One Lambda function (and role) per step of lambda_src/training (README there): same
# package, own handler, own least-privilege statements. Statements carry `enabled` so a
# step only gets what its deploy mode / inputs need.

locals {
  no_conditions = []
  pass_personalize_role = {
    actions   = ["iam:PassRole"]
    resources = [local.personalize_role_arn]
    conditions = [{
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["personalize.amazonaws.com"]
    }]
  }

  common_environment = {
    NAME_PREFIX             = var.name_prefix
    POWERTOOLS_SERVICE_NAME = "ranking-training"
  }

  steps = {
    export = {
      handler     = "training.app.export_handler"
      description = "Export DynamoDB to S3 as Personalize CSV, publish class engagement and popularity, start the crawler, data guard"
      timeout     = 900
      memory_size = 1024
      environment = {
        INTERACTIONS_TABLE_NAME   = var.tables.interactions.name
        STUDENTS_TABLE_NAME       = var.tables.students.name
        CLASS_ACTIVITY_TABLE_NAME = var.tables.class_activity.name
        DATA_BUCKET               = var.data_bucket_name
        EXPORT_PREFIX             = var.export_prefix
        BATCH_PREFIX              = var.batch_output_prefix
        DATA_KMS_KEY_ARN          = var.data_kms_key_arn
        GLUE_CRAWLER_NAME         = var.glue_crawler_name
        WATERMARK_PARAMETER_NAME  = local.parameters.watermark.name
        RECIPE_ARN                = local.recipe_arn
        MIN_INTERACTIONS          = tostring(var.data_guard.min_interactions)
        MIN_ACTIVE_USERS          = tostring(var.data_guard.min_active_users)
        MIN_INTERACTIONS_PER_USER = tostring(var.data_guard.min_interactions_per_user)
      }
      statements = {
        scan-tables = {
          enabled    = true
          actions    = ["dynamodb:Scan"]
          resources  = [var.tables.interactions.arn, var.tables.students.arn, var.tables.class_activity.arn]
          conditions = local.no_conditions
        }
        decrypt-tables = {
          enabled   = var.tables_kms_key_arn != null
          actions   = ["kms:Decrypt"]
          resources = [coalesce(var.tables_kms_key_arn, "unset")]
          conditions = [{
            test     = "StringEquals"
            variable = "kms:ViaService"
            values   = ["dynamodb.${local.region}.amazonaws.com"]
          }]
        }
        write-exports = {
          enabled    = true
          actions    = ["s3:PutObject", "s3:AbortMultipartUpload"]
          resources  = ["${local.bucket_arn}/${var.export_prefix}*", "${local.bucket_arn}/${local.batch_input_glob}", "${local.bucket_arn}/${local.engagement_glob}", "${local.bucket_arn}/${local.popularity_key}"]
          conditions = local.no_conditions
        }
        use-data-key = {
          enabled    = true
          actions    = ["kms:GenerateDataKey", "kms:Decrypt"]
          resources  = [var.data_kms_key_arn]
          conditions = local.no_conditions
        }
        read-watermark = {
          enabled    = true
          actions    = ["ssm:GetParameter"]
          resources  = [local.parameter_arns.watermark]
          conditions = local.no_conditions
        }
        start-crawler = {
          enabled    = true
          actions    = ["glue:StartCrawler"]
          resources  = [local.crawler_arn]
          conditions = local.no_conditions
        }
      }
    }

    ensure-datasets = {
      handler     = "training.app.ensure_datasets_handler"
      description = "Describe-before-create the dataset group, schemas, datasets and item type filters"
      timeout     = 60
      memory_size = 256
      environment = {}
      statements = {
        list-datasets = {
          enabled = true
          # Personalize List* actions have no resource type.
          actions    = ["personalize:ListDatasetGroups", "personalize:ListDatasets", "personalize:ListSchemas", "personalize:ListFilters"]
          resources  = ["*"]
          conditions = local.no_conditions
        }
        create-dataset-group = {
          enabled    = true
          actions    = ["personalize:CreateDatasetGroup"]
          resources  = ["${local.personalize_arn}:dataset-group/${local.base_name}"]
          conditions = local.no_conditions
        }
        create-schemas = {
          enabled    = true
          actions    = ["personalize:CreateSchema"]
          resources  = ["${local.personalize_arn}:schema/${local.base_name}-*"]
          conditions = local.no_conditions
        }
        create-datasets = {
          enabled = true
          actions = ["personalize:CreateDataset"]
          resources = [
            "${local.personalize_arn}:dataset/${local.base_name}/*",
            "${local.personalize_arn}:dataset-group/${local.base_name}",
            "${local.personalize_arn}:schema/${local.base_name}-*",
          ]
          conditions = local.no_conditions
        }
        create-type-filters = {
          enabled = true
          actions = ["personalize:CreateFilter"]
          resources = [
            "${local.personalize_arn}:filter/${local.base_name}-type-*",
            "${local.personalize_arn}:dataset-group/${local.base_name}",
          ]
          conditions = local.no_conditions
        }
      }
    }

    start-import = {
      handler     = "training.app.start_import_handler"
      description = "Start the dataset import jobs (FULL first, then INCREMENTAL)"
      timeout     = 60
      memory_size = 256
      environment = {
        PERSONALIZE_ROLE_ARN = local.personalize_role_arn
      }
      statements = {
        list-import-jobs = {
          enabled    = true
          actions    = ["personalize:ListDatasetImportJobs"]
          resources  = ["*"] # List* has no resource type.
          conditions = local.no_conditions
        }
        create-import-jobs = {
          enabled = true
          actions = ["personalize:CreateDatasetImportJob"]
          resources = [
            "${local.personalize_arn}:dataset-import-job/${var.name_prefix}-*",
            "${local.personalize_arn}:dataset/${local.base_name}/*",
          ]
          conditions = local.no_conditions
        }
        pass-personalize-role = merge(local.pass_personalize_role, { enabled = true })
      }
    }

    import-status = {
      handler     = "training.app.import_status_handler"
      description = "Status of the import jobs; commits the watermark"
      timeout     = 60
      memory_size = 256
      environment = {
        WATERMARK_PARAMETER_NAME = local.parameters.watermark.name
      }
      statements = {
        describe-import-jobs = {
          enabled    = true
          actions    = ["personalize:DescribeDatasetImportJob"]
          resources  = ["${local.personalize_arn}:dataset-import-job/${var.name_prefix}-*"]
          conditions = local.no_conditions
        }
        write-watermark = {
          enabled    = true
          actions    = ["ssm:PutParameter"]
          resources  = [local.parameter_arns.watermark]
          conditions = local.no_conditions
        }
      }
    }

    ensure-solution = {
      handler     = "training.app.ensure_solution_handler"
      description = "Describe-before-create the solution of the recipe"
      timeout     = 60
      memory_size = 256
      environment = {
        RECIPE_ARN = local.recipe_arn
      }
      statements = {
        list-solutions = {
          enabled    = true
          actions    = ["personalize:ListSolutions"]
          resources  = ["*"] # List* has no resource type.
          conditions = local.no_conditions
        }
        create-solution = {
          enabled = true
          actions = ["personalize:CreateSolution"]
          resources = [
            "${local.personalize_arn}:solution/${local.base_name}-*",
            "${local.personalize_arn}:dataset-group/${local.base_name}",
            "arn:${local.partition}:personalize:::recipe/*",
          ]
          conditions = local.no_conditions
        }
      }
    }

    create-solution-version = {
      handler     = "training.app.create_solution_version_handler"
      description = "Train a solution version (FULL, or UPDATE where the recipe allows)"
      timeout     = 60
      memory_size = 256
      environment = {
        FULL_TRAINING_WEEKDAY = tostring(local.weekday_numbers[var.weekly_full_training_day])
      }
      statements = {
        list-solution-versions = {
          enabled    = true
          actions    = ["personalize:ListSolutionVersions"]
          resources  = ["*"] # List* has no resource type.
          conditions = local.no_conditions
        }
        create-solution-version = {
          enabled    = true
          actions    = ["personalize:CreateSolutionVersion"]
          resources  = ["${local.personalize_arn}:solution/${local.base_name}-*"]
          conditions = local.no_conditions
        }
      }
    }

    solution-version-status = {
      handler     = "training.app.solution_version_status_handler"
      description = "Status of the training"
      timeout     = 60
      memory_size = 256
      environment = {}
      statements = {
        describe-solution-version = {
          enabled    = true
          actions    = ["personalize:DescribeSolutionVersion"]
          resources  = ["${local.personalize_arn}:solution/${local.base_name}-*"]
          conditions = local.no_conditions
        }
      }
    }

    deploy = {
      handler     = "training.app.deploy_handler"
      description = "Deploy the new version (${var.deploy_mode})"
      timeout     = 60
      memory_size = 256
      environment = {
        DEPLOY_MODE          = var.deploy_mode
        MIN_PROVISIONED_TPS  = tostring(var.min_provisioned_tps)
        PERSONALIZE_ROLE_ARN = local.personalize_role_arn
        DATA_BUCKET          = var.data_bucket_name
        BATCH_PREFIX         = var.batch_output_prefix
        DATA_KMS_KEY_ARN     = var.data_kms_key_arn
        BATCH_NUM_RESULTS    = tostring(var.batch_num_results)
      }
      statements = {
        list-campaigns = {
          enabled    = local.campaign
          actions    = ["personalize:ListCampaigns"]
          resources  = ["*"] # List* has no resource type.
          conditions = local.no_conditions
        }
        manage-campaign = {
          enabled = local.campaign
          actions = ["personalize:DescribeCampaign", "personalize:CreateCampaign", "personalize:UpdateCampaign"]
          resources = [
            "${local.personalize_arn}:campaign/${local.base_name}",
            "${local.personalize_arn}:solution/${local.base_name}-*",
          ]
          conditions = local.no_conditions
        }
        list-batch-jobs = {
          enabled    = !local.campaign
          actions    = ["personalize:ListBatchInferenceJobs"]
          resources  = ["*"] # List* has no resource type.
          conditions = local.no_conditions
        }
        create-batch-job = {
          enabled = !local.campaign
          actions = ["personalize:CreateBatchInferenceJob"]
          # One unfiltered job and one per item type filter (filterArn) each run.
          resources = [
            "${local.personalize_arn}:batch-inference-job/${var.name_prefix}-batch-*",
            "${local.personalize_arn}:solution/${local.base_name}-*",
            "${local.personalize_arn}:filter/${local.base_name}-type-*",
          ]
          conditions = local.no_conditions
        }
        pass-personalize-role = merge(local.pass_personalize_role, { enabled = !local.campaign })
      }
    }

    deploy-status = {
      handler     = "training.app.deploy_status_handler"
      description = "Status of the campaign update / batch inference jobs"
      timeout     = 60
      memory_size = 256
      environment = {
        DEPLOY_MODE = var.deploy_mode
      }
      statements = {
        describe-campaign = {
          enabled    = local.campaign
          actions    = ["personalize:DescribeCampaign"]
          resources  = ["${local.personalize_arn}:campaign/${local.base_name}"]
          conditions = local.no_conditions
        }
        describe-batch-job = {
          enabled    = !local.campaign
          actions    = ["personalize:DescribeBatchInferenceJob"]
          resources  = ["${local.personalize_arn}:batch-inference-job/${var.name_prefix}-batch-*"]
          conditions = local.no_conditions
        }
      }
    }

    publish = {
      handler     = "training.app.publish_handler"
      description = "Publish the ranking (SSM parameter, batch index) and put ranking.updated"
      timeout     = 900
      memory_size = 512
      environment = {
        RANKING_PARAMETER_NAME = local.parameters.ranking.name
        EVENT_BUS_NAME         = var.event_bus_name
        DATA_KMS_KEY_ARN       = var.data_kms_key_arn
      }
      statements = {
        write-ranking-parameter = {
          enabled    = true
          actions    = ["ssm:PutParameter"]
          resources  = [local.parameter_arns.ranking]
          conditions = local.no_conditions
        }
        put-ranking-updated = {
          enabled    = true
          actions    = ["events:PutEvents"]
          resources  = [var.event_bus_arn]
          conditions = local.no_conditions
        }
        list-batch-output = {
          enabled   = !local.campaign
          actions   = ["s3:ListBucket"]
          resources = [local.bucket_arn]
          conditions = [{
            test     = "StringLike"
            variable = "s3:prefix"
            values   = [local.batch_output_glob]
          }]
        }
        index-batch-output = {
          enabled    = !local.campaign
          actions    = ["s3:GetObject", "s3:PutObject"]
          resources  = ["${local.bucket_arn}/${local.batch_output_glob}"]
          conditions = local.no_conditions
        }
        use-data-key = {
          enabled    = !local.campaign
          actions    = ["kms:Decrypt", "kms:GenerateDataKey"]
          resources  = [var.data_kms_key_arn]
          conditions = local.no_conditions
        }
      }
    }
  }
}

module "step" {
  source   = "../lambda-function"
  for_each = local.steps

  function_name      = "${var.name_prefix}-ranking-${each.key}"
  description        = each.value.description
  package_path       = var.package_paths["training"]
  handler            = each.value.handler
  timeout            = each.value.timeout
  memory_size        = each.value.memory_size
  layers             = var.layers
  log_retention_days = var.log_retention_days
  kms_key_arn        = local.kms_key_arn
  environment        = merge(local.common_environment, each.value.environment)
  tags               = var.tags

  policy_statements = {
    for key, s in each.value.statements : key => {
      actions    = s.actions
      resources  = s.resources
      conditions = s.conditions
    } if s.enabled
  }
}
