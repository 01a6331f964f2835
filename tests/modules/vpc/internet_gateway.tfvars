enable_internet_gateway = true
