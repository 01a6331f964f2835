"""modules/github-oidc on the emulator: the OIDC provider and the roles as IAM holds them
(trust limited to the repository's environment through the created provider, attached
policies), idempotency and destroy. The provider's URL and audience and the state policies
are in apply_inputs.yaml (the empty plan after apply proves IAM holds them); inputs: the
module's terraform test."""

from __future__ import annotations

import pytest

from tests.harness.assertions import assert_no_changes

EXAMPLE = "modules/github-oidc/examples/basic"
VARS = {"role_name_prefix": "ghapply", "repository": "acme/student-platform"}


@pytest.mark.apply
def test_roles_trust_only_their_environment_and_hold_their_policies(applied, boto) -> None:
    with applied(EXAMPLE, VARS) as (ws, outputs):
        iam = boto("iam")
        roles = outputs["roles"]
        assert sorted(roles) == ["dev", "dev-plan", "prod", "prod-plan"]
        for environment, role in roles.items():
            held = iam.get_role(RoleName=role["name"])["Role"]
            assert held["Arn"] == role["arn"]
            (trust,) = held["AssumeRolePolicyDocument"]["Statement"]
            assert trust["Principal"] == {"Federated": outputs["oidc_provider_arn"]}
            assert trust["Condition"] == {
                "StringEquals": {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": (
                        f"repo:acme/student-platform:environment:{environment}"
                    ),
                }
            }
            attached = iam.list_attached_role_policies(RoleName=role["name"])
            names = [p["PolicyName"] for p in attached["AttachedPolicies"]]
            assert names == (["ReadOnlyAccess"] if role["access"] == "plan" else ["ghapply-deploy"])

        assert_no_changes(ws.plan(VARS))
