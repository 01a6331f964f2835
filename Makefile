# Every target installs what it needs: `make test` on a fresh clone is enough.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
ENV    ?= dev
PYTEST_ARGS ?=
# One worker more than cores (3 on the 2-core CI machine) for `make test`: its apply tests
# spend about a third of their time waiting on the provider's fixed delays (which zero-delay
# waiters cannot remove: SDK state waits, SQS re-reads). The plan tier has nothing to wait
# for, so one worker per core: 125 s against 130 s with three (measured at 9dc4c44; the
# third worker's contention cost 23 s of CPU). PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
PLAN_WORKERS ?= $(shell nproc)

.PHONY: help setup package test test-plan test-unit fmt lint lint-tools docs emulator up train down plan apply smoke fire cost bench diagram clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml lambda_src/requirements.txt lambda_src/runtime-provided.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## Virtualenv, pinned deps, terraform engine, AWS provider mirror (cached)
	$(PY) -m iackit.cli setup

package: $(STAMP) ## Build the deterministic Lambda zips and the dependency layer into build/lambda
	$(PY) -m iackit.cli package

test: setup ## Run the whole test suite (unit, plan, apply) against the local emulator
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test-plan: setup ## The fast tier: unit, plan and native `terraform test` tests (no apply)
	$(VENV)/bin/pytest -n $(PLAN_WORKERS) --dist worksteal -m "unit or plan" $(PYTEST_ARGS)

test-unit: $(STAMP) ## Only the in-process unit tests (no terraform)
	$(VENV)/bin/pytest -n $(PLAN_WORKERS) -m unit $(PYTEST_ARGS)

fmt: setup ## Format Terraform and Python sources
	$$($(PY) -m iackit.cli terraform-path) fmt -recursive modules envs tests
	$(VENV)/bin/ruff format lambda_src tools tests
	$(VENV)/bin/ruff check --fix lambda_src tools tests

# A subset by name, dashes for spaces: LINT_GATES="terraform-fmt ruff-check mypy"
LINT_GATES ?=
lint: setup ## All quality gates: fmt, validate, ruff, mypy, tflint, checkov, terraform-docs
	$(PY) -m iackit.cli lint $(LINT_GATES)

lint-tools: $(STAMP) ## Install the pinned lint tools into the cache (checkov, terraform-docs, tflint)
	$(PY) -m iackit.cli lint-tools

docs: $(STAMP) ## Regenerate the terraform-docs tables in every module README
	$(PY) -m iackit.cli docs

emulator: $(STAMP) ## Run the moto emulator in the foreground
	$(PY) -m iackit.cli emulator

up: setup ## Deploy envs/dev to the embedded emulator and walk an enrollment through it
	$(PY) -m iackit.cli up

train: $(STAMP) ## After make up: synthetic data, the nightly pipeline run, a ranking from Personalize, a class engagement ranking
	$(PY) -m iackit.cli train

down: $(STAMP) ## Destroy the emulator deployment and stop the emulator
	$(PY) -m iackit.cli down

plan: setup ## terraform plan ENV=<dev|prod> against real AWS (needs credentials)
	$(PY) -m iackit.cli env plan $(ENV)

apply: setup ## terraform apply ENV=<dev|prod> against real AWS (needs credentials)
	$(PY) -m iackit.cli env apply $(ENV)

smoke: setup ## The make-up scenario against a real deployment ENV=<dev|prod> (needs credentials)
	$(PY) -m iackit.cli smoke $(ENV)

fire: $(STAMP) ## Fire a schedule now on the make-up emulator: SCHEDULE=<name> GROUP=<group>
	$(PY) -m iackit.cli fire $(SCHEDULE) --group $(or $(GROUP),default)

cost: setup ## Monthly idle cost of ENV=<dev|prod> from its plan (tools/iackit/prices.toml)
	$(PY) -m iackit.cli cost $(ENV) $(ARGS)

bench: setup ## Print timing/memory figures (setup, init, plan/apply, handlers, suite)
	$(PY) -m iackit.cli bench --suite

.PHONY: vendor
vendor: $(STAMP) ## Copy MODULE=<name> and the modules it needs into DEST=<dir> (see CHANGELOG.md for tags)
	$(PY) -m iackit.cli vendor $(MODULE) $(DEST)

diagram: ## Regenerate docs/architecture.svg from docs/architecture.dot (needs Graphviz)
	dot -Tsvg docs/architecture.dot -o docs/architecture.svg

clean: ## Remove build outputs and caches inside the checkout (not the provider mirror)
	rm -rf build .emulator .pytest_cache .ruff_cache .mypy_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
