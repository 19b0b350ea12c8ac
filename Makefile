# B2B dealer-ordering suite for Odoo 18.0. Two commands on a fresh machine:
#   make demo    database with demo data, served on http://localhost:$(PORT)
#   make test    throwaway database, every module's tests, closing "N passed, N failed"
SHELL := /bin/bash
ODOO_PATH ?= /opt/odoo
DB ?= b2b_demo
PORT ?= 8069
SCALE ?= 1
export ODOO_PATH DB PORT SCALE MODULES TAGS

.PHONY: help setup demo test test-odoo lint bench bench-data load clean

help:
	@echo "make setup | demo [DB= PORT=] | test [MODULES= TAGS=] | test-odoo | lint | bench-data [DB=b2b_bench SCALE=1] | bench [DB=b2b_bench BENCH=] | load [DB=b2b_bench USERS=500 DURATION=8m]"

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

test: setup
	@bash scripts/test.sh

test-odoo: setup
	@bash scripts/test_odoo.sh

lint: setup
	@.venv/bin/pre-commit run --all-files --show-diff-on-failure

# the bench targets default to their own database, never the demo one
BENCH_DB = $(if $(filter command line environment,$(origin DB)),$(DB),b2b_bench)

bench-data: setup
	@DB=$(BENCH_DB) bash scripts/bench.sh data

bench: setup
	@DB=$(BENCH_DB) bash scripts/bench.sh run

# dealer-portal load test (locust) on a copy of the bench database
load:
	@B2B_LOAD_VENV=1 bash scripts/setup.sh
	@DB=$(BENCH_DB) bash scripts/load_test.sh

clean:
	rm -rf var .ruff_cache
