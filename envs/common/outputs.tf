output "event_bus_name" {
  description = "Name of the student event bus."
  value       = module.events.bus_name
}

output "audit_queue_url" {
  description = "URL of the audit queue that receives every event (null when disabled)."
  value       = var.audit_queue.enabled ? aws_sqs_queue.audit[0].url : null
}

output "publisher_api_endpoint" {
  description = "Base URL of the event publishing API (POST /events/{type})."
  value       = module.publisher_api.api_endpoint
}

output "ranking_api_endpoint" {
  description = "Base URL of the ranking API (GET /ranking/{userId})."
  value       = module.ranking_api.api_endpoint
}

output "function_names" {
  description = "Lambda function names by role."
  value = {
    publisher = module.publisher_api.function_name
    notifier  = module.notifier.function_name
    ingestion = module.data.ingestion_function_name
    ranking   = module.ranking_api.function_name
  }
}

output "lambda_layers" {
  description = "Layer ARNs every function uses: the published dependency layer version (or the AWS-managed Powertools layer when powertools_layer_version is set)."
  value       = local.layers
}

output "students_table_name" {
  description = "Students table."
  value       = module.data.students_table_name
}

output "interactions_table_name" {
  description = "Interactions table."
  value       = module.data.interactions_table_name
}

output "class_activity_table_name" {
  description = "ClassActivity table (class activity log and the materials / quizzes catalog)."
  value       = module.data.class_activity_table_name
}

output "sender_email" {
  description = "Sender address of notification emails."
  value       = module.email.sender_email
}

output "ranking_state_machine_arn" {
  description = "The nightly training pipeline."
  value       = module.ranking_pipeline.state_machine_arn
}

output "ranking_schedule" {
  description = "The nightly schedule that starts the pipeline: name and group (the emulator fires it on demand: `iackit fire`)."
  value = {
    name  = module.ranking_pipeline.schedule_name
    group = module.ranking_pipeline.schedule_group_name
  }
}

output "s3_interface_endpoint_id" {
  description = "S3 interface endpoint id."
  value       = module.s3_access.interface_endpoint_id
}

output "s3_test_commands" {
  description = "Commands to try the private path to S3 from on-prem."
  value       = module.s3_access.test_commands
}

output "onprem_test_commands" {
  description = "Commands to reach the simulated on-prem instance (null when the simulation is off)."
  value       = var.onprem_simulation.enabled ? module.onprem[0].test_commands : null
}

# ------------------------------------------------------------------ for the network team

output "vpc_id" {
  description = "The cloud VPC."
  value       = module.network.vpc_id
}

output "vpc_cidr" {
  description = "CIDR of the cloud VPC (what on-premises routes to the gateway)."
  value       = module.network.vpc_cidr
}

output "private_route_table_ids" {
  description = "The VPC's private route tables (each routes onprem_cidrs to the on-premises gateway)."
  value       = module.network.route_table_ids
}

output "inbound_resolver_ips" {
  description = "Route 53 Resolver inbound endpoint IPs: on-premises DNS forwards s3.<region>.amazonaws.com here."
  value       = module.s3_access.inbound_resolver_ips
}

output "onprem_connectivity" {
  description = "Gateways of the on-premises link (vpn_gateway_id, transit_gateway_id, transit_gateway_attachment_id, customer_gateway_id, vpn_connection_id, dx_gateway_association_id; null where the option has none), or null without one."
  value       = local.onprem_link
}

output "onprem_vpn_tunnels" {
  description = "The VPN's two tunnels for the on-premises device: outside address, inside addresses, AWS BGP ASN, pre-shared key (sensitive: `terraform output -json onprem_vpn_tunnels`)."
  value       = local.onprem_vpn_tunnels
  sensitive   = true
}
