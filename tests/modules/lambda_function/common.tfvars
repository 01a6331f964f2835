# Any deterministic package will do for a plan (its bytes only feed source_code_hash):
# build/lambda/ holds the platform's packages, built by `make package` and by the test
# harness before any plan. The apply test packages the example's own src/hello.
package_path = "../../../../build/lambda/notifier.zip"
