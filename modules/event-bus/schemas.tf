locals {
  # The catalog is JSON Schema draft-07; the registry knows JSONSchemaDraft4 and OpenApi3.
  # For JSONSchemaDraft4 the few draft-06/07 keywords the catalog uses are rewritten on the
  # canonical (jsonencode) form: "$schema" -> the draft-04 URI, "$id" -> "id", and a scalar
  # "const": x -> "enum": [x] (same meaning). Other draft-06+ keywords ("examples", "if", ...)
  # are unknown to draft-04 and ignored by validators, as the spec requires.
  schemas_canonical = { for name, content in var.schema_registry.schemas : name => jsonencode(jsondecode(content)) }
  schemas_draft4 = {
    for name, content in local.schemas_canonical : name => replace(
      replace(
        replace(
          content,
          "/\"\\$schema\":\"https?://json-schema\\.org/[^\"]*\"/",
          "\"$$schema\":\"http://json-schema.org/draft-04/schema#\""
        ),
        "/([{,])\"const\":(\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9.eE+-]*|true|false|null)/",
        "$${1}\"enum\":[$${2}]"
      ),
      "/([{,])\"\\$id\":/",
      "$${1}\"id\":"
    )
  }
  schema_documents = var.schema_registry.schema_type == "JSONSchemaDraft4" ? local.schemas_draft4 : local.schemas_canonical
  non_scalar_const = [
    for name, content in local.schema_documents : name if var.schema_registry.schema_type == "JSONSchemaDraft4" && strcontains(content, "\"const\":")
  ]
}

resource "aws_schemas_registry" "this" {
  count = var.schema_registry.enabled ? 1 : 0

  name        = local.base
  description = "Event catalog of ${local.bus_name}"
  tags        = var.tags

  lifecycle {
    precondition {
      condition     = length(local.non_scalar_const) == 0
      error_message = "Schemas ${join(", ", local.non_scalar_const)} use \"const\" with an object or array value, which has no draft-04 equivalent: use enum, or schema_registry.schema_type = \"OpenApi3\" with converted documents."
    }
  }
}

resource "aws_schemas_schema" "this" {
  for_each = var.schema_registry.enabled ? local.schema_documents : {}

  name          = each.key
  registry_name = aws_schemas_registry.this[0].name
  type          = var.schema_registry.schema_type
  description   = substr(try(tostring(jsondecode(var.schema_registry.schemas[each.key]).description), "Schema of ${each.key}"), 0, 256)
  content       = each.value
  tags          = var.tags
}
