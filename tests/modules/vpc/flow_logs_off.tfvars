flow_logs = { enabled = false }
