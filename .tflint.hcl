# TFLint with its bundled terraform ruleset (the AWS ruleset is not obtainable offline here).
# "all" enables the module conventions: documented and typed variables/outputs, pinned
# required_version/required_providers, standard module structure, no unused declarations.
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
