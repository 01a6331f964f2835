"""The dependency layer `make package` builds (build/lambda/python-deps.zip) and what the
function packages need from it: deterministic bytes, exactly the pinned distributions built
for the Lambda platform, the same pins the tests run, and every deployed package importing
its handler module under python3.13 from package + layer + what the runtime provides alone."""

from __future__ import annotations

import email.parser
import importlib.metadata
import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from iackit import packaging
from iackit.paths import REPO_ROOT

pytestmark = pytest.mark.unit

PURE_TAGS = {"py3-none-any", "py2.py3-none-any"}
# An import under the Lambda platform: no site, no user site, no PYTHON* variables; sys.path
# is the package (/var/task), the layer's python/ (/opt/python), what the runtime provides,
# then the interpreter's standard library.
IMPORT_SCRIPT = """
import importlib, json, sys
sys.path[:0] = json.loads(sys.argv[1])
module = importlib.import_module(sys.argv[2])
handlers = sorted(n for n in dir(module) if n.endswith("handler") and callable(getattr(module, n)))
print(json.dumps({"file": module.__file__, "handlers": handlers,
                  "powertools": sys.modules["aws_lambda_powertools"].__file__}))
"""
FUNCTION_ENV = {
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_LAMBDA_FUNCTION_NAME": "import-check",
    "LANG": "C.UTF-8",
}


@pytest.fixture(scope="module")
def layer_zip() -> Path:
    """The layer as `make package` (and the harness, before any Terraform run) builds it."""
    return packaging.build_layer()


