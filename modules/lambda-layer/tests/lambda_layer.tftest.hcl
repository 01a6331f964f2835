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

run "missing_zip_is_refused" {
  command = plan
  variables { package_path = "../../build/lambda/no-such-layer.zip" }
  expect_failures = [var.package_path]
}

run "bad_layer_name_is_refused" {
  command = plan
  variables { layer_name = "dev python deps" }
  expect_failures = [var.layer_name]
}

run "non_python_runtime_is_refused" {
  command = plan
  variables { compatible_runtimes = ["nodejs22.x"] }
  expect_failures = [var.compatible_runtimes]
}

run "unknown_architecture_is_refused" {
  command = plan
  variables { compatible_architectures = ["x86"] }
  expect_failures = [var.compatible_architectures]
}
