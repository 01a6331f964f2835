# The dependency layer `make package` builds, published once, used by one function.
module "layer" {
  source = "../.."

  layer_name   = "${var.name_prefix}-python-deps"
  description  = "Pinned runtime dependencies of the example function"
  package_path = var.layer_package_path
}

module "function" {
  source = "../../../lambda-function"

  function_name      = "${var.name_prefix}-layered"
  description        = "Example function of the lambda-layer module"
  package_path       = abspath(var.function_package_path) # the provider opens it from its own directory
  handler            = "publisher.app.lambda_handler"
  log_retention_days = 7
  layers             = [module.layer.arn]
}
