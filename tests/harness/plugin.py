"""pytest plugin: Terraform fixtures (plan, apply, idempotency, destroy). Filled in by the
Foundation harness; imported by tests/conftest.py."""
