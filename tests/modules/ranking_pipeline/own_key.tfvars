pipeline_own_key = { enabled = true }
