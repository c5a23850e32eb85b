# Containers: the engine, the images the chart and the Dockerfile name (stand-ins where no
# registry answers), the seven service images, and the tests that run them as the chart does.
# Included by the root Makefile (after ROOT, SHELL and PATH are set). containers/standins.sh
# finds the collector through OTELCOL_BIN, which mk/tools.mk exports.

# `make engine` records its choice (and, for Podman on a machine that needs them, the
# project's containers.conf) here; without it the engine is detected on each run. Empty counts
# as unset: a make that started before any engine was installed exports an empty
# CONTAINER_ENGINE to the makes it runs after `make engine` has installed one.
-include $(ROOT)/.tools/engine.mk
ifeq ($(strip $(CONTAINER_ENGINE)),)
CONTAINER_ENGINE := $(shell $(ROOT)/containers/engine.sh detect 2>/dev/null)
endif
export CONTAINER_ENGINE

# Image names: <prefix>/<service>:<tag>, one per folder of services/. Fully qualified, so
# Docker, Podman and the nodes' containerd all mean the same image by it.
DEPLOY_SERVICES := $(sort $(notdir $(patsubst %/package.json,%,$(wildcard $(ROOT)/services/*/package.json))))
IMAGE_REPO_PREFIX ?= docker.io/cruddur
# The images' tag: a hash of everything the Dockerfile copies, so `make images` and
# `make deploy` agree without a file between them, and any source change rolls the pods.
IMAGE_TAG ?= $(shell cd $(ROOT) && { ls Dockerfile .dockerignore package.json package-lock.json tsconfig.base.json tsconfig.json; \
  find packages services \( -name node_modules -o -name dist -o -name test \) -prune -o -type f ! -name '*.tsbuildinfo' ! -name '*.test.ts' -print; } \
  | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)

# docker build goes through BuildKit (cache mounts); podman build has them natively.
image-build = $(if $(filter docker,$(CONTAINER_ENGINE)),DOCKER_BUILDKIT=1 )$(CONTAINER_ENGINE) build

.PHONY: engine standins images test-containers containers-standins containers-images containers-test

# Each public target first runs `make engine`, then a fresh make that reads what it recorded.
engine: ## Make sure a container engine runs here (Docker if it can run kind's nodes, else Podman, installed as root on Debian)
	@$(ROOT)/containers/engine.sh setup

standins: engine ## The node, collector, Jaeger and PostgreSQL images: kept if present, else pulled, else built here as labelled stand-ins
	@$(MAKE) --no-print-directory containers-standins

images: engine ## Build the seven service images (<prefix>/<service>:<source hash>) with the engine
	@$(MAKE) --no-print-directory containers-images

# The container tests need an engine; `make test` runs them wherever one runs or can be
# started (in CI always, so a broken engine set-up fails CI instead of skipping the tests).
test-containers: ## Run the images as the chart runs them (engine, stand-ins and images first)
	@if reason=$$($(ROOT)/containers/engine.sh setup 2>&1); then \
	  $(MAKE) --no-print-directory containers-test IMAGE_TAG='$(IMAGE_TAG)'; \
	elif [ -n "$${CI:-}" ]; then echo "$$reason" >&2; exit 1; \
	else echo "make test: container tests not run: $$(tail -n1 <<<"$$reason")"; fi

containers-standins: collector install
	@$(ROOT)/containers/standins.sh

containers-images: install
	@$(ROOT)/containers/standins.sh node
	@# The tag is a hash of the sources, so an image that has it is current.
	@set -e; started=$$SECONDS; built=0; for s in $(DEPLOY_SERVICES); do \
	  image="$(IMAGE_REPO_PREFIX)/$$s:$(IMAGE_TAG)"; \
	  if $(CONTAINER_ENGINE) image inspect "$$image" >/dev/null 2>&1; then continue; fi; \
	  echo "images: building $$image with $(CONTAINER_ENGINE)"; \
	  $(image-build) --quiet --build-arg SERVICE=$$s -t "$$image" '$(ROOT)' >/dev/null; \
	  built=$$(( built + 1 )); \
	done; echo "images: $$built of the $(words $(DEPLOY_SERVICES)) built ($$(( SECONDS - started )) s); tag $(IMAGE_TAG)"

containers-test: containers-standins containers-images build
	IMAGE_REPO_PREFIX='$(IMAGE_REPO_PREFIX)' IMAGE_TAG='$(IMAGE_TAG)' jest --ci --config '$(ROOT)/jest.containers.config.js'
