"""modules/data-lake: bucket hardening (SSE-KMS + bucket key, versioning, public access block,
TLS-only policy, lifecycle), the Glue database and the crawler over the export prefix with a
least-privilege role; apply on the emulator, idempotency, destroy and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iackit.emulator import ACCOUNT_ID, REGION
from tests.harness.assertions import (
    assert_bucket_hardened,
    assert_inventory,
    assert_no_changes,
)
from tests.modules.student_data.helpers import BadInputBatches, Case

HERE = Path(__file__).parent
EXAMPLE = "modules/data-lake/examples/basic"
PREFIX = "dltest"
BASE_VARS = {"name_prefix": PREFIX}
BUCKET = f"{PREFIX}-ranking-data-{ACCOUNT_ID}-{REGION}"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
EXTERNAL_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555"
M = "module.data_lake"


@pytest.fixture(scope="module")
def ws(workspace):
    return workspace(EXAMPLE)


@pytest.fixture(scope="module")
def plan(ws):
    return ws.plan(BASE_VARS)


@pytest.fixture(scope="module")
def external_key_plan(ws):
    """With a given key every ARN in the policies is known at plan time."""
    return ws.plan({**BASE_VARS, "kms_key_arn": EXTERNAL_KEY, "access_log_bucket": "dltest-logs"})


def _statements(policy_json: str) -> dict[str, dict]:
    return {s["Sid"]: s for s in json.loads(policy_json)["Statement"]}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _actions(statements: dict[str, dict]) -> set[str]:
    return {a for s in statements.values() for a in _as_list(s["Action"])}


@pytest.mark.plan
def test_plan_matches_inventory(plan) -> None:
    assert_inventory(plan, HERE / "inventory.yaml")


@pytest.mark.plan
def test_lifecycle_expires_exports_and_noncurrent_versions(plan) -> None:
    config = plan.values[f"{M}.aws_s3_bucket_lifecycle_configuration.this"]
    rules = {r["id"]: r for r in config["rule"]}
    assert set(rules) == {"expire-exports", "expire-batch-output", "noncurrent-versions"}
    assert rules["expire-exports"]["filter"][0]["prefix"] == "personalize/export/"
    assert rules["expire-exports"]["expiration"][0]["days"] == 30
    assert rules["expire-batch-output"]["filter"][0]["prefix"] == "personalize/batch/"
    assert rules["expire-batch-output"]["expiration"][0]["days"] == 14
    assert rules["noncurrent-versions"]["filter"][0]["prefix"] == ""
    assert rules["noncurrent-versions"]["expiration"] == []
    for rule in rules.values():
        assert rule["status"] == "Enabled"
        assert rule["noncurrent_version_expiration"][0]["noncurrent_days"] == 7
        assert rule["abort_incomplete_multipart_upload"][0]["days_after_initiation"] == 7


@pytest.mark.plan
def test_bucket_policy_denies_plain_http_and_foreign_encryption(external_key_plan) -> None:
    policy = external_key_plan.values[f"{M}.aws_s3_bucket_policy.this"]["policy"]
    statements = _statements(policy)
    tls = statements["DenyInsecureTransport"]
    assert tls["Effect"] == "Deny"
    assert tls["Principal"] == "*"
    assert set(_as_list(tls["Resource"])) == {BUCKET_ARN, f"{BUCKET_ARN}/*"}
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    sse = statements["DenyUnencryptedOrNonKmsPuts"]
    assert sse["Effect"] == "Deny"
    assert sse["Action"] == "s3:PutObject"
    assert sse["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}
    }
    other_key = statements["DenyPutsWithOtherKmsKeys"]
    assert other_key["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": EXTERNAL_KEY}
    }
    # Personalize may read only the export/batch prefixes and write only the batch prefix.
    read = statements["PersonalizeReadsExportsAndBatchInput"]
    assert read["Principal"] == {"Service": "personalize.amazonaws.com"}
    assert set(_as_list(read["Resource"])) == {
        f"{BUCKET_ARN}/personalize/export/*",
        f"{BUCKET_ARN}/personalize/batch/input/*",
    }
    assert read["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}}
    write = statements["PersonalizeWritesBatchOutput"]
    assert write["Resource"] == f"{BUCKET_ARN}/personalize/batch/output/*"


@pytest.mark.plan
def test_crawler_role_reads_only_the_export_prefix(external_key_plan) -> None:
    policy = external_key_plan.values[f"{M}.aws_iam_role_policy.crawler"]["policy"]
    statements = _statements(policy)
    assert statements["ReadExports"]["Action"] == "s3:GetObject"
    assert statements["ReadExports"]["Resource"] == f"{BUCKET_ARN}/personalize/export/*"
    assert statements["ListExportPrefix"]["Condition"] == {
        "StringLike": {"s3:prefix": ["personalize/export/", "personalize/export/*"]}
    }
    assert statements["DecryptExports"]["Resource"] == EXTERNAL_KEY
    glue_resources = set(_as_list(statements["CatalogExportTables"]["Resource"]))
    assert glue_resources == {
        f"arn:aws:glue:{REGION}:{ACCOUNT_ID}:catalog",
        f"arn:aws:glue:{REGION}:{ACCOUNT_ID}:database/{PREFIX}_ranking_data",
        f"arn:aws:glue:{REGION}:{ACCOUNT_ID}:table/{PREFIX}_ranking_data/*",
    }
    for statement in statements.values():
        assert statement["Effect"] == "Allow"
        assert all("*" not in action for action in _as_list(statement["Action"])), statement
        assert "*" not in _as_list(statement["Resource"]), statement


@pytest.mark.plan
def test_given_key_and_access_logging_variant(external_key_plan) -> None:
    assert not external_key_plan.by_type("aws_kms_key")
    sse = external_key_plan.values[f"{M}.aws_s3_bucket_server_side_encryption_configuration.this"]
    default = sse["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert default == {"sse_algorithm": "aws:kms", "kms_master_key_id": EXTERNAL_KEY}
    logging = external_key_plan.values[f"{M}.aws_s3_bucket_logging.this[0]"]
    assert logging["target_bucket"] == "dltest-logs"
    assert logging["target_prefix"] == f"s3-access/{BUCKET}/"
    security = external_key_plan.values[f"{M}.aws_glue_security_configuration.this"]
    encryption = security["encryption_configuration"][0]
    assert encryption["cloudwatch_encryption"][0]["kms_key_arn"] == EXTERNAL_KEY
    assert encryption["s3_encryption"][0]["kms_key_arn"] == EXTERNAL_KEY


@pytest.mark.apply
def test_apply_creates_bucket_catalog_crawler_and_key_then_converges_and_destroys(
    applied, boto
) -> None:
    with applied(EXAMPLE, BASE_VARS) as (ws, outputs):
        key_arn = outputs["kms_key_arn"]
        assert outputs["bucket_name"] == BUCKET
        kms = boto("kms")
        assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
        key_policy = _statements(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])
        assert key_policy["CloudWatchLogsEncryptCrawlerLogs"]["Condition"] == {
            "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": (
                    f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/aws-glue/crawlers*"
                )
            }
        }
        assert key_policy["PersonalizeUsesKeyForThisAccount"]["Principal"] == {
            "Service": "personalize.amazonaws.com"
        }

        glue = boto("glue")
        assert glue.get_database(Name=outputs["database_name"])["Database"]["Name"] == (
            f"{PREFIX}_ranking_data"
        )
        crawler = glue.get_crawler(Name=outputs["crawler_name"])["Crawler"]
        assert crawler["Targets"]["S3Targets"][0]["Path"] == outputs["export_s3_uri"]
        assert outputs["export_s3_uri"] == f"s3://{BUCKET}/personalize/export/"
        assert crawler["DatabaseName"] == outputs["database_name"]
        assert crawler["Role"] in (outputs["crawler_role_arn"], f"{PREFIX}-ranking-export-crawler")
        assert not crawler.get("Schedule")
        assert crawler.get("CrawlerSecurityConfiguration") == outputs["security_configuration_name"]
        assert crawler["SchemaChangePolicy"] == {
            "UpdateBehavior": "UPDATE_IN_DATABASE",
            "DeleteBehavior": "DELETE_FROM_DATABASE",
        }
        security = glue.get_security_configuration(Name=outputs["security_configuration_name"])
        encryption = security["SecurityConfiguration"]["EncryptionConfiguration"]
        assert encryption["CloudWatchEncryption"] == {
            "CloudWatchEncryptionMode": "SSE-KMS",
            "KmsKeyArn": key_arn,
        }
        assert encryption["S3Encryption"][0]["S3EncryptionMode"] == "SSE-KMS"
        assert encryption["JobBookmarksEncryption"]["JobBookmarksEncryptionMode"] == "CSE-KMS"

        (group,) = boto("logs").describe_log_groups(
            logGroupNamePrefix=f"/aws-glue/crawlers-role/{PREFIX}-ranking-export-crawler"
        )["logGroups"]
        assert group["retentionInDays"] == 7
        assert group["kmsKeyId"] == key_arn

        role_name = outputs["crawler_role_arn"].rsplit("/", 1)[-1]
        iam = boto("iam")
        trust = iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
        trust = json.loads(trust) if isinstance(trust, str) else trust
        assert trust["Statement"][0]["Principal"] == {"Service": "glue.amazonaws.com"}
        document = iam.get_role_policy(
            RoleName=role_name, PolicyName=f"{role_name}-least-privilege"
        )["PolicyDocument"]
        statements = _statements(document if isinstance(document, str) else json.dumps(document))
        reads = [s for s in statements.values() if "s3:GetObject" in _as_list(s["Action"])]
        assert [_as_list(s["Resource"]) for s in reads] == [[f"{BUCKET_ARN}/personalize/export/*"]]
        assert statements["DecryptExports"]["Resource"] == key_arn
        assert not any(a.startswith("s3:Put") for a in _actions(statements))

        s3 = boto("s3")
        assert_bucket_hardened(s3, BUCKET, key_arn)
        _assert_lifecycle_and_policy(s3)
        assert_no_changes(ws.plan(BASE_VARS))


def _assert_lifecycle_and_policy(s3) -> None:
    """The export bucket's three lifecycle rules and its TLS-only / KMS-only / Personalize
    policy, as the emulator holds them."""
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]}
    assert set(rules) == {"expire-exports", "expire-batch-output", "noncurrent-versions"}
    assert rules["expire-exports"]["Filter"] == {"Prefix": "personalize/export/"}
    assert rules["expire-exports"]["Expiration"] == {"Days": 30}
    assert "Expiration" not in rules["noncurrent-versions"]
    for lifecycle_rule in rules.values():
        assert lifecycle_rule["Status"] == "Enabled"
        assert lifecycle_rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
        assert "NoncurrentDays" in lifecycle_rule["NoncurrentVersionExpiration"]
    policy = _statements(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    assert policy["DenyInsecureTransport"]["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }
    assert {"DenyUnencryptedOrNonKmsPuts", "PersonalizeReadsExportsAndBatchInput"} <= set(policy)


BAD_INPUTS = BadInputBatches(
    [
        Case({"name_prefix": "Prod"}, "name_prefix must be 2-16 characters"),
        Case({"export_prefix": "personalize/export"}, "export_prefix must be one or more path"),
        Case({"export_expiration_days": 0}, "export_expiration_days must be a whole number"),
        Case({"access_log_bucket": "Bad_Bucket"}, "access_log_bucket must be null or an S3"),
        Case({"kms_key_arn": "not-an-arn"}, "kms_key_arn must be null (module creates a key)"),
        Case({"bucket_name": "UPPER.case"}, "bucket_name must be 3-63 characters"),
        Case({"batch_output_prefix": "batch"}, "batch_output_prefix must be one or more path"),
        Case({"export_prefix": "/export/"}, "export_prefix must be one or more path segments"),
        Case(
            {"export_prefix": "personalize/", "batch_output_prefix": "personalize/batch/"},
            "export_prefix and batch_output_prefix must not contain each other",
            alone=True,
        ),
    ]
)


@pytest.mark.plan
@pytest.mark.parametrize("case", BAD_INPUTS.cases, ids=[c.id for c in BAD_INPUTS.cases])
def test_bad_input_fails_at_plan_with_clear_message(ws, case) -> None:
    assert case.message in BAD_INPUTS.error_for(case, ws.plan, BASE_VARS)
