"""Tags (every service): tags addressed by an ARN without an account id are found.

The harness sets the provider's `skip_requesting_account_id` (there is no STS identity to
ask), so the provider builds ARNs such as `arn:aws:ses:us-east-1::identity/x` for
ListTagsForResource / TagResource. moto files tags under the full ARN and finds nothing: the
tags the provider set read back empty, a perpetual diff right after apply. Here moto's
tagging service reads such ARNs as the emulator's one account, and SESv2 identities under
moto's resource name (`email-identity/`; AWS and the provider say `identity/`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.utilities.tagging_service import TaggingService

_ARN_WITHOUT_ACCOUNT = re.compile(r"^(arn:[^:]+:[^:]+:[^:]+:):")
# moto files SESv2 identity tags under `email-identity/`; AWS (and the provider) say `identity/`.
_SES_IDENTITY = re.compile(r"^(arn:[^:]+:ses:[^:]+:[^:]*:)identity/")


def with_account(arn: str) -> str:
    """The ARN moto files tags under: the emulator's account filled in where the ARN has
    none (`arn:aws:svc:region::rest`), SES identities under moto's resource name."""
    arn = _ARN_WITHOUT_ACCOUNT.sub(rf"\g<1>{DEFAULT_ACCOUNT_ID}:", arn)
    return _SES_IDENTITY.sub(r"\g<1>email-identity/", arn)


def _arn_normalised(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Any, arn: str, *args: Any, **kwargs: Any) -> Any:
        return method(self, with_account(arn), *args, **kwargs)

    return wrapper


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (TaggingService, _name, _arn_normalised(getattr(TaggingService, _name)))
    for _name in (
        "get_tag_dict_for_resource",
        "list_tags_for_resource",
        "delete_all_tags_for_resource",
        "has_tags",
        "tag_resource",
        "untag_resource_using_names",
        "untag_resource_using_tags",
    )
]
