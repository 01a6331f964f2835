"""The Lambda runtime inside one worker process (an "execution environment").

Run by `iackit.emulator.lambda_runtime` as `<python3.13> -I -S bootstrap.py INIT_LOG`:
`-I -S` keeps PYTHONPATH, the user site and the interpreter's site-packages out, and
`sys.path` becomes the stdlib plus `_IACKIT_SYS_PATH` (the task root, the layers under
/opt/python as AWS lays them out, the runtime-provided boto3). Nothing of the harness
virtualenv is reachable. Standard library only: this file runs under the function's
interpreter, not the emulator's.

Protocol (one JSON object per line): the worker imports the handler (its output goes to
INIT_LOG), then writes `{"init": ...}` on its original stdout; for each request line on
stdin (`request_id`, `payload`, `deadline_ms`, `log_path`, `invoked_function_arn`) it runs
the handler with fds 1 and 2 redirected to `log_path` and answers one result line. The
emulator enforces the timeout by killing the process.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import time
import traceback
from typing import Any

_SYS_PATH = os.environ.pop("_IACKIT_SYS_PATH", "")
sys.path[:0] = [p for p in _SYS_PATH.split(os.pathsep) if p]


class LambdaContext:
    """The attributes and method of the AWS Python runtime's context object."""

    def __init__(self, request_id: str, deadline_ms: int, invoked_function_arn: str) -> None:
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))


class _RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = self.request_id
        return True


_REQUEST_ID = _RequestIdFilter()


def _install_root_logger() -> None:
    """Like the AWS runtime: the root logger writes `[LEVEL] time request-id message`."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.formatter.converter = time.gmtime  # type: ignore[union-attr]
    handler.addFilter(_REQUEST_ID)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "WARNING").upper())


def _error(error_type: str, message: str, exc: BaseException | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"errorMessage": message, "errorType": error_type}
    if exc is not None:
        body["stackTrace"] = traceback.format_list(traceback.extract_tb(exc.__traceback__))
    return body


def _load_handler() -> tuple[Any, dict[str, Any] | None]:
    handler = os.environ.get("_HANDLER", "")
    module_path, _, function_name = handler.rpartition(".")
    if not module_path or not function_name:
        return None, _error("Runtime.MalformedHandlerName", f"Bad handler '{handler}'")
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as exc:
        return None, _error(
            "Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {exc}", exc
        )
    except ImportError as exc:
        return None, _error(
            "Runtime.ImportModuleError", f"Unable to import module '{module_name}': {exc}", exc
        )
    except Exception as exc:
        return None, _error(type(exc).__name__, str(exc), exc)
    function = getattr(module, function_name, None)
    if function is None:
        return None, _error(
            "Runtime.HandlerNotFound",
            f"Handler '{function_name}' missing on module '{module_name}'",
        )
    return function, None


def _redirect(path: str) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def _log_error(body: dict[str, Any]) -> None:
    trace = "".join(body.get("stackTrace", []))
    print(f"[ERROR] {body['errorType']}: {body['errorMessage']}", flush=True)
    if trace:
        print(f"Traceback (most recent call last):\n{trace}", end="", flush=True)


def _answer(ctl: Any, message: dict[str, Any]) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    ctl.write(json.dumps(message) + "\n")
    ctl.flush()


def main() -> None:
    ctl = os.fdopen(os.dup(1), "w", encoding="utf-8")
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    _redirect(sys.argv[1])
    _install_root_logger()
    started = time.monotonic()
    handler, init_error = _load_handler()
    if init_error is not None:
        _log_error(init_error)
    _answer(ctl, {"init_ms": (time.monotonic() - started) * 1000, "init_error": init_error})
    if init_error is not None:
        return
    for line in requests:
        request = json.loads(line)
        _redirect(request["log_path"])
        _REQUEST_ID.request_id = request["request_id"]
        context = LambdaContext(
            request["request_id"], request["deadline_ms"], request["invoked_function_arn"]
        )
        result: dict[str, Any]
        try:
            event = json.loads(request["payload"]) if request["payload"] else {}
            value = handler(event, context)
        except Exception as exc:
            body = _error(type(exc).__name__, str(exc), exc)
            _log_error(body)
            result = {"error": body}
        else:
            try:
                result = {"payload": json.dumps(value)}
            except (TypeError, ValueError) as exc:
                body = _error("Runtime.MarshalError", f"Unable to marshal response: {exc}")
                _log_error(body)
                result = {"error": body}
        _answer(ctl, result)


if __name__ == "__main__":
    main()
