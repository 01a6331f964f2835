ami_id = "ami-0123456789abcdef0"
