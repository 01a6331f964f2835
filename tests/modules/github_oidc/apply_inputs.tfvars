role_name_prefix = "ghapply"
