"""modules/ses-email: plan inventory and attributes, apply on the emulator (identities and
configuration set), idempotency, destroy, and bad input.

Emulator limits (moto 5.2.5), covered by plan assertions only:
- GetConfigurationSet returns SendingOptions.SendingEnabled as an object, which the provider
  cannot decode, so `aws_sesv2_configuration_set` (TLS REQUIRE, reputation metrics,
  suppression) is asserted in the plan and the apply runs with create_configuration_set =
  false;
- SES v2 CreateConfigurationSetEventDestination and PutEmailIdentityMailFromAttributes are
  not implemented: the apply uses event_destination = "none" and no MAIL FROM; the SNS and
  EventBridge destinations and the MAIL FROM attributes/records are asserted in the plan;
- CreateEmailIdentity with DkimSigningAttributes answers a timestamp the provider cannot
  decode: the apply leaves the key length to SES (dkim_signing_key_length = null), the
  RSA_2048_BIT default is asserted in the plan;
- identity tags: under moto the provider builds identity ARNs without the account id, so
  tagging them does not round-trip; the apply passes tags = {};
- moto's GetEmailIdentity returns no DKIM tokens, so the Route 53 DKIM records (whose names
  are the tokens) cannot be applied: the apply runs without a zone, the records are planned.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iackit.tf import TerraformError
from tests.harness.assertions import assert_inventory, assert_no_changes

HERE = Path(__file__).parent
EXAMPLE = "modules/ses-email/examples/basic"
INPUTS = "tests/modules/ses_email/inputs"
M = "module.email."


@pytest.fixture(scope="module")
def example(workspace):
    return workspace(EXAMPLE)


@pytest.fixture(scope="module")
def plan(example):
    return example.plan({})


def _output_change(plan, name: str) -> tuple[Any, Any]:
    change = plan.raw["output_changes"][name]
    return change["after"], change.get("after_unknown")


@pytest.mark.plan
def test_plan_matches_inventory(plan) -> None:
    assert_inventory(plan, HERE / "inventory.yaml")


@pytest.mark.plan
def test_sender_policy_statement_pins_the_from_address(plan) -> None:
    after, _ = _output_change(plan, "sender_policy_statement")
    assert after["actions"] == ["ses:SendEmail"]
    assert after["conditions"] == [
        {
            "test": "StringEquals",
            "variable": "ses:FromAddress",
            "values": ["no-reply@mail.example.edu.vn"],
        }
    ]
    # Resources: the two identities and the configuration set, built from their names so
    # that the statement is reviewable in a plan.
    assert after["resources"] == [
        "arn:aws:ses:us-east-1:123456789012:identity/mail.example.edu.vn",
        "arn:aws:ses:us-east-1:123456789012:identity/no-reply@mail.example.edu.vn",
        "arn:aws:ses:us-east-1:123456789012:configuration-set/example-student-email",
    ]


@pytest.mark.plan
def test_dkim_records_are_the_three_tokens(plan) -> None:
    dkim = {a: v for a, v in plan.by_type("aws_route53_record").items() if ".dkim[" in a}
    assert len(dkim) == 3
    assert all(v["type"] == "CNAME" and v["ttl"] == 1800 for v in dkim.values())
    module = plan.raw["configuration"]["root_module"]["module_calls"]["email"]["module"]
    record = next(r for r in module["resources"] if r["address"] == "aws_route53_record.dkim")
    assert record["count_expression"]["references"] == ["local.dns_records"]


@pytest.mark.plan
def test_topic_is_encrypted_and_only_ses_of_this_configuration_set_publishes(plan) -> None:
    key_policy = json.loads(plan.values[M + "aws_kms_key.this[0]"]["policy"])
    ses = next(s for s in key_policy["Statement"] if s["Sid"] == "SesPublishesEncrypted")
    assert ses["Principal"] == {"Service": "ses.amazonaws.com"}
    assert sorted(ses["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    change = next(c for c in plan.resource_changes if c["address"] == M + "aws_sns_topic.events[0]")
    assert change["change"]["after_unknown"]["kms_master_key_id"] is True  # the module's CMK


@pytest.mark.plan
def test_eventbridge_destination_without_zone(example) -> None:
    plan = example.plan(
        {"event_destination": "eventbridge", "create_zone": False, "mail_from_subdomain": None}
    )
    assert not plan.by_type("aws_route53_record")
    assert not plan.by_type("aws_sns_topic")
    assert not plan.by_type("aws_kms_key")
    assert not plan.by_type("aws_sesv2_email_identity_mail_from_attributes")
    destination = plan.values[M + "aws_sesv2_configuration_set_event_destination.this[0]"]
    assert destination["event_destination_name"] == "eventbridge-feedback"
    spec = destination["event_destination"][0]
    assert spec["sns_destination"] == []
    assert spec["event_bridge_destination"] == [
        {"event_bus_arn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}
    ]
    assert plan.outputs["mail_from_records"] == []


APPLY_VARS = {
    "name_prefix": "sesapply",
    "domain": "mail.sesapply.example",
    "sender_email": "no-reply@mail.sesapply.example",
    # See the module docstring: what moto cannot apply is covered by the plans above.
    "create_zone": False,
    "mail_from_subdomain": None,
    "event_destination": "none",
    "create_configuration_set": False,
    "dkim_signing_key_length": None,
    # The provider tags identities by an ARN without account id under moto: tags drift.
    "tags": {},
}


@pytest.mark.apply
def test_apply_creates_identities(applied, boto) -> None:
    with applied(EXAMPLE, APPLY_VARS) as (ws, out):
        sesv2 = boto("sesv2")
        domain = sesv2.get_email_identity(EmailIdentity="mail.sesapply.example")
        assert domain["IdentityType"] == "DOMAIN"
        sender = sesv2.get_email_identity(EmailIdentity="no-reply@mail.sesapply.example")
        assert sender["IdentityType"] == "EMAIL_ADDRESS"
        assert out["domain_identity_arn"].endswith(":identity/mail.sesapply.example")
        assert out.get("configuration_set_name") is None  # null outputs are not listed

        statement = out["sender_policy_statement"]
        assert statement["resources"] == [out["domain_identity_arn"], out["sender_identity_arn"]]
        assert statement["conditions"][0]["values"] == ["no-reply@mail.sesapply.example"]
        assert out.get("events_topic_arn") is None

        assert_no_changes(ws.plan(APPLY_VARS))


BAD_INPUTS = [
    ({"sender_email": "not-an-email"}, "sender_email must be a valid email address"),
    ({"sender_email": "a b@example.com"}, "sender_email must be a valid email address"),
    ({"domain": "https://mail.example.com"}, "domain must be a lowercase DNS name"),
    ({"event_destination": "sqs"}, "event_destination must be sns, eventbridge or none"),
    ({"event_types": ["BOUNCES"]}, "event_types must be a non-empty list"),
    ({"name_prefix": "x"}, "name_prefix must be 2-16 characters"),
    (
        {"event_destination": "sns", "create_kms_key": False},
        'event_destination = "sns" needs a customer managed KMS key',
    ),
    ({"mail_from_subdomain": "a.b"}, "mail_from_subdomain must be a single DNS label"),
]


@pytest.fixture(scope="module")
def inputs(workspace):
    return workspace(INPUTS)


@pytest.mark.plan
@pytest.mark.parametrize(("variables", "message"), BAD_INPUTS, ids=[m[:40] for _, m in BAD_INPUTS])
def test_bad_input_fails_at_plan_with_clear_message(inputs, variables, message) -> None:
    with pytest.raises(TerraformError) as error:
        inputs.plan(variables)
    assert message in " ".join(str(error.value).split())
