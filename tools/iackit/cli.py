"""`iackit` command line: setup, emulator, package, up/down (see `iackit --help`)."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys

from iackit import bench, cost, lint, mainjob, packaging, toolchain, vendor
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
    names = args.names or [*packaging.function_names(), packaging.LAYER_NAME]
    for name in names:
        path = packaging.build_layer() if name == packaging.LAYER_NAME else packaging.package(name)
        print(f"{path} sha256={packaging.sha256_hex(path)} bytes={path.stat().st_size}")
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
    setup = sub.add_parser(
        "setup", help="ensure terraform, the AWS provider mirror and the CLI config"
    )
    setup.set_defaults(func=cmd_setup)
    package = sub.add_parser(
        "package",
        help="build deterministic Lambda zips and the dependency layer into build/lambda",
    )
    package.add_argument(
        "names",
        nargs="*",
        help=f"function packages and/or {packaging.LAYER_NAME} (default: all)",
    )
    package.set_defaults(func=cmd_package)
    emulator = sub.add_parser("emulator", help="run the moto emulator in the foreground")
    emulator.add_argument("--port", type=int, default=0)
    emulator.set_defaults(func=cmd_emulator)
    terraform_path = sub.add_parser(
        "terraform-path", help="print the terraform engine the project uses"
    )
    terraform_path.set_defaults(func=cmd_terraform_path)
    lint.register(sub)
    mainjob.register(sub)
    bench.register(sub)
    vendor.register(sub)
    cost.register(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except toolchain.ToolchainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
