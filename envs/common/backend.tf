# S3 state with native S3 locking (Terraform >= 1.10). Bucket, key and region come from
# backend.hcl (copy backend.hcl.example): `terraform init -backend-config=backend.hcl`; set
# kms_key_id there to encrypt the state with a customer managed key (SSE-KMS).
# On the emulator, iackit replaces this with a local backend (backend_override.tf).
terraform {
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
