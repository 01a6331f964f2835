# Relative to the example; `make package` builds it.
package_path = "../../../../build/lambda/publisher.zip"
