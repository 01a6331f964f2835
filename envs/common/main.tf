# The whole platform, composed from the modules and wired together. envs/dev and envs/prod
# link this file and differ only in terraform.tfvars (sizing, flags) and their backend.

locals {
  name_prefix = var.environment
  # Deterministic packages built by `make package` (iackit) from lambda_src/. Absolute: the
  # provider opens the zip from its own working directory, which is not the root module's
  # when it runs as a shared, re-attached process (the test harness does that).
  package_dir = abspath("${path.root}/../../build/lambda")
  packages    = { for name in ["publisher", "notifier", "ingestion", "ranking", "training"] : name => "${local.package_dir}/${name}.zip" }
  # Every function gets one layer with the runtime dependencies: by default the layer built
  # by `make package` from lambda_src/requirements.txt (the pins the tests run); with
  # powertools_layer_version set, the AWS-managed Powertools layer of that version instead
  # (its versions are not the tested pins, and the built layer is not published then).
  managed_layer = var.powertools_layer_version == null ? null : "arn:aws:lambda:${var.region}:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:${var.powertools_layer_version}"
  layers        = local.managed_layer == null ? [module.dependencies_layer[0].arn] : [local.managed_layer]
  # The event catalog is the single source of truth for the schema registry as well.
  catalog_dir = abspath("${path.root}/../../lambda_src/student_platform/catalog")
  schemas     = { for file in fileset(local.catalog_dir, "*.json") : trimsuffix(file, ".json") => file("${local.catalog_dir}/${file}") }
  # Every catalog type under its own source (the schema's source const): source => types.
  catalog_events = { for type, schema in local.schemas : jsondecode(schema).properties.source.const => type... }
  onprem_cidrs   = var.onprem_simulation.enabled ? [var.onprem_simulation.cidr_block] : var.onprem_cidrs
}

# ------------------------------------------------------------------ Lambda dependencies

module "dependencies_layer" {
  source = "../../modules/lambda-layer"
  count  = var.powertools_layer_version == null ? 1 : 0

  layer_name   = "${local.name_prefix}-python-deps"
  description  = "Runtime dependencies of the platform's functions (lambda_src/requirements.txt)"
  package_path = "${local.package_dir}/python-deps.zip"
}

# ------------------------------------------------------------------ network and PrivateLink

module "network" {
  source = "../../modules/vpc"

  name_prefix = local.name_prefix
  name        = "cloud"
  cidr_block  = var.vpc_cidr
  azs         = var.availability_zones
  flow_logs   = { enabled = true, retention_in_days = var.log_retention_days }
}

module "s3_access" {
  source = "../../modules/s3-private-access"

  name_prefix     = local.name_prefix
  vpc_id          = module.network.vpc_id
  vpc_cidr        = module.network.vpc_cidr
  subnet_ids      = module.network.subnet_ids
  route_table_ids = module.network.route_table_ids
  onprem_cidrs    = local.onprem_cidrs
  dns_mode        = var.s3_dns_mode
  demo_bucket = {
    enabled              = length(var.admin_principal_arns) > 0
    admin_principal_arns = var.admin_principal_arns
    force_destroy        = !var.deletion_protection.enabled
  }
}

module "onprem" {
  source = "../../modules/onprem-simulation"
  count  = var.onprem_simulation.enabled ? 1 : 0

  name_prefix           = local.name_prefix
  cidr_block            = var.onprem_simulation.cidr_block
  azs                   = slice(var.availability_zones, 0, 2)
  cloud_vpc_id          = module.network.vpc_id
  cloud_vpc_cidr        = module.network.vpc_cidr
  cloud_route_table_ids = module.network.route_table_ids_by_key
  inbound_resolver_ips  = module.s3_access.inbound_resolver_ips
  ami_id                = var.onprem_simulation.ami_id
  instance_type         = var.onprem_simulation.instance_type
  kms_key               = var.onprem_simulation.kms_key
}

# A real on-premises network: the same module the simulated site uses for its cloud side.
module "connectivity" {
  source = "../../modules/onprem-connectivity"
  count  = var.onprem_connectivity != null ? 1 : 0

