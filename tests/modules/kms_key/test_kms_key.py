"""modules/kms-key on the emulator: the key, its rotation, alias and policy as KMS holds them,
idempotency and destroy. (Plan and inputs: tftest.yaml and the module's terraform test.)"""

from __future__ import annotations

import json

import pytest

from tests.harness.assertions import assert_no_changes

EXAMPLE = "modules/kms-key/examples/basic"


@pytest.mark.apply
def test_key_applies_with_rotation_alias_and_policy_then_converges(applied, boto) -> None:
    with applied(EXAMPLE) as (ws, outputs):
        kms = boto("kms")
        key_arn = outputs["key_arn"]
        assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
        aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
        assert aliases[outputs["alias_name"]] == key_arn.rsplit("/", 1)[-1]
        policy = json.loads(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])
        sids = [statement["Sid"] for statement in policy["Statement"]]
        assert sids == ["AccountAdministersKeyThroughIam", "CloudWatchLogsEncryptExampleGroups"]
        assert_no_changes(ws.plan())
