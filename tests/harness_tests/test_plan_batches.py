"""The batched plan tier must say the same as planning each variant alone: a suite plan is
cut back into the plan each root would have had, tfvars become module arguments with the
later file winning, and a batch that fails reports each variant's own error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iackit.tf import PlanResult, TerraformError
from tests.harness.plans import (
    PlanCache,
    Variant,
    _drop_regional_provider,
    suite_root,
    tfvars_attributes,
    tfvars_file_attributes,
    variant_plan,
)

pytestmark = pytest.mark.unit

CALLED: dict[str, Any] = {
    "module_calls": {"key": {}},
    "outputs": {"queue_name": {}, "dlq_arn": {"sensitive": True}},
    "variables": {"name": {"default": "d"}, "size": {}},
}
SUITE_PLAN: dict[str, Any] = {
    "planned_values": {
        "root_module": {
            "child_modules": [
                {
                    "address": "module.variant_000",
                    "resources": [
                        {"address": "module.variant_000.aws_sqs_queue.this", "mode": "managed"}
                    ],
                    "child_modules": [
                        {
                            "address": "module.variant_000.module.key",
                            "resources": [
                                {
                                    "address": "module.variant_000.module.key.aws_kms_key.this",
                                    "mode": "managed",
                                    "values": {"enable_key_rotation": True},
                                }
                            ],
                        }
                    ],
                },
                {
                    "address": "module.variant_001",
                    "resources": [
                        {"address": "module.variant_001.aws_sns_topic.this", "mode": "managed"}
                    ],
                },
            ]
        },
        "outputs": {"variant_000": {"sensitive": True}},
    },
    "resource_changes": [
        {
            "address": "module.variant_000.module.key.aws_kms_key.this",
            "module_address": "module.variant_000.module.key",
            "change": {"actions": ["create"]},
        },
        {
            "address": "module.variant_000.aws_sqs_queue.this",
            "module_address": "module.variant_000",
            "change": {"actions": ["create"]},
        },
        {
            "address": "module.variant_001.aws_sns_topic.this",
            "module_address": "module.variant_001",
            "change": {"actions": ["create"]},
        },
    ],
    "output_changes": {
        "variant_000": {
            "after": {"queue_name": "q", "dlq_arn": None},
            "after_unknown": {"queue_arn": True, "urls": {"main": True}},
        },
        "variant_000_arguments": {"after": {"name": "given"}},
    },
    "configuration": {
        "root_module": {"module_calls": {"variant_000": {"module": CALLED}}},
    },
}


def test_a_variant_is_cut_out_of_the_suite_plan_as_its_own_root() -> None:
    plan = PlanResult(variant_plan(SUITE_PLAN, "variant_000"))

    assert set(plan.values) == {"aws_sqs_queue.this", "module.key.aws_kms_key.this"}
    assert plan.values["module.key.aws_kms_key.this"] == {"enable_key_rotation": True}
    assert [c["address"] for c in plan.changes] == [
        "module.key.aws_kms_key.this",
        "aws_sqs_queue.this",
    ]
    assert plan.resource_changes[0]["module_address"] == "module.key"
    assert "module_address" not in plan.resource_changes[1]
    # Known outputs keep their value (null included); unknown ones, wholly or in part, are
    # present without a value, as in a root's planned_values.
    assert plan.outputs == {"queue_name": "q", "dlq_arn": None, "queue_arn": None, "urls": None}
    assert "value" not in plan.raw["planned_values"]["outputs"]["urls"]
    # An output is as sensitive as the root declares it; variables are the call's arguments,
    # else the declared defaults, as a root plan lists them.
    assert plan.raw["planned_values"]["outputs"]["dlq_arn"]["sensitive"] is True
    assert plan.raw["planned_values"]["outputs"]["queue_name"]["sensitive"] is False
    assert plan.raw["variables"] == {"name": {"value": "given"}, "size": {"value": None}}
    assert plan.raw["configuration"]["root_module"] == CALLED


def test_json_tfvars_become_hcl_arguments_without_interpolation(tmp_path: Path) -> None:
    given = tmp_path / "v.tfvars.json"
    given.write_text('{"api": {"type": "JWT", "scopes": ["a"]}, "note": "${x} %{y}"}')
    assert tfvars_file_attributes(given) == {
        "api": 'api = {"type": "JWT", "scopes": ["a"]}',
        "note": 'note = "$${x} %%{y}"',
    }


def test_only_providers_that_set_just_the_region_are_dropped(tmp_path: Path) -> None:
    regional = 'provider "aws" {\n  region = var.region\n}\n'
    tagged = 'provider "aws" {\n  region = var.region\n\n  default_tags {\n  }\n}\n'
    (tmp_path / "example").mkdir()
    (tmp_path / "example" / "providers.tf").write_text(regional)
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "providers.tf").write_text(tagged)
    assert _drop_regional_provider(tmp_path / "example") is True
    assert (tmp_path / "example" / "providers.tf").read_text() == ""
    assert _drop_regional_provider(tmp_path / "env") is False
    assert (tmp_path / "env" / "providers.tf").read_text() == tagged


def test_tfvars_become_arguments_and_a_later_file_wins(tmp_path: Path) -> None:
    common = tmp_path / "common.tfvars"
    common.write_text('name = "a"\n# a comment\ntags = {\n  team = "x"\n}\n')
    variant_file = tmp_path / "v.tfvars"
    variant_file.write_text('name = "b"\n')

    assert tfvars_attributes(common.read_text()) == {
        "name": 'name = "a"\n# a comment',
        "tags": 'tags = {\n  team = "x"\n}',
    }
    hcl = suite_root(
        [Variant(tmp_path, "v", "modules/x/examples/basic", (common, variant_file), ())]
    )
    assert 'source = "../../../../modules/x/examples/basic"' in hcl
    assert '  name = "b"' in hcl
    assert 'name = "a"' not in hcl
    assert '  tags = {\n    team = "x"\n  }' in hcl


def test_a_region_the_suite_does_not_plan_in_is_refused(tmp_path: Path) -> None:
    tfvars = tmp_path / "eu.tfvars"
    tfvars.write_text('region = "eu-west-1"\n')
    with pytest.raises(TerraformError, match="region"):
        suite_root([Variant(tmp_path, "eu", "modules/x/examples/basic", (tfvars,), ())])


def test_a_failed_batch_is_planned_variant_by_variant_and_errors_stay_their_own(
    tmp_path: Path,
) -> None:
    good = Variant(tmp_path / "a", "good", "modules/a", (), ())
    bad = Variant(tmp_path / "b", "bad", "modules/b", (), ())
    batches_planned: list[list[str]] = []

    def plan_batch(variants: list[Variant]) -> dict[Variant, dict[str, Any]]:
        batches_planned.append([v.name for v in variants])
        raise TerraformError("one variant in the batch is broken")

    def plan_one(wanted: Variant) -> PlanResult:
        if wanted is bad:
            raise TerraformError("Error: Invalid value for variable (bad)")
        return PlanResult({"resource_changes": [{"address": "x", "change": {}}]})

    cache = PlanCache(tmp_path / "plans", plan_batch, plan_one, [[good, bad]])

    assert cache.get(good).resource_changes == [{"address": "x", "change": {}}]
    with pytest.raises(TerraformError, match=r"\(bad\)"):
        cache.get(bad)
    assert batches_planned == [["good", "bad"]]  # planned once, never again per variant