  name_prefix     = local.name_prefix
  vpc_id          = module.network.vpc_id
  vpc_cidr        = module.network.vpc_cidr
  subnet_ids      = module.network.subnet_ids
  route_table_ids = module.network.route_table_ids_by_key
  onprem_cidrs    = var.onprem_cidrs
  connectivity    = var.onprem_connectivity
}

locals {
  # What the network team needs of either path (ids null where the option has none).
  onprem_link = var.onprem_simulation.enabled ? module.onprem[0].connectivity : (
    var.onprem_connectivity == null ? null : {
      vpn_gateway_id                = module.connectivity[0].vpn_gateway_id
      transit_gateway_id            = module.connectivity[0].transit_gateway_id
      transit_gateway_attachment_id = module.connectivity[0].transit_gateway_attachment_id
      customer_gateway_id           = module.connectivity[0].customer_gateway_id
      vpn_connection_id             = module.connectivity[0].vpn_connection_id
      dx_gateway_association_id     = module.connectivity[0].dx_gateway_association_id
    }
  )
  onprem_vpn_tunnels = var.onprem_simulation.enabled ? module.onprem[0].vpn_tunnels : (
    var.onprem_connectivity == null ? [] : [
      for index, tunnel in module.connectivity[0].vpn_tunnels :
      merge(tunnel, { preshared_key = module.connectivity[0].vpn_tunnel_preshared_keys[index] })
    ]
  )
}

# ------------------------------------------------------------------ data

module "data" {
  source = "../../modules/student-data"

  name_prefix            = local.name_prefix
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  ingestion_package_path = local.packages.ingestion
  ingestion_layers       = local.layers
  log_retention_days     = var.log_retention_days
  # The event-bus module grants EventBridge the invoke permission per rule.
  event_rule_arns = {}
}

module "lake" {
  source = "../../modules/data-lake"

  name_prefix                = local.name_prefix
  force_destroy              = !var.deletion_protection.enabled
  crawler_log_retention_days = var.log_retention_days
}

# ------------------------------------------------------------------ email

module "email" {
  source = "../../modules/ses-email"

  name_prefix     = local.name_prefix
  domain          = var.ses_domain
  sender_email    = var.sender_email
  route53_zone_id = var.route53_zone_id
  configuration_set = {
    enabled           = var.ses_configuration_set.enabled
    event_destination = var.ses_configuration_set.enabled ? "sns" : "none"
  }
  dkim_signing_key_length = var.ses_dkim_signing_key_length
}

module "notifier" {
  source = "../../modules/student-notifier"

  name_prefix                = local.name_prefix
  package_path               = local.packages.notifier
  students_table_name        = module.data.students_table_name
  students_table_arn         = module.data.students_table_arn
  students_table_kms_key_arn = module.data.kms_key_arn
  sender_email               = module.email.sender_email
  ses_identity_arns          = module.email.identity_arns
  configuration_set_name     = module.email.configuration_set_name
  layers                     = local.layers
  log_retention_days         = var.log_retention_days
  deletion_protection        = var.deletion_protection
  sending                    = var.ses_sending
}

# ------------------------------------------------------------------ eventing

# Dev routes every event to an audit queue, so a person (or `make up`) can watch the bus.
resource "aws_sqs_queue" "audit" {
  count = var.audit_queue.enabled ? 1 : 0

  name                      = "${local.name_prefix}-student-events-audit"
  sqs_managed_sse_enabled   = true
  message_retention_seconds = 345600
}

module "events" {
  source = "../../modules/event-bus"

  name_prefix     = local.name_prefix
  archive         = { retention_days = var.event_archive_retention_days }
  schema_registry = { schemas = local.schemas }

  # A closed bus: only the publisher API (the client event types) and the pipeline's Publish
  # step (ranking.updated) may put events, plus the operator roles given (every type, e.g.
  # ranking.requestUpdate for a manual retraining).
  # Each source carries its own detail-types only (the catalog's pairs).
  publishers = merge(
    {
      publisher-api = {
        principal_arns = [module.publisher_api.role_arn]
        events         = module.publisher_api.published_events
      }
      pipeline = {
        principal_arns = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${module.ranking_pipeline.function_names["publish"]}-lambda"]
        events         = { "api.ranking" = ["ranking.updated"] }
      }
    },
    length(var.bus_operator_role_arns) == 0 ? {} : {
      operators = {
        principal_arns = var.bus_operator_role_arns
        events         = local.catalog_events
      }
    },
  )

