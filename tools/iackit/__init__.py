"""iackit: the offline toolchain (Terraform engine, AWS provider mirror) and the local AWS
emulator that the test harness, `make up` and the benchmarks share."""
