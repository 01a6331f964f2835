# --- who may put events on the bus ------------------------------------------------------
#
# Within one account an identity policy with events:PutEvents is enough to put events on a
# bus; only an explicit Deny in the bus's resource policy closes it. With `publishers` set,
# the policy denies PutEvents to every AWS principal not listed, and to each listed one every
# source not listed for it and, per source, every detail-type not paired with that source.
# Requests without a principal ARN (AWS services such as archive replays) are not affected by
# the Deny statements.

locals {
  publisher_arns = distinct(flatten([for p in values(var.publishers) : p.principal_arns]))

  # One entry per (publisher, source): the detail-types that source may carry for it.
  publisher_pairs = flatten([
    for name, p in var.publishers : [
      for source, types in p.events : { name = name, source = source, types = types, arns = p.principal_arns }
    ]
  ])
  # A statement id part from a name: "publisher-api" -> "PublisherApi", "api.student" -> "ApiStudent".
  sid_part = { for name in distinct(concat(keys(var.publishers), [for pair in local.publisher_pairs : pair.source])) : name => replace(title(replace(name, "/[-_.]/", " ")), " ", "") }

  # What each listed principal may not put, besides what other principals may not: a source
  # not its own, or a detail-type its source does not carry (so a source never carries
  # another source's type). Each statement: principals, conditions.
  deny_statements = merge(
    {
      for name, p in var.publishers : "DenyOtherSources${local.sid_part[name]}" => {
        arns       = p.principal_arns
        conditions = [{ test = "StringNotEquals", variable = "events:source", values = keys(p.events) }]
      }
    },
    {
      for pair in local.publisher_pairs : "DenyOtherTypes${local.sid_part[pair.name]}${local.sid_part[pair.source]}" => {
        arns = pair.arns
        conditions = [
          { test = "StringEquals", variable = "events:source", values = [pair.source] },
          { test = "StringNotEquals", variable = "events:detail-type", values = pair.types },
        ]
      }
    },
  )
}

data "aws_iam_policy_document" "bus" {
  count = length(var.publishers) > 0 ? 1 : 0

  # One Allow per (publisher, source) with that source's detail-types.
  dynamic "statement" {
    for_each = { for pair in local.publisher_pairs : "Allow${local.sid_part[pair.name]}${local.sid_part[pair.source]}" => pair }
    content {
      sid       = statement.key
      effect    = "Allow"
      actions   = ["events:PutEvents"]
      resources = [local.bus_arn]
      principals {
        type        = "AWS"
        identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
      }
      condition {
        test     = "ArnEquals"
        variable = "aws:PrincipalArn"
        values   = statement.value.arns
      }
      condition {
        test     = "StringEquals"
        variable = "events:source"
        values   = [statement.value.source]
      }
      condition {
        test     = "StringEquals"
        variable = "events:detail-type"
        values   = statement.value.types
      }
    }
  }

  statement {
    sid       = "DenyOtherPrincipals"
    effect    = "Deny"
    actions   = ["events:PutEvents"]
    resources = [local.bus_arn]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = local.publisher_arns
    }
    condition {
      test     = "Null"
      variable = "aws:PrincipalArn"
      values   = ["false"]
    }
  }

  dynamic "statement" {
    for_each = local.deny_statements
    content {
      sid       = statement.key
      effect    = "Deny"
      actions   = ["events:PutEvents"]
      resources = [local.bus_arn]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
      condition {
        test     = "ArnEquals"
        variable = "aws:PrincipalArn"
        values   = statement.value.arns
      }
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_cloudwatch_event_bus_policy" "this" {
  count = length(var.publishers) > 0 ? 1 : 0

  event_bus_name = aws_cloudwatch_event_bus.this.name
  policy         = data.aws_iam_policy_document.bus[0].json
}
