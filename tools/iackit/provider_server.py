"""One long-lived AWS provider process that Terraform runs reattach to.

The provider binary is ~830 MiB; launching it costs ~5 s, and Terraform launches it for
every plan, show, apply and destroy. Terraform's documented debug mode
(`terraform-provider-aws -debug` prints `TF_REATTACH_PROVIDERS`) lets every run of a
session talk to one running provider instead. Each pytest-xdist worker (and `make up`) owns
its own process, so no two concurrent Terraform runs share a provider.

No fixed waits on the emulator: the provider's state waiters (internal/retry/state.go) sleep
between polls with backoff, e.g. 15 "not found" polls over ~2 minutes after each SQS
DeleteQueue, a lifecycle configuration's ~55 s of consistency checks. When `VCR_MODE` is
`REPLAY_ONLY` and `VCR_PATH` is set, the provider (internal/conns/conns.go `vcr.IsEnabled`)
polls those waiters with zero delay. The go-vcr recorder itself is wired only into the
provider's acceptance-test code, so nothing is recorded or replayed: requests still go to
the emulator, only the sleeps go. The emulator is immediately consistent, so the answers do
not change. This process serves emulator runs only (tests, `make up`/`down`, `make lint`);
Terraform against real AWS starts its own provider without these variables.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import IO

from iackit.toolchain import (
    PROVIDER_SOURCES,
    ToolchainError,
    go_runtime_env,
    provider_binary_path,
)

REATTACH_PATTERN = re.compile(r"TF_REATTACH_PROVIDERS='([^']+)'")
# The provider's own switch for zero-delay waiters; the path is never read (see above).
EMULATOR_PROVIDER_ENV = {"VCR_MODE": "REPLAY_ONLY", "VCR_PATH": os.devnull}


def reattach_for_all_sources(printed: str) -> str:
    """The provider's printed reattach JSON (keyed by the address it was built for), with
    the same entry under every address in PROVIDER_SOURCES."""
    entries = json.loads(printed)
    config = next(iter(entries.values()))
    return json.dumps({source: config for source in PROVIDER_SOURCES})


@dataclass
class ProviderServer:
    process: subprocess.Popen[str] | None = None
    reattach: str = ""
    _stdout: IO[str] | None = field(default=None, repr=False)

    def start(self, timeout: float = 60.0) -> ProviderServer:
        binary = provider_binary_path()
        if not binary.exists():
            raise ToolchainError(f"{binary} is missing: run `make setup` first.")
        self.process = subprocess.Popen(
            [str(binary), "-debug"],
            env={**os.environ, **go_runtime_env(), **EMULATOR_PROVIDER_ENV},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        for line in self.process.stdout:
            match = REATTACH_PATTERN.search(line)
            if match:
                self.reattach = match[1]
                # Keep draining its output so the provider never blocks on a full pipe.
                threading.Thread(target=self._drain, daemon=True).start()
                return self
            if time.monotonic() > deadline:
                break
        self.stop()
        raise ToolchainError("the AWS provider did not start in debug mode")

    def _drain(self) -> None:
        if self.process is not None and self.process.stdout is not None:
            for _ in self.process.stdout:
                pass

    def env(self) -> dict[str, str]:
        """`TF_REATTACH_PROVIDERS` naming the process under every address of the provider
        (Terraform asks for registry.terraform.io/hashicorp/aws, OpenTofu for
        registry.opentofu.org/hashicorp/aws; each ignores the other's entry)."""
        if not self.reattach:
            return {}
        return {"TF_REATTACH_PROVIDERS": reattach_for_all_sources(self.reattach)}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None
        self.reattach = ""

    def __enter__(self) -> ProviderServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
