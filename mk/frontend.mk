# The browser app of services/frontend: type-checked (web/tsconfig.json), then bundled by Vite
# into services/frontend/dist/web, which the frontend's server serves. `make build` runs it
# after tsc -b (the app's API types are the contract's compiled declarations); it is skipped
# while nothing it is built from has changed. The Dockerfile runs the same npm script.
# Included by the root Makefile (after ROOT, SHELL and PATH are set).

WEB_APP := $(ROOT)/services/frontend/dist/web/index.html
WEB_APP_SOURCES := $(shell find $(ROOT)/services/frontend/web -type f 2>/dev/null) \
  $(ROOT)/services/frontend/vite.config.mjs $(ROOT)/services/frontend/src/browser-config.ts \
  $(wildcard $(ROOT)/packages/api-contract/src/*.ts) $(ROOT)/package-lock.json

.PHONY: web-app

web-app: $(WEB_APP) ## Bundle the frontend's browser app (Vite) into services/frontend/dist/web
	@:

$(WEB_APP): $(WEB_APP_SOURCES)
	npm run --silent build:web --workspace services/frontend
	@touch $@

.PHONY: chromium

chromium: ## Debian's Chromium for the browser tests (test/browser), installed from Debian's packages when missing
	@$(ROOT)/scripts/ensure-chromium.sh
