"""modules/ses-email on the emulator: identities and the sender statement output, idempotency
and destroy. What moto cannot apply (configuration set, event destinations, MAIL FROM, DKIM
records and key length) is planned: tftest.yaml inventories, modules/ses-email/tests/, and
docs/emulator.md ("What the emulator cannot run").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.harness.assertions import assert_no_changes

EXAMPLE = "modules/ses-email/examples/basic"

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
