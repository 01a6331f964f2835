# One Lambda layer version from a deterministic zip built by `make package` (`iackit
# package`): the same pins give the same bytes, so a new version is published only when the
# pinned requirements change.
resource "aws_lambda_layer_version" "this" {
  layer_name  = var.layer_name
  description = var.description
  # Absolute: the provider may run from another working directory than the root module's
  # (a shared, re-attached provider process, as the test harness runs it).
  filename                 = abspath(var.package_path)
  source_code_hash         = filebase64sha256(var.package_path)
  compatible_runtimes      = var.compatible_runtimes
  compatible_architectures = var.compatible_architectures

  # A changed zip is a new version (replacement): publish it and point the functions at it
  # before the old version is deleted. Every argument of a layer version forces a new one, so
  # the zip's path (absolute, hence different per checkout) is not compared: its content is,
  # through source_code_hash.
  lifecycle {
    create_before_destroy = true
    ignore_changes        = [filename]
  }
}
