# Cruddur, traced. `make help` lists the targets.
ROOT := $(CURDIR)
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Every npm script and tool runs on the workspace's pinned Node (the `node` devDependency).
export PATH := $(ROOT)/node_modules/.bin:$(PATH)

-include mk/*.mk

.PHONY: help install build test start clean run service-map

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort -u | awk -F':.*## ' '{printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json ## Install the workspace's dependencies (npm ci), pinned Node included

build: install ## Compile every package and service (tsc -b)
	tsc -b

test: build collector helm ## Run every test: unit, HTTP, traces, collector, chart
	jest --ci

start: build ## Run the six services in the foreground (no collector), gateway on :4567
	node scripts/start-all.mjs

clean: ## Remove build output
	tsc -b --clean

run: build collector ## Run the collector (file sink, + Honeycomb if HONEYCOMB_API_KEY) and the six services; Ctrl-C stops all
	node scripts/run-local.mjs

service-map: build ## Draw the call graph from the traces of the last `make run` (.run/service-map.svg)
	node packages/service-map/dist/cli.js --traces .run/traces --svg .run/service-map.svg
