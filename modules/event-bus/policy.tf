# --- who may put events on the bus ------------------------------------------------------
#
# Within one account an identity policy with events:PutEvents is enough to put events on a
# bus; only an explicit Deny in the bus's resource policy closes it. With `publishers` set,
# the policy denies PutEvents to every AWS principal not listed, and to each listed one every
# detail-type (and source) not listed for it. Requests without a principal ARN (AWS services
# such as archive replays) are not affected by the Deny statements.

locals {
  publisher_arns = distinct(flatten([for p in values(var.publishers) : p.principal_arns]))
}

data "aws_iam_policy_document" "bus" {
  count = length(var.publishers) > 0 ? 1 : 0

  dynamic "statement" {
    for_each = var.publishers
    content {
      sid       = "Allow${replace(title(replace(statement.key, "/[-_]/", " ")), " ", "")}"
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
        values   = statement.value.principal_arns
      }
      condition {
        test     = "StringEquals"
        variable = "events:detail-type"
        values   = statement.value.detail_types
      }
      dynamic "condition" {
        for_each = length(statement.value.sources) > 0 ? [1] : []
        content {
          test     = "StringEquals"
          variable = "events:source"
          values   = statement.value.sources
        }
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
    for_each = var.publishers
    content {
      sid       = "DenyOtherTypes${replace(title(replace(statement.key, "/[-_]/", " ")), " ", "")}"
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
        values   = statement.value.principal_arns
      }
      condition {
        test     = "StringNotEquals"
        variable = "events:detail-type"
        values   = statement.value.detail_types
      }
    }
  }

  dynamic "statement" {
    for_each = { for k, p in var.publishers : k => p if length(p.sources) > 0 }
    content {
      sid       = "DenyOtherSources${replace(title(replace(statement.key, "/[-_]/", " ")), " ", "")}"
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
        values   = statement.value.principal_arns
      }
      condition {
        test     = "StringNotEquals"
        variable = "events:source"
        values   = statement.value.sources
      }
    }
  }
}

resource "aws_cloudwatch_event_bus_policy" "this" {
  count = length(var.publishers) > 0 ? 1 : 0

  event_bus_name = aws_cloudwatch_event_bus.this.name
  policy         = data.aws_iam_policy_document.bus[0].json
}
