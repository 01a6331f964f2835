"""A Lambda runtime inside the emulator: Invoke runs the deployed zip and layers.

- **Isolation.** A function version's zip is extracted to `<workdir>/task/<sha>` and its
  layers, in order, to `<workdir>/opt/<key>` (a later layer overwrites an earlier one, as in
  /opt on AWS). A worker is a subprocess of the interpreter matching the runtime, run with
  `-I -S` (see `bootstrap.py`): its `sys.path` is the task root, `opt/python/lib/
  python3.X/site-packages`, `opt/python`, the runtime-provided boto3/botocore (`provided.py`)
  and the stdlib; never the emulator's virtualenv. Its environment is built from scratch:
  the function's variables, the `AWS_LAMBDA_*`/`LAMBDA_*` variables, `_HANDLER`, the
  emulator endpoint (`AWS_ENDPOINT_URL`) and dummy credentials.
- **Warm workers.** A worker serves one invocation at a time and is kept idle for the next
  one of the *same* function version and configuration (module state survives, as in a
  warm AWS execution environment); another one starts when all are busy. A new code sha,
  layer list, handler, runtime, environment, memory size or timeout is a new key, so the
  next invoke is a cold start. A worker that timed out or failed its init is killed.
  `IACKIT_LAMBDA_WARM=0` makes every invoke cold. At most `MAX_IDLE` (8) workers stay warm,
  each for at most `IDLE_TTL` (300 s) without an invoke.
- **Timeout.** The emulator waits at most the function's timeout for the answer, then
  kills the worker and answers `Task timed out after N.00 seconds` (FunctionError
  Unhandled). Init (import of the handler module) has its own 10 s limit, as on AWS.
- **Logs.** Each worker is one log stream `YYYY/MM/DD/[$LATEST]<hex>` of the function's log
  group: START, INIT_START (naming the interpreter actually used), the handler's stdout and
  stderr, END, REPORT.
- **Async.** `Event` invokes and EventBridge deliveries run on a thread: retries per the
  function's event invoke config (default 2), then its on-failure destination and/or DLQ.
  The waits between attempts (1 then 2 minutes on AWS) and the maximum event age run
  `TIME_SCALE` times faster (1/600: 0.1 s, 0.2 s; event age 6 h -> 36 s).
"""

from __future__ import annotations

import base64
import glob
import hashlib
import io
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from iackit.emulator.lambda_runtime import provided

BOOTSTRAP = Path(__file__).with_name("bootstrap.py")
INIT_TIMEOUT = 10.0
IDLE_TTL = float(os.environ.get("IACKIT_LAMBDA_IDLE_TTL", "300"))  # seconds a warm worker waits
MAX_IDLE = int(os.environ.get("IACKIT_LAMBDA_MAX_IDLE", "8"))  # warm workers kept in all
TIME_SCALE = float(os.environ.get("IACKIT_LAMBDA_TIME_SCALE", str(1 / 600)))
DEFAULT_RETRIES = 2
DEFAULT_MAX_EVENT_AGE = 21600
DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def log(message: str) -> None:
    print(f"[lambda-runtime] {message}", flush=True)


# --- interpreters ----------------------------------------------------------------------


def _candidates() -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    for path in sorted(glob.glob(os.path.join(pyenv_root, "versions", "3.*", "bin", "python3.*"))):
        match = re.search(r"python3\.(\d+)$", path)
        if match and os.access(path, os.X_OK):
            found.setdefault((3, int(match.group(1))), path)
    for minor in range(8, 20):
        on_path = shutil.which(f"python3.{minor}")
        if on_path and "/shims/" not in on_path:
            found.setdefault((3, minor), on_path)
    return found


_INTERPRETERS: dict[str, tuple[str, str]] = {}


