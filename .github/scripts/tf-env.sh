#!/usr/bin/env bash
# Run the project's Terraform engine in envs/$1 against real AWS, with the S3 backend taken
# from the GitHub environment's variables (TF_STATE_BUCKET, TF_STATE_KEY, AWS_REGION).
# Usage: .github/scripts/tf-env.sh <dev|prod> <terraform arguments...>
# `init` is run first on each call (cheap when .terraform/ exists).
set -euo pipefail
env_name="$1"
shift
: "${TF_STATE_BUCKET:?set the TF_STATE_BUCKET variable on the GitHub environment}"
: "${TF_STATE_KEY:?set the TF_STATE_KEY variable on the GitHub environment}"
: "${AWS_REGION:?set the AWS_REGION variable on the GitHub environment}"
cd "$(dirname "$0")/../.."
terraform="$(.venv/bin/iackit terraform-path)"
export TF_CLI_CONFIG_FILE="${IACKIT_CACHE_DIR:-$HOME/.cache/student-platform-iac}/cli.tfrc"
export TF_IN_AUTOMATION=1 TF_INPUT=0
dir="envs/${env_name}"
cat >"${dir}/backend.hcl" <<HCL
bucket = "${TF_STATE_BUCKET}"
key    = "${TF_STATE_KEY}"
region = "${AWS_REGION}"
HCL
"$terraform" -chdir="$dir" init -input=false -no-color -backend-config=backend.hcl >&2
exec "$terraform" -chdir="$dir" "$@"
