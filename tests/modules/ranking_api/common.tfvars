name_prefix = "ratest"
# Relative to the example (built by `make package`).
package_path = "../../../../build/lambda/ranking.zip"
