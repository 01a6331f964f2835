"""modules/sqs-dlq on the emulator: the queues' key and the rule queue's policy as SQS holds
them, idempotency and destroy. (Plan and inputs: tftest.yaml and the module's terraform test.)"""

from __future__ import annotations

import json

import pytest

from tests.harness.assertions import assert_no_changes

EXAMPLE = "modules/sqs-dlq/examples/basic"
VARS = {"name_prefix": "dlqapply", "message_retention_seconds": 345600}


@pytest.mark.apply
def test_queues_apply_encrypted_with_tls_only_policies_then_converge(applied, boto) -> None:
    with applied(EXAMPLE, VARS) as (ws, outputs):
        sqs = boto("sqs")
        queues = outputs["queues"]
        assert sorted(queues) == ["function", "rule"]
        # Retention, data key reuse and the function queue's policy are in apply_inputs.yaml
        # (the empty plan after apply proves SQS holds them). Here: what only apply knows.
        policies = {}
        for key, queue in queues.items():
            attributes = sqs.get_queue_attributes(QueueUrl=queue["url"], AttributeNames=["All"])[
                "Attributes"
            ]
            assert attributes["QueueArn"] == queue["arn"]
            assert attributes["KmsMasterKeyId"] == outputs["kms_key_arn"] == queue["kms_key_arn"]
            policies[key] = json.loads(attributes["Policy"])["Statement"]

        # EventBridge may send to the rule's queue, from that rule only (its ARN is known after
        # apply); nobody without TLS.
        sender, deny = policies["rule"]
        assert sender["Sid"] == "EventBridgeSendsFromRule"
        assert sender["Principal"] == {"Service": "events.amazonaws.com"}
        assert sender["Action"] == "sqs:SendMessage"
        assert sender["Resource"] == queues["rule"]["arn"]
        assert sender["Condition"] == {"ArnEquals": {"aws:SourceArn": outputs["rule_arn"]}}
        assert deny["Sid"] == "DenyInsecureTransport"
        assert deny["Effect"] == "Deny"
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}

        assert_no_changes(ws.plan(VARS))
