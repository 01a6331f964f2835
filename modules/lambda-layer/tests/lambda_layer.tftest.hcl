# terraform test (mock provider, plan only): what the layer version is published from and for,
# and every validation. Build the zip first (`make package`), then
# `terraform init -backend=false && terraform test` in modules/lambda-layer.
mock_provider "aws" {}

variables {
  layer_name   = "test-python-deps"
  package_path = "../../build/lambda/python-deps.zip"
}

run "publishes_the_built_zip_for_python313_x86_64" {
  command = plan

  assert {
    condition     = aws_lambda_layer_version.this.layer_name == "test-python-deps" && aws_lambda_layer_version.this.filename == abspath("../../build/lambda/python-deps.zip")
    error_message = "The layer is named layer_name and published from package_path (made absolute)."
  }
  assert {
    condition     = aws_lambda_layer_version.this.source_code_hash == filebase64sha256("../../build/lambda/python-deps.zip")
    error_message = "The zip's SHA-256 decides when a new version is published."
  }
  assert {
    condition     = tolist(aws_lambda_layer_version.this.compatible_runtimes) == tolist(["python3.13"]) && tolist(aws_lambda_layer_version.this.compatible_architectures) == tolist(["x86_64"])
    error_message = "By default the layer is for python3.13 on x86_64, as make package builds it."
  }
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # missing_zip_is_refused
    package_path = "../../build/lambda/no-such-layer.zip"
    # bad_layer_name_is_refused
    layer_name = "dev python deps"
    # non_python_runtime_is_refused
    compatible_runtimes = ["nodejs22.x"]
    # unknown_architecture_is_refused
    compatible_architectures = ["x86"]
  }
  expect_failures = [
    var.package_path,
    var.layer_name,
    var.compatible_runtimes,
    var.compatible_architectures,
  ]
}