def interpreter(runtime: str) -> tuple[str, str]:
    """(path, "3.X") of the interpreter for a runtime such as python3.13: the same version
    when the machine has it, else the closest one (the newer one on a tie)."""
    if runtime not in _INTERPRETERS:
        match = re.fullmatch(r"python3\.(\d+)", runtime or "")
        if not match:
            raise RuntimeError(f"runtime {runtime!r} cannot run on the emulator (Python only)")
        wanted = int(match.group(1))
        candidates = _candidates()
        if not candidates:
            raise RuntimeError("no python3.X interpreter on this machine")
        (_, minor), path = min(
            candidates.items(), key=lambda kv: (abs(kv[0][1] - wanted), -kv[0][1])
        )
        _INTERPRETERS[runtime] = (path, f"3.{minor}")
        exact = "matches" if minor == wanted else "is the closest to"
        log(f"{runtime}: {path} (3.{minor}) {exact} the runtime")
    return _INTERPRETERS[runtime]


# --- results ---------------------------------------------------------------------------


@dataclass
class Result:
    request_id: str
    payload: bytes
    function_error: str | None = None
    logs: str = ""
    error_type: str = ""
    error_message: str = ""

    @property
    def ok(self) -> bool:
        return self.function_error is None


# --- workers ---------------------------------------------------------------------------


def _extract(data: bytes, target: Path) -> Path:
    if target.is_dir():
        return target
    staging = Path(tempfile.mkdtemp(prefix=".x-", dir=target.parent))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(staging)
    try:
        staging.rename(target)
    except OSError:  # extracted by another thread meanwhile
        shutil.rmtree(staging, ignore_errors=True)
    return target


class Worker:
    """One execution environment: a subprocess with the function's code imported."""

    def __init__(self, spec: FunctionSpec, workdir: Path, endpoint: str) -> None:
        self.spec = spec
        self.dir = Path(tempfile.mkdtemp(prefix="env-", dir=workdir / "envs"))
        self.stream = f"{datetime.now(UTC):%Y/%m/%d}/[{spec.version}]{uuid.uuid4().hex}"
        self.invocations = 0
        self.idle_since = time.monotonic()
        python, version = interpreter(spec.runtime)
        site = [
            str(spec.task_root),
            str(spec.opt / "python" / "lib" / f"python{version}" / "site-packages"),
            str(spec.opt / "python"),
            str(provided.runtime_packages(version)),
        ]
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "PYTHONUNBUFFERED": "1",
            "LAMBDA_TASK_ROOT": str(spec.task_root),
            "LAMBDA_RUNTIME_DIR": str(BOOTSTRAP.parent),
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
            "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group,
            "AWS_LAMBDA_LOG_STREAM_NAME": self.stream,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_REGION": spec.region,
            "AWS_DEFAULT_REGION": spec.region,
            "AWS_ENDPOINT_URL": endpoint,
            **DUMMY_CREDENTIALS,
            "_HANDLER": spec.handler,
            **spec.variables,
            "_IACKIT_SYS_PATH": os.pathsep.join(site),
        }
        init_log = self.dir / "init.log"
        started = time.monotonic()
        self.process = subprocess.Popen(
            [python, "-I", "-S", str(BOOTSTRAP), str(init_log)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=spec.task_root,
        )
        answer = self._read(INIT_TIMEOUT)
        init_ms = (time.monotonic() - started) * 1000
        self.init_logs = (
            f"INIT_START Runtime Version: {spec.runtime} (emulator: {python}, Python {version})\n"
            + _read_text(init_log)
        )
        self.init_ms: float | None = init_ms
        self.init_error: dict[str, Any] | None = None
        if answer is None:
            self.kill()
            exited = self.process.returncode not in (None, -9)
            self.init_error = (
                _exit_error(self.process.returncode)
                if exited
                else {
                    "errorType": "Runtime.InitTimeout",
                    "errorMessage": f"Init did not complete within {INIT_TIMEOUT:.0f} seconds",
                }
            )
        elif answer.get("init_error"):
            self.init_error = answer["init_error"]

    def _read(self, timeout: float) -> dict[str, Any] | None:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, timeout))
        if not ready:
            return None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            return None
        return dict(json.loads(line))

    def invoke(
        self, request_id: str, payload: bytes, invoked_arn: str
    ) -> tuple[dict[str, Any] | None, str, float]:
        """(answer or None on timeout/crash, logs, duration in ms)."""
        assert self.process.stdin is not None
        log_path = self.dir / f"invoke-{self.invocations}.log"
        self.invocations += 1
        started = time.monotonic()
        deadline_ms = int(time.time() * 1000) + int(self.spec.timeout * 1000)
        request = {
            "request_id": request_id,
            "payload": payload.decode("utf-8") if payload else "",
            "deadline_ms": deadline_ms,
            "log_path": str(log_path),
            "invoked_function_arn": invoked_arn,
        }
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        self.process.stdin.flush()
        answer = self._read(self.spec.timeout)
        duration = (time.monotonic() - started) * 1000
        if answer is None:
            self.kill()
        logs = _read_text(log_path)
        log_path.unlink(missing_ok=True)
        return answer, logs, duration

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def _exit_error(code: int | None, request_id: str = "{rid}") -> dict[str, str]:
    return {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: "
        f"exit status {code}",
    }


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


