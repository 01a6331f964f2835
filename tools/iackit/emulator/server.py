"""The emulator process: moto's server with every patch of `iackit.emulator.patches`.

`Emulator.start` runs it as `python -m iackit.emulator.server -H 127.0.0.1 -p PORT` (the
arguments are moto_server's own). Importing this module applies the one `PATCHES` table to
moto, including the dispatcher that answers an SDK retry of a successful call once
(`patches/retries.py`); `main` then builds moto's app and serves it. Lambda functions run
in `iackit.emulator.lambda_runtime`, whose runtime-provided packages are prepared in the
background as the server starts.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import sys

from moto.core.config import default_user_config
from moto.server import main

from iackit.emulator.lambda_runtime import service
from iackit.emulator.patches import PATCHES

for _owner, _attribute, _replacement in PATCHES:
    setattr(_owner, _attribute, _replacement)
# Step Functions executions run (moto's Amazon States Language interpreter) instead of
# ending at once with a canned status.
default_user_config["stepfunctions"]["execute_state_machine"] = True


def _endpoint(argv: list[str]) -> str:
    """The address functions call back (`AWS_ENDPOINT_URL` in their environment)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", default="5000")
    known, _ = parser.parse_known_args(argv)
    host = "127.0.0.1" if known.host in ("0.0.0.0", "") else known.host  # noqa: S104
    return f"http://{host}:{known.port}"


if __name__ == "__main__":
    os.environ.setdefault("IACKIT_EMULATOR_ENDPOINT", _endpoint(sys.argv[1:]))
    if os.environ.get("IACKIT_LAMBDA_WORKDIR"):  # `make down` stops the server by pid alone
        atexit.register(shutil.rmtree, os.environ["IACKIT_LAMBDA_WORKDIR"], ignore_errors=True)
    # SIGTERM (Emulator.stop) exits through atexit: Lambda workers stopped, files removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    service.prefetch()
    main(sys.argv[1:])
