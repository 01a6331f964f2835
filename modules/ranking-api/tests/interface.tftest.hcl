# Wiring the mocked plan shows: names, the stage, the key and authorization switches.
#   cd modules/ranking-api && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix            = "ratest"
  package_path           = "../../build/lambda/ranking.zip"
  ranking_parameter_name = "/ratest/ranking/current"
  data_bucket_arn        = "arn:aws:s3:::ratest-ranking-data-123456789012-us-east-1"
}

run "defaults_iam_authorization_and_own_key" {
  command = plan

  assert {
    condition     = module.http_api.api_name == "ratest-ranking-api" && output.api_endpoint == "https://a1b2c3.execute-api.us-east-1.amazonaws.com"
    error_message = "The HTTP API is <prefix>-ranking-api."
  }
  assert {
    condition     = output.route_key == "GET /ranking/{userId}" && module.http_api.routes["GET /ranking/{userId}"].authorization_type == "AWS_IAM"
    error_message = "The one route is GET /ranking/{userId}, AWS_IAM by default."
  }
  assert {
    condition     = module.http_api.authorizer_id == null
    error_message = "No JWT authorizer unless authorization_type is JWT."
  }
  assert {
    condition     = module.http_api.routes["GET /ranking/{userId}"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/GET/ranking/*" && module.http_api.routes["GET /ranking/{userId}"].statement_id == "AllowHttpApiRankingRoute"
    error_message = "API Gateway may invoke the function from GET /ranking/* only."
  }
  assert {
    condition     = module.http_api.stage_name == "$default" && module.http_api.throttling.burst_limit == 50
    error_message = "The $default stage is throttled (default burst 50)."
  }
  assert {
    condition     = output.access_log_group_name == "/aws/vendedlogs/apigateway/ratest-ranking-api" && output.invoke_url_example == "https://a1b2c3.execute-api.us-east-1.amazonaws.com/ranking/<userId>"
    error_message = "Access logs go to /aws/vendedlogs/apigateway/<name>; the example URL ends with /ranking/<userId>."
  }
  assert {
    condition     = length(module.kms_key) == 1 && module.kms_key[0].alias_name == "alias/ratest-ranking-api" && output.kms_key_arn == module.kms_key[0].key_arn
    error_message = "Without kms_key.arn the module creates its own key and alias."
  }
}

run "jwt_authorization_with_given_key" {
  command = plan

  variables {
    authorization_type = "JWT"
    jwt                = { issuer = "https://issuer.example.com/pool", audience = ["ranking-client"], scopes = { admin = "platform/admin" } }
    kms_key            = { arn = "arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555" }
  }

  assert {
    condition     = module.http_api.authorizer_id == "jwt123"
    error_message = "authorization_type JWT adds the JWT authorizer (its issuer: tests/modules/ranking_api/jwt.yaml)."
  }
  assert {
    condition     = module.http_api.routes["GET /ranking/{userId}"].authorization_type == "JWT" && module.http_api.routes["GET /ranking/{userId}"].authorizer_id == "jwt123"
    error_message = "The route uses the JWT authorizer."
  }
  assert {
    condition     = module.http_api.routes["GET /ranking/{userId}"].authorization_scopes == toset(["student", "platform/admin"])
    error_message = "The JWT route needs the student or the admin scope (jwt.scopes, defaults the role names)."
  }
  assert {
    condition     = length(module.kms_key) == 0 && module.http_api.access_log.kms_key_arn == var.kms_key.arn && output.kms_key_arn == var.kms_key.arn
    error_message = "A given key replaces the module's own key."
  }
}

run "class_rankings_add_a_route_and_one_read_grant" {
  command = plan
  variables {
    class_rankings = { enabled = true, key_prefix = "personalize/batch/engagement/classes/" }
  }

  assert {
    condition     = module.http_api.routes["GET /classes/{classId}/ranking"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/GET/classes/*/ranking" && module.http_api.routes["GET /classes/{classId}/ranking"].authorization_type == "AWS_IAM"
    error_message = "API Gateway may invoke the function from GET /classes/*/ranking."
  }
  assert {
    condition     = local.policy_statements["read-class-rankings"].resources == ["arn:aws:s3:::ratest-ranking-data-123456789012-us-east-1/personalize/batch/engagement/classes/*"] && local.policy_statements["read-class-rankings"].actions == ["s3:GetObject"]
    error_message = "The function may read the published class objects only."
  }
}

run "no_class_route_by_default" {
  command = plan

  assert {
    condition     = !contains(keys(module.http_api.routes), "GET /classes/{classId}/ranking") && !contains(keys(local.policy_statements), "read-class-rankings")
    error_message = "Class rankings are off unless enabled."
  }
}

run "popularity_is_one_published_object_and_no_table_access" {
  command = plan

  assert {
    condition     = local.policy_statements["read-popularity"].actions == ["s3:GetObject"] && local.policy_statements["read-popularity"].resources == ["arn:aws:s3:::ratest-ranking-data-123456789012-us-east-1/personalize/batch/popularity/current.json"]
    error_message = "The fallback reads the one object the pipeline publishes (<batch_output_prefix>popularity/current.json)."
  }
  assert {
    condition     = local.policy_statements["list-popularity"].conditions[0].values == ["personalize/batch/popularity/current.json"]
    error_message = "ListBucket only for the popularity key (a missing object reads as NoSuchKey)."
  }
  assert {
    condition     = alltrue([for s in values(local.policy_statements) : alltrue([for a in s.actions : !startswith(a, "dynamodb:")])])
    error_message = "No DynamoDB action at all: the fallback never scans (nor queries) a table."
  }
}

run "popularity_key_given" {
  command = plan
  variables {
    popularity = { key = "ranking/popularity.json" }
  }

  assert {
    condition     = local.policy_statements["read-popularity"].resources == ["arn:aws:s3:::ratest-ranking-data-123456789012-us-east-1/ranking/popularity.json"]
    error_message = "popularity.key replaces the default key."
  }
}

run "popularity_disabled" {
  command = plan
  variables {
    deploy_mode     = "campaign"
    data_bucket_arn = null
    popularity      = { enabled = false }
  }

  assert {
    condition     = !contains(keys(local.policy_statements), "read-popularity") && !contains(keys(local.policy_statements), "list-popularity") && !contains(keys(local.policy_statements), "decrypt-published-data")
    error_message = "popularity.enabled = false: no S3 grant in campaign mode."
  }
}
