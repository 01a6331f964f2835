"""modules/data-lake on the emulator: the hardened bucket (lifecycle, TLS-only / KMS-only /
Personalize policy), its key, the Glue database, security configuration and crawler with a
least-privilege role, read back with boto3, then idempotency and destroy.

Plan variants are data (tftest.yaml, *.tfvars, *.yaml); bad inputs are run blocks of
modules/data-lake/tests/*.tftest.hcl.
"""

from __future__ import annotations

import json

import pytest

from iackit.emulator import ACCOUNT_ID, REGION
from tests.harness.assertions import (
    as_list,
    assert_bucket_hardened,
    assert_no_changes,
    policy_statements,
)

EXAMPLE = "modules/data-lake/examples/basic"
PREFIX = "dltest"
VARIABLES = {"name_prefix": PREFIX}
BUCKET = f"{PREFIX}-ranking-data-{ACCOUNT_ID}-{REGION}"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"


@pytest.mark.apply
def test_apply_creates_bucket_catalog_crawler_and_key_then_converges_and_destroys(
    applied, boto
) -> None:
    with applied(EXAMPLE, VARIABLES) as (ws, outputs):
        key_arn = outputs["kms_key_arn"]
        assert outputs["bucket_name"] == BUCKET
        kms = boto("kms")
        assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
        key_policy = policy_statements(
            kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"]
        )
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
        statements = policy_statements(
            iam.get_role_policy(RoleName=role_name, PolicyName=f"{role_name}-least-privilege")[
                "PolicyDocument"
            ]
        )
        reads = [s for s in statements.values() if "s3:GetObject" in as_list(s["Action"])]
        assert [as_list(s["Resource"]) for s in reads] == [[f"{BUCKET_ARN}/personalize/export/*"]]
        assert statements["DecryptExports"]["Resource"] == key_arn
        actions = {a for s in statements.values() for a in as_list(s["Action"])}
        assert not any(a.startswith("s3:Put") for a in actions)

        s3 = boto("s3")
        assert_bucket_hardened(s3, BUCKET, key_arn)
        rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]}
        assert set(rules) == {"expire-exports", "expire-batch-output", "noncurrent-versions"}
        assert rules["expire-exports"]["Filter"] == {"Prefix": "personalize/export/"}
        assert rules["expire-exports"]["Expiration"] == {"Days": 30}
        assert "Expiration" not in rules["noncurrent-versions"]
        for lifecycle_rule in rules.values():
            assert lifecycle_rule["Status"] == "Enabled"
            assert lifecycle_rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
            assert "NoncurrentDays" in lifecycle_rule["NoncurrentVersionExpiration"]
        policy = policy_statements(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
        assert policy["DenyInsecureTransport"]["Condition"] == {
            "Bool": {"aws:SecureTransport": "false"}
        }
        assert {"DenyUnencryptedOrNonKmsPuts", "PersonalizeReadsExportsAndBatchInput"} <= set(
            policy
        )

        assert_no_changes(ws.plan(VARIABLES))
