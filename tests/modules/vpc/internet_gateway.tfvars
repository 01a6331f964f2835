internet_gateway = { enabled = true }