  rules = merge(
    {
      registered = {
        description   = "A student registered or updated their profile"
        event_pattern = jsonencode({ source = ["api.student"], "detail-type" = ["student.registered"] })
      }
      enrolled = {
        description   = "A student enrolled in a class"
        event_pattern = jsonencode({ source = ["api.student"], "detail-type" = ["student.enrolled"] })
      }
      submitted = {
        description   = "A student submitted an assignment"
        event_pattern = jsonencode({ source = ["api.assignment"], "detail-type" = ["student.submitAssignment"] })
      }
      announcement = {
        description   = "A teacher sent an announcement"
        event_pattern = jsonencode({ source = ["api.teacher"], "detail-type" = ["teacher.sendAnnouncement"] })
      }
    },
    var.audit_queue.enabled ? {
      audit = {
        description   = "Every platform event, for the audit queue"
        event_pattern = jsonencode({ source = [{ prefix = "api." }] })
      }
    } : {}
  )

  targets = merge(
    {
      notifier = {
        rule_keys = ["enrolled", "announcement"]
        arn       = module.notifier.function_arn
        type      = "lambda"
      }
      ingestion = {
        rule_keys = ["registered", "enrolled", "submitted", "announcement"]
        arn       = module.data.ingestion_function_arn
        type      = "lambda"
      }
    },
    var.audit_queue.enabled ? {
      audit = {
        rule_keys   = ["audit"]
        arn         = aws_sqs_queue.audit[0].arn
        type        = "sqs"
        dead_letter = false
      }
    } : {}
  )
}

module "publisher_api" {
  source = "../../modules/event-publisher-api"

  name_prefix        = local.name_prefix
  package_path       = local.packages.publisher
  event_bus_name     = module.events.bus_name
  event_bus_arn      = module.events.bus_arn
  authorization_type = var.api_auth.type
  jwt                = var.api_auth.jwt
  layers             = local.layers
  log_retention_days = var.log_retention_days
}

# ------------------------------------------------------------------ ML ranking

module "ranking_pipeline" {
  source = "../../modules/ranking-pipeline"

  name_prefix         = local.name_prefix
  event_bus_name      = module.events.bus_name
  event_bus_arn       = module.events.bus_arn
  data_bucket_name    = module.lake.bucket_name
  data_kms_key_arn    = module.lake.kms_key_arn
  export_prefix       = module.lake.export_prefix
  batch_output_prefix = module.lake.batch_output_prefix
  glue_crawler_name   = module.lake.crawler_name
  tables = {
    students       = { name = module.data.students_table_name, arn = module.data.students_table_arn }
    interactions   = { name = module.data.interactions_table_name, arn = module.data.interactions_table_arn }
    class_activity = { name = module.data.class_activity_table_name, arn = module.data.class_activity_table_arn }
  }
  tables_kms_key_arn  = module.data.kms_key_arn
  deploy_mode         = var.ranking.deploy_mode
  recipe              = var.ranking.recipe
  min_provisioned_tps = var.ranking.min_provisioned_tps
  schedule            = { timezone = var.ranking.schedule_timezone }
  package_paths       = { training = local.packages.training }
  layers              = local.layers
  log_retention_days  = var.log_retention_days
}

module "ranking_api" {
  source = "../../modules/ranking-api"

  name_prefix            = local.name_prefix
  package_path           = local.packages.ranking
  layers                 = local.layers
  ranking_parameter_name = module.ranking_pipeline.parameter_name
  recipe                 = module.ranking_pipeline.recipe
  deploy_mode            = var.ranking.deploy_mode
  data_bucket_arn        = module.lake.bucket_arn
  batch_output_prefix    = module.lake.batch_output_prefix
  data_kms_key_arn       = module.lake.kms_key_arn
  class_rankings         = { enabled = true, key_prefix = module.ranking_pipeline.engagement.key_prefix }
  authorization_type     = var.api_auth.type
  jwt                    = var.api_auth.jwt
  log_retention_days     = var.log_retention_days
}
