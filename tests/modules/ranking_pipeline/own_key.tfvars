pipeline_own_key = true