@dataclass(frozen=True)
class FunctionSpec:
    """What decides which execution environment may serve an invocation."""

    arn: str
    name: str
    version: str
    region: str
    account: str
    runtime: str
    handler: str
    timeout: int
    memory: int
    log_group: str
    task_root: Path
    opt: Path
    variables: dict[str, str] = field(hash=False, compare=False)
    fingerprint: str = ""


# --- the runtime -----------------------------------------------------------------------


class Runtime:
    """Every execution environment of one emulator process."""

    def __init__(self, workdir: Path, endpoint: str) -> None:
        self.workdir = workdir
        self.endpoint = endpoint
        for sub in ("task", "opt", "envs"):
            (workdir / sub).mkdir(parents=True, exist_ok=True)
        self.warm = os.environ.get("IACKIT_LAMBDA_WARM", "1") != "0"
        self._lock = threading.Lock()
        self._idle: dict[str, list[Worker]] = {}
        self._current: dict[str, str] = {}  # function arn -> fingerprint of its warm workers

    def spec(self, fn: Any, layer_code: Callable[[str], bytes]) -> FunctionSpec:
        layers = [layer["Arn"] for layer in fn.layers]
        variables = {str(k): str(v) for k, v in (fn.environment_vars or {}).items()}
        code_key = (fn.code_sha_256 or "empty").replace("/", "_").replace("+", "-")  # base64
        task_root = _extract(fn.code_bytes, self.workdir / "task" / code_key)
        opt_key = hashlib.sha256("\n".join(layers).encode()).hexdigest()[:32] if layers else "none"
        opt = self.workdir / "opt" / opt_key
        if not opt.is_dir():
            staging = Path(tempfile.mkdtemp(prefix=".x-", dir=self.workdir / "opt"))
            for arn in layers:
                with zipfile.ZipFile(io.BytesIO(layer_code(arn))) as archive:
                    archive.extractall(staging)
            try:
                staging.rename(opt)
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)
        fingerprint = hashlib.sha256(
            json.dumps(
                [
                    id(fn),
                    fn.last_modified,
                    fn.function_arn,
                    str(fn.version),
                    fn.code_sha_256,
                    layers,
                    fn.handler,
                    fn.run_time,
                    fn.timeout,
                    fn.memory_size,
                    sorted(variables.items()),
                ]
            ).encode()
        ).hexdigest()
        return FunctionSpec(
            arn=fn.function_arn,
            name=fn.function_name,
            version=str(fn.version),
            region=fn.region,
            account=fn.account_id,
            runtime=fn.run_time or "",
            handler=fn.handler or "",
            timeout=int(fn.timeout or 3),
            memory=int(fn.memory_size or 128),
            log_group=fn.logs_group_name,
            task_root=task_root,
            opt=opt,
            variables=variables,
            fingerprint=fingerprint,
        )

    def _take(self, spec: FunctionSpec) -> Worker:
        with self._lock:
            if self._current.get(spec.arn) != spec.fingerprint:
                stale = self._idle.pop(self._current.get(spec.arn, ""), [])
                self._current[spec.arn] = spec.fingerprint
                for worker in stale:
                    worker.kill()
            idle = self._idle.get(spec.fingerprint, [])
            while idle:
                worker = idle.pop()
                if worker.alive():
                    worker.init_ms = None
                    worker.init_logs = ""
                    return worker
        try:
            return Worker(spec, self.workdir, self.endpoint)
        except OSError as error:
            raise RuntimeError(f"cannot start a worker: {error}") from error

    def _give_back(self, worker: Worker) -> None:
        evicted: list[Worker] = []
        with self._lock:
            keep = (
                self.warm
                and worker.alive()
                and self._current.get(worker.spec.arn) == worker.spec.fingerprint
            )
            if keep:
                worker.idle_since = time.monotonic()
                self._idle.setdefault(worker.spec.fingerprint, []).append(worker)
            evicted = self._evict()
        if not keep:
            evicted.append(worker)
        for stale in evicted:
            stale.kill()

    def _evict(self) -> list[Worker]:
        """Idle workers past IDLE_TTL, then the least recently used beyond MAX_IDLE (AWS
        also reclaims idle environments; here it bounds the processes of a long session)."""
        now = time.monotonic()
        idle = sorted(
            (w for ws in self._idle.values() for w in ws), key=lambda w: w.idle_since, reverse=True
        )
        evicted = [w for i, w in enumerate(idle) if i >= MAX_IDLE or now - w.idle_since > IDLE_TTL]
        for worker in evicted:
            self._idle[worker.spec.fingerprint].remove(worker)
        return evicted

    def invoke(
        self,
        spec: FunctionSpec,
        payload: bytes,
        invoked_arn: str,
        write_logs: Callable[[str, str], None],
    ) -> Result:
        request_id = str(uuid.uuid4())
        try:
            worker = self._take(spec)
        except RuntimeError as problem:  # no interpreter, runtime packages not installable
            body = {"errorMessage": str(problem), "errorType": "Runtime.Unavailable"}
            return Result(
                request_id,
                json.dumps(body).encode(),
                "Unhandled",
                str(problem),
                body["errorType"],
                str(problem),
            )
        lines = [worker.init_logs] if worker.init_logs else []
        lines.append(f"START RequestId: {request_id} Version: {spec.version}\n")
        status = ""
        if worker.init_error is not None:
            error = {**worker.init_error, "requestId": request_id}
            error["errorMessage"] = str(error["errorMessage"]).replace("{rid}", request_id)
            answer: dict[str, Any] | None = {"error": error}
            duration = 0.0
            worker.kill()
        else:
            answer, logs, duration = worker.invoke(request_id, payload, invoked_arn)
            lines.append(logs)
            if answer is None and worker.process.returncode not in (None, -9):
                status = "error"
                answer = {"error": _exit_error(worker.process.returncode, request_id)}
            self._give_back(worker)
        if answer is None:
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            timed_out = f"Task timed out after {spec.timeout:.2f} seconds"
            lines.append(f"{stamp} {request_id} {timed_out}\n")
            answer = {
                "error": {
                    "errorType": "Sandbox.Timedout",
                    "errorMessage": f"RequestId: {request_id} Error: {timed_out}",
                }
            }
            status = "timeout"
        billed = max(1, int(duration + 0.999))
        init = f"\tInit Duration: {worker.init_ms:.2f} ms" if worker.init_ms is not None else ""
        lines.append(f"END RequestId: {request_id}\n")
        lines.append(
            f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\t"
            f"Billed Duration: {billed} ms\tMemory Size: {spec.memory} MB\t"
            f"Max Memory Used: {spec.memory} MB{init}"
            + (f"\tStatus: {status}" if status else "")
            + "\n"
        )
        text = "".join(lines)
        write_logs(worker.stream, text)
        if "error" in answer:
            error = dict(answer["error"])
            if "errorType" in error:
                error.setdefault("requestId", request_id)
                error = {
                    k: error[k]
                    for k in ("errorMessage", "errorType", "requestId", "stackTrace")
                    if k in error
                }
            return Result(
                request_id,
                json.dumps(error).encode(),
                "Unhandled",
                text,
                str(error.get("errorType", "Sandbox.Timedout")),
                str(error.get("errorMessage", "")),
            )
        return Result(request_id, str(answer["payload"]).encode(), None, text)

    def close(self) -> None:
        with self._lock:
            workers = [w for ws in self._idle.values() for w in ws]
            self._idle.clear()
        for worker in workers:
            worker.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


def tail(logs: str) -> str:
    """The x-amz-log-result header: the last 4 KB of the invocation's log, base64."""
    return base64.b64encode(logs.encode("utf-8")[-4096:]).decode()
