# Cruddur, traced. `make help` lists the targets.
ROOT := $(CURDIR)
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Every npm script and tool runs on the workspace's pinned Node (the `node` devDependency).
export PATH := $(ROOT)/node_modules/.bin:$(PATH)

-include mk/*.mk

.PHONY: help install build test test-soak start clean run service-map loadtest bench bench-levers bench-split bench-sampling openapi postgres reset-data

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort -u | awk -F':.*## ' '{printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json ## Install the workspace's dependencies (npm ci), pinned Node included

build: install ## Compile every package and service (tsc -b), then bundle the frontend's browser app (Vite)
	tsc -b
	@$(MAKE) --no-print-directory web-app

# The local PostgreSQL server (scripts/local-postgres.sh): Debian's package, installed where
# missing; `make run`, the tests, the fuzzing and the benchmarks start and stop it themselves.
postgres: ## Install PostgreSQL from Debian's packages where it is missing (the local server `make run` and the tests start)
	@$(ROOT)/scripts/local-postgres.sh ensure

reset-data: ## Stop the local PostgreSQL server and delete its data (.run/postgres): the next make run starts from the seed data
	@$(ROOT)/scripts/local-postgres.sh reset

test: build collector helm schemathesis chromium postgres ## Run every test: unit, HTTP, traces, collector, chart, k6 type-check, a short fuzz run, the soak, then the images (make test-containers)
	tsc -p tsconfig.test.json
	tsc -p loadtests/tsconfig.k6.json
	jest --ci
	@$(MAKE) --no-print-directory test-fuzz
	@$(MAKE) --no-print-directory test-soak
	@$(MAKE) --no-print-directory test-containers

test-soak: build collector postgres ## 100,000 requests of the traffic mix through the traced stack: none fails, memory levels off (about 5 minutes)
	jest --ci --config jest.soak.config.js

openapi: build ## Write the API contract's OpenAPI document to docs/openapi.json (a test checks it is current)
	node scripts/write-openapi.mjs

start: build ## Run the six services and the frontend in the foreground (no collector), gateway on :4567, frontend on :3000
	node scripts/start-all.mjs

clean: ## Remove build output
	tsc -b --clean
	rm -rf services/frontend/dist/web

run: build collector postgres ## Run the collector (file sink, + Honeycomb if HONEYCOMB_API_KEY), the six services and the frontend on http://127.0.0.1:3000 (SAMPLING=tail: an agent and two tail samplers); Ctrl-C stops all
	SAMPLING='$(SAMPLING)' node scripts/run-local.mjs

service-map: build ## Draw the call graph from the traces of the last `make run` (.run/service-map.svg)
	node packages/service-map/dist/cli.js --traces .run/traces --svg .run/service-map.svg

# k6 is a separate install (not an npm package); its scripts are TypeScript it runs as they are.
LOADTEST ?= load
BASE_URL ?= http://localhost:4567
loadtest: ## Run k6 (LOADTEST=smoke|load|stress, BASE_URL=…, RATE=…) and write .run/loadtest-summary.json
	@command -v k6 >/dev/null || { echo "k6 is not installed: see https://grafana.com/docs/k6/latest/set-up/install-k6/" >&2; exit 1; }
	@test -f loadtests/k6/$(LOADTEST).ts || { echo "LOADTEST must be smoke, load or stress (loadtests/k6/*.ts)" >&2; exit 1; }
	@mkdir -p .run
	k6 run -e BASE_URL=$(BASE_URL) $(if $(RATE),-e RATE=$(RATE)) --summary-export .run/loadtest-summary.json loadtests/k6/$(LOADTEST).ts

bench: build collector postgres ## Measure tracing overhead against untraced and the stock zero-code setup, span delivery, start-up and memory (about 11 minutes; loopback only)
	node packages/bench/dist/main.js

bench-levers: build collector postgres ## The settings-only levers of the traced stack (batching, V8's heap), each paired with the shipped settings at a fixed rate (about 3 minutes)
	node packages/bench/dist/levers.js

bench-split: build collector postgres ## Where tracing's CPU goes, process by process, at a fixed rate: untraced, nothing sampled, spans made but not exported, exported (about 5 minutes)
	node packages/bench/dist/split.js

bench-sampling: build collector postgres ## The tail-sampling tier at a steady rate: spans in and out, and its collectors' CPU and memory per 1,000 spans/s (about 1.5 minutes)
	node packages/bench/dist/sampling.js
