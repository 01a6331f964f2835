"""The emulator process: moto's server with every patch of `iackit.emulator.patches`.

`Emulator.start` runs it as `python -m iackit.emulator.server -H 127.0.0.1 -p PORT` (the
arguments are moto_server's own). Importing this module applies the one `PATCHES` table to
moto, including the dispatcher that answers an SDK retry of a successful call once
(`patches/retries.py`); `main` then builds moto's app and serves it.
"""

from __future__ import annotations

import sys

from moto.server import main

from iackit.emulator.patches import PATCHES

for _owner, _attribute, _replacement in PATCHES:
    setattr(_owner, _attribute, _replacement)

if __name__ == "__main__":
    main(sys.argv[1:])
