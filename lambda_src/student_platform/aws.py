"""boto3 client/resource factory shared by every Lambda.

Endpoints come from boto3's own configuration chain, so ``AWS_ENDPOINT_URL`` (and the
service-specific ``AWS_ENDPOINT_URL_<SERVICE>``) set in the environment are honoured
natively: the unit tests point it at the local emulator, real Lambdas leave it unset.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Bounded, fail-fast network behaviour: a Lambda must not hang on one slow call.
CLIENT_CONFIG = Config(
    connect_timeout=3,
    read_timeout=10,
    retries={"max_attempts": 3, "mode": "standard"},
)


def client(service_name: str) -> Any:
    """A new low-level boto3 client with the shared timeouts/retries."""
    return boto3.client(service_name, config=CLIENT_CONFIG)


def resource(service_name: str) -> Any:
    """A new boto3 resource with the shared timeouts/retries."""
    return boto3.resource(service_name, config=CLIENT_CONFIG)


@cache
def _cached_client(service_name: str, _endpoint: str | None, _region: str | None) -> Any:
    return client(service_name)


@cache
def _cached_resource(service_name: str, _endpoint: str | None, _region: str | None) -> Any:
    return resource(service_name)


def _env_key() -> tuple[str | None, str | None]:
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    return os.environ.get("AWS_ENDPOINT_URL"), region


def cached_client(service_name: str) -> Any:
    """A client reused across warm invocations (re-created if endpoint/region change)."""
    return _cached_client(service_name, *_env_key())


def cached_resource(service_name: str) -> Any:
    """A resource reused across warm invocations (re-created if endpoint/region change)."""
    return _cached_resource(service_name, *_env_key())
