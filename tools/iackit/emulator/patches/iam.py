"""IAM: the AWS-managed policies the modules attach exist, as in every account.

moto 5.2.5 loads no AWS-managed policy unless told to, and then loads all 1,582 of them
each time an IAM backend starts (about 0.3-2 s after every reset of the emulator). The
modules attach two (`AmazonSSMManagedInstanceCore` to the on-prem lab's instance,
`ReadOnlyAccess` to github-oidc's plan roles): without them the attachment fails with
NoSuchEntity. Here each IAM backend starts with the policies named in `AWS_MANAGED`, read
from moto's own copy of AWS's documents; add a name when a module attaches another one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import AWSManagedPolicy, IAMBackend

AWS_MANAGED = ("AmazonSSMManagedInstanceCore", "AWSLambdaBasicExecutionRole", "ReadOnlyAccess")


@cache
def _documents() -> dict[str, Any]:
    parsed = json.loads(aws_managed_policies_data)
    return {name: parsed[name] for name in AWS_MANAGED}


def init_aws_policies(self: IAMBackend) -> list[Any]:
    return [
        AWSManagedPolicy.from_data(name, self.account_id, self.region_name, document)
        for name, document in _documents().items()
    ]


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (IAMBackend, "_init_aws_policies", init_aws_policies),
]