def _extract(zip_path: Path, target: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(target)
    return target


def _dist_infos(layer: Path) -> dict[str, tuple[str, set[str]]]:
    """dist-info in the layer: normalised name -> (version, wheel tags)."""
    found: dict[str, tuple[str, set[str]]] = {}
    with zipfile.ZipFile(layer) as archive:
        for name in archive.namelist():
            if not name.endswith(".dist-info/METADATA"):
                continue
            metadata = email.parser.Parser().parsestr(archive.read(name).decode())
            wheel = email.parser.Parser().parsestr(
                archive.read(name.replace("/METADATA", "/WHEEL")).decode()
            )
            found[packaging.normalise(metadata["Name"])] = (
                metadata["Version"],
                set(wheel.get_all("Tag") or []),
            )
    return found


def test_layer_is_deterministic_and_laid_out_for_lambda(layer_zip: Path, tmp_path: Path) -> None:
    again = packaging.build_layer(out_dir=tmp_path)
    assert again.read_bytes() == layer_zip.read_bytes(), "same pins must give the same bytes"
    with zipfile.ZipFile(layer_zip) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert all(name.startswith("python/") for name in names), "layer layout is python/..."
    assert {info.date_time for info in infos} == {packaging.FIXED_TIMESTAMP}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo"))]
    assert not [n for n in names if n.startswith("python/bin/")]


def test_layer_does_not_depend_on_where_it_was_built(layer_zip: Path) -> None:
    # pip writes the building interpreter's path into console scripts (not shipped) and their
    # hashes into RECORD: nothing may name this machine, and RECORD lists only shipped files.
    machine = [os.fsencode(p) for p in {sys.executable, sys.prefix, str(REPO_ROOT)}]
    with zipfile.ZipFile(layer_zip) as archive:
        names = set(archive.namelist())
        for name in names:
            data = archive.read(name)
            assert not [m for m in machine if m in data], f"{name} names the build machine"
            if name.endswith(".dist-info/RECORD"):
                listed = {line.split(",")[0] for line in data.decode().splitlines() if line}
                assert {f"python/{path}" for path in listed} <= names, name


def test_layer_holds_exactly_the_pinned_distributions_for_the_lambda_platform(
    layer_zip: Path,
) -> None:
    pins = packaging.pinned_requirements()
    assert {"aws-lambda-powertools", "fastjsonschema"} <= set(pins)
    assert not {"boto3", "botocore"} & set(pins), "the Lambda runtime provides boto3/botocore"
    dists = _dist_infos(layer_zip)
    assert {name: version for name, (version, _) in dists.items()} == pins
    for name, (_, tags) in dists.items():
        assert tags, f"{name}: WHEEL names no tag"
        for tag in tags:
            pure = tag in PURE_TAGS
            binary = tag.startswith("cp313-") and "manylinux" in tag and tag.endswith("x86_64")
            assert pure or binary, f"{name} was built for {tag}, not cp313 manylinux x86_64"


def test_the_tests_run_the_pins_that_are_deployed() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert "dependencies" not in project["project"]
    assert "dependencies" in project["project"]["dynamic"]
    files = project["tool"]["setuptools"]["dynamic"]["dependencies"]["file"]
    assert files == ["lambda_src/requirements.txt", "lambda_src/runtime-provided.txt"]
    for requirements in (packaging.LAYER_REQUIREMENTS, packaging.RUNTIME_PROVIDED_REQUIREMENTS):
        for name, version in packaging.pinned_requirements(requirements).items():
            assert importlib.metadata.version(name) == version, f"the test venv's {name}"


def test_requirements_must_be_exact_pins(tmp_path: Path) -> None:
    loose = tmp_path / "requirements.txt"
    loose.write_text("# ok\naws-lambda-powertools==3.37.0\nfastjsonschema>=2\n")
    with pytest.raises(ValueError, match="not an exact pin"):
        packaging.pinned_requirements(loose)
    with pytest.raises(ValueError, match="not an exact pin"):
        packaging.layer_zip_bytes(loose)


@pytest.fixture(scope="module")
def python313() -> Path:
    found = packaging.lambda_python("3.13")
    if found is None:
        pytest.fail("python3.13 (the Lambda runtime's Python) is not installed", pytrace=False)
    return found


@pytest.fixture(scope="module")
def unpacked(layer_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The deployed zips (build/lambda, as Terraform uploads them), unpacked like Lambda does."""
    root = tmp_path_factory.mktemp("deployed")
    dirs = {"layer": _extract(layer_zip, root / "opt") / "python"}
    for name in packaging.function_names():
        dirs[name] = _extract(packaging.package(name), root / "task" / name)
    return dirs


def _import(python: Path, paths: list[Path], module: str) -> subprocess.CompletedProcess[str]:
    env = {**FUNCTION_ENV, "PATH": os.defpath}
    return subprocess.run(
        [str(python), "-I", "-S", "-c", IMPORT_SCRIPT, json.dumps([str(p) for p in paths]), module],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("function", packaging.function_names())
def test_deployed_package_imports_its_handler_from_package_layer_and_runtime_only(
    function: str, unpacked: dict[str, Path], python313: Path
) -> None:
    runtime = packaging.runtime_provided_dir()
    paths = [unpacked[function], unpacked["layer"], runtime]
    result = _import(python313, paths, f"{function}.app")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["file"].startswith(str(unpacked[function]))
    assert loaded["powertools"].startswith(str(unpacked["layer"]))
    assert loaded["handlers"], f"{function}.app defines no *handler"


@pytest.mark.parametrize("function", packaging.function_names())
def test_without_the_layer_the_same_import_fails(
    function: str, unpacked: dict[str, Path], python313: Path
) -> None:
    # Proves the check above is isolated from the harness virtualenv (which has Powertools).
    result = _import(
        python313, [unpacked[function], packaging.runtime_provided_dir()], f"{function}.app"
    )
    assert result.returncode != 0
    assert "ModuleNotFoundError: No module named 'aws_lambda_powertools'" in result.stderr


def test_runtime_provided_dir_holds_only_the_runtime_pins() -> None:
    runtime = packaging.runtime_provided_dir()
    names = {packaging.normalise(path.name.split("-")[0]) for path in runtime.glob("*.dist-info")}
    pins = packaging.pinned_requirements(packaging.RUNTIME_PROVIDED_REQUIREMENTS)
    assert set(pins) <= names
    assert not names & {"aws-lambda-powertools", "fastjsonschema"}
    for name, version in pins.items():
        assert (runtime / f"{name}-{version}.dist-info").is_dir()
