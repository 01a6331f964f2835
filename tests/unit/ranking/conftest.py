"""Fixtures for the ranking pipeline and ranking API tests (`lambda_context`: the harness's)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber


def offline_client(service: str) -> Any:
    """A client that never reaches a network: every call must be stubbed."""
    return boto3.session.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).client(service, endpoint_url="http://127.0.0.1:9")


@pytest.fixture
def personalize() -> Iterator[tuple[Any, Stubber]]:
    client = offline_client("personalize")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def personalize_runtime() -> Iterator[tuple[Any, Stubber]]:
    client = offline_client("personalize-runtime")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()
