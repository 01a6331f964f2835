"""`iackit` command line: setup, emulator, package, up/down (see `iackit --help`)."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys

from iackit import packaging, toolchain
from iackit.emulator import Emulator


def cmd_setup(_: argparse.Namespace) -> int:
    ready = toolchain.setup()
    print(f"terraform: {ready.terraform} ({ready.terraform_version})")
    print(
        f"provider: hashicorp/aws {toolchain.PROVIDER_VERSION} from {ready.provider_origin} "
        f"({toolchain.provider_binary_path()})"
    )
    print(f"TF_CLI_CONFIG_FILE={ready.cli_config}")
    return 0


def cmd_package(args: argparse.Namespace) -> int:
    names = args.names or packaging.function_names()
    for name in names:
        path = packaging.package(name)
        print(f"{path} sha256={packaging.sha256_hex(path)}")
    return 0


def cmd_emulator(args: argparse.Namespace) -> int:
    emulator = Emulator(port=args.port) if args.port else Emulator()
    with emulator:
        print(f"moto server on {emulator.endpoint} (Ctrl-C to stop)", flush=True)
        print(f"export AWS_ENDPOINT_URL={emulator.endpoint}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


def cmd_terraform_path(_: argparse.Namespace) -> int:
    print(toolchain.terraform_binary())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="iackit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="ensure terraform, the AWS provider mirror and the CLI config")
    package = sub.add_parser("package", help="build deterministic Lambda zips into build/lambda")
    package.add_argument("names", nargs="*", help="function packages (default: all)")
    emulator = sub.add_parser("emulator", help="run the moto emulator in the foreground")
    emulator.add_argument("--port", type=int, default=0)
    sub.add_parser("terraform-path", help="print the terraform engine the project uses")
    _add_optional_commands(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args)) if hasattr(args, "func") else _dispatch(args)
    except toolchain.ToolchainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    handlers = {
        "setup": cmd_setup,
        "package": cmd_package,
        "emulator": cmd_emulator,
        "terraform-path": cmd_terraform_path,
    }
    return handlers[args.command](args)


def _add_optional_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Commands that live in their own modules (main job, benchmarks)."""
    for module_name in ("iackit.lint", "iackit.mainjob", "iackit.bench"):
        try:
            module = __import__(module_name, fromlist=["register"])
        except ImportError:
            continue
        module.register(sub)


if __name__ == "__main__":
    sys.exit(main())
