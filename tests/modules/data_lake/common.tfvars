name_prefix = "dltest"
