name_prefix = "sdtest"
# Relative to the example (built by `make package`).
ingestion_package_path = "../../../../build/lambda/ingestion.zip"
