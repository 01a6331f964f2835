"""modules/kms-key on the emulator: the alias points at the key, idempotency and destroy.
Rotation and policy are in basic.yaml (the empty plan after apply proves KMS holds them);
inputs: the module's terraform test."""

from __future__ import annotations

import pytest

from tests.harness.assertions import assert_no_changes

EXAMPLE = "modules/kms-key/examples/basic"


@pytest.mark.apply
def test_key_applies_with_rotation_alias_and_policy_then_converges(applied, boto) -> None:
    with applied(EXAMPLE) as (ws, outputs):
        kms = boto("kms")
        key_arn = outputs["key_arn"]
        aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
        assert aliases[outputs["alias_name"]] == key_arn.rsplit("/", 1)[-1]
        assert_no_changes(ws.plan())
