"""modules/data-lake on the emulator: what only apply knows, idempotency and destroy.
Configured values are data (tftest.yaml + inventories; the empty plan after apply proves the
emulator holds them); bad inputs: modules/data-lake/tests.
"""

from __future__ import annotations

import pytest

from tests.harness.assertions import assert_bucket_hardened, assert_no_changes

EXAMPLE = "modules/data-lake/examples/basic"
VARIABLES = {"name_prefix": "dltest"}


@pytest.mark.apply
def test_apply_creates_bucket_catalog_crawler_and_key_then_converges_and_destroys(
    applied, boto
) -> None:
    with applied(EXAMPLE, VARIABLES) as (ws, outputs):
        # The crawler runs as the module's role (an ARN known after apply).
        crawler = boto("glue").get_crawler(Name=outputs["crawler_name"])["Crawler"]
        assert crawler["Role"] in (outputs["crawler_role_arn"], "dltest-ranking-export-crawler")
        assert_bucket_hardened(boto("s3"), outputs["bucket_name"], outputs["kms_key_arn"])
        assert_no_changes(ws.plan(VARIABLES))
