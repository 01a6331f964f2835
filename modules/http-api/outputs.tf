output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_name" {
  description = "Name of the HTTP API."
  value       = aws_apigatewayv2_api.this.name
}

output "api_endpoint" {
  description = "Base URL of the API ($default stage), e.g. https://<id>.execute-api.<region>.amazonaws.com."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "execution_arn" {
  description = "Execution ARN of the API (execute-api:Invoke policies of AWS_IAM callers: <execution_arn>/$default/<METHOD>/<path>)."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "stage_name" {
  description = "Stage name ($default, auto-deployed)."
  value       = aws_apigatewayv2_stage.default.name
}

output "routes" {
  description = "Routes by route key: id, authorization_type, authorizer_id, authorization_scopes and the source ARN of the Lambda permission."
  value = {
    for k, r in aws_apigatewayv2_route.this : k => {
      id                   = r.id
      authorization_type   = r.authorization_type
      authorizer_id        = r.authorizer_id
      authorization_scopes = r.authorization_scopes
      source_arn           = aws_lambda_permission.this[k].source_arn
      statement_id         = aws_lambda_permission.this[k].statement_id
    }
  }
}

output "integration_id" {
  description = "ID of the Lambda integration."
  value       = aws_apigatewayv2_integration.lambda.id
}

output "authorizer_id" {
  description = "ID of the JWT authorizer (null without jwt)."
  value       = one(aws_apigatewayv2_authorizer.jwt[*].id)
}

output "access_log" {
  description = "Access logs of the $default stage: log_group_name, log_group_arn, retention_in_days, kms_key_arn."
  value = {
    log_group_name    = aws_cloudwatch_log_group.access.name
    log_group_arn     = aws_cloudwatch_log_group.access.arn
    retention_in_days = aws_cloudwatch_log_group.access.retention_in_days
    kms_key_arn       = aws_cloudwatch_log_group.access.kms_key_id
  }
}

output "throttling" {
  description = "Default route throttling of the $default stage: burst_limit, rate_limit."
  value = {
    burst_limit = aws_apigatewayv2_stage.default.default_route_settings[0].throttling_burst_limit
    rate_limit  = aws_apigatewayv2_stage.default.default_route_settings[0].throttling_rate_limit
  }
}
