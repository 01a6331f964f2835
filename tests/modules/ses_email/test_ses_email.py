"""modules/ses-email: what the plan inventories (tftest.yaml) cannot state, and the apply on
the emulator (identities), idempotency and destroy. Bad input is in
modules/ses-email/tests/*.tftest.hcl.

Emulator limits (moto 5.2.5), covered by plan assertions only:
- GetConfigurationSet returns SendingOptions.SendingEnabled as an object, which the provider
  cannot decode, so `aws_sesv2_configuration_set` (TLS REQUIRE, reputation metrics,
  suppression) is asserted in the plan and the apply runs with configuration_set.enabled =
  false;
- SES v2 CreateConfigurationSetEventDestination and PutEmailIdentityMailFromAttributes are
  not implemented: the apply uses configuration_set.event_destination = "none" and no MAIL
  FROM; the SNS and EventBridge destinations and the MAIL FROM attributes/records are
  asserted in the plan;
- CreateEmailIdentity with DkimSigningAttributes answers a timestamp the provider cannot
  decode: the apply leaves the key length to SES (dkim_signing_key_length = null), the
  RSA_2048_BIT default is asserted in the plan;
- identity tags: under moto the provider builds identity ARNs without the account id, so
  tagging them does not round-trip; the apply passes tags = {};
- moto's GetEmailIdentity returns no DKIM tokens, so the Route 53 DKIM records (whose names
  are the tokens) cannot be applied: the apply runs without a zone, the records are planned.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iackit.tf import PlanResult
from tests.harness.assertions import assert_no_changes

HERE = Path(__file__).parent
EXAMPLE = "modules/ses-email/examples/basic"
M = "module.email."


@pytest.mark.plan
def test_wiring_to_resources_created_in_the_same_apply(
    planned: Callable[[Path, str], PlanResult],
) -> None:
    """The topic uses the module's key (unknown until apply), and the DKIM records exist
    exactly when the module manages DNS (their count does not wait for the tokens)."""
    plan = planned(HERE, "basic")
    topic = next(c for c in plan.resource_changes if c["address"] == M + "aws_sns_topic.events[0]")
    assert topic["change"]["after_unknown"]["kms_master_key_id"] is True
    module = plan.raw["configuration"]["root_module"]["module_calls"]["email"]["module"]
    record = next(r for r in module["resources"] if r["address"] == "aws_route53_record.dkim")
    assert record["count_expression"]["references"] == ["local.dns_records"]


APPLY_VARS = {
    "name_prefix": "sesapply",
    "domain": "mail.sesapply.example",
    "sender_email": "no-reply@mail.sesapply.example",
    # See the module docstring: what moto cannot apply is covered by the plans.
    "route53_zone": {"enabled": False},
    "mail_from_subdomain": None,
    "configuration_set": {"enabled": False, "event_destination": "none"},
    "dkim_signing_key_length": None,
    # The provider tags identities by an ARN without account id under moto: tags drift.
    "tags": {},
}


@pytest.mark.apply
def test_apply_creates_identities(applied: Callable[..., Any], boto: Callable[[str], Any]) -> None:
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
