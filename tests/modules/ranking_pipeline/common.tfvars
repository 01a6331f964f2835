name_prefix = "rptest"
# Relative to the example (built by `make package`).
training_package_path  = "../../../../build/lambda/training.zip"
ingestion_package_path = "../../../../build/lambda/ingestion.zip"
