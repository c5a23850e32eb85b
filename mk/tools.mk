# Tools, installed into the git-ignored $(ROOT)/.tools: Go-built ones (binaries in
# .tools/bin) and Schemathesis in a Python virtual environment of its own.
# Included by the root Makefile after it sets ROOT := $(CURDIR).
# Every tool is a real file target: built once and reused; a new version (or, for the
# collector, a changed manifest) builds into a new folder and .tools/bin is relinked.
# GOPATH/GOCACHE are left as the caller set them, so CI reuses the machine's caches.

HELM_VERSION := v4.3.1
HELM_MODULE := helm.sh/helm/v4
# The collector release: ocb (the builder) and every component in
# collector/builder-config.yaml must be this same release.
OTELCOL_VERSION := v0.162.0
KIND_VERSION := v0.33.0
# The node image that kind release starts clusters from (sigs.k8s.io/kind/pkg/apis/config/
# defaults); `make cluster` uses it wherever it can be pulled.
KIND_DEFAULT_NODE_IMAGE := docker.io/kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5
# skaffold for `make dev`, from the wrapper module k8s/skaffold (its go.mod pins the same
# version: bump both together). It runs `helm version --client`, which Helm 4 dropped, so it
# gets a Helm 3 of its own, first on its PATH.
SKAFFOLD_VERSION := v2.16.1
SKAFFOLD_HELM_VERSION := v3.22.0

TOOLS_DIR ?= $(ROOT)/.tools
TOOLS_BIN := $(TOOLS_DIR)/bin
TOOLS_GO_DIR := $(TOOLS_DIR)/go

HELM ?= $(TOOLS_BIN)/helm
KIND ?= $(TOOLS_BIN)/kind
SKAFFOLD ?= $(TOOLS_BIN)/skaffold
SKAFFOLD_HELM := $(TOOLS_GO_DIR)/helm-$(SKAFFOLD_HELM_VERSION)/helm
OCB := $(TOOLS_GO_DIR)/ocb-$(OTELCOL_VERSION)/builder

OTELCOL_MANIFEST := $(ROOT)/collector/builder-config.yaml
# The manifest's content names the build, so an edit rebuilds and a revert reuses.
OTELCOL_HASH := $(shell sha256sum $(OTELCOL_MANIFEST) | cut -c1-12)
# dist.output_path in the manifest, relative to $(ROOT) where ocb runs.
OTELCOL_BUILD_DIR := $(ROOT)/.tools/build/otelcol-cruddur
OTELCOL_DEFAULT := $(TOOLS_BIN)/otelcol-cruddur
# Point OTELCOL_BIN at any other collector binary and nothing is built.
OTELCOL_BIN ?= $(OTELCOL_DEFAULT)
export OTELCOL_BIN

# The caller's GOFLAGS (env or `go env -w`) plus -mod=mod; recursive (=) so `go env`
# only runs when something is built.
TOOLS_GOFLAGS = $(strip $(shell go env GOFLAGS) -mod=mod)

.PHONY: tools helm collector kind skaffold schemathesis clean-tools FORCE
tools: helm collector ## Build Helm and the collector into .tools/bin
helm: $(HELM) ## Build Helm into .tools/bin/helm (skipped if HELM points elsewhere)
kind: $(KIND) ## Build kind into .tools/bin/kind (its clusters need Docker or Podman)
skaffold: $(SKAFFOLD) $(SKAFFOLD_HELM) ## Build skaffold (and the Helm 3 it runs) into .tools
collector: ## Build the collector into .tools/bin/otelcol-cruddur (skipped if OTELCOL_BIN is set)

ifeq ($(abspath $(OTELCOL_BIN)),$(OTELCOL_DEFAULT))
collector: $(OTELCOL_DEFAULT)
else
collector:
	@test -x "$(OTELCOL_BIN)" || { echo "OTELCOL_BIN=$(OTELCOL_BIN) is not an executable file" >&2; exit 1; }
endif

$(TOOLS_GO_DIR)/helm-$(HELM_VERSION)/helm:
	@echo "building helm $(HELM_VERSION) (first time, a few minutes)…"
	GOBIN=$(@D) GOFLAGS="$(TOOLS_GOFLAGS)" go install \
	  -ldflags "-s -w -X $(HELM_MODULE)/internal/version.version=$(HELM_VERSION)" \
	  $(HELM_MODULE)/cmd/helm@$(HELM_VERSION)

$(TOOLS_GO_DIR)/kind-$(KIND_VERSION)/kind:
	@echo "building kind $(KIND_VERSION) (first time, a minute)…"
	GOBIN=$(@D) GOFLAGS="$(TOOLS_GOFLAGS)" go install -ldflags "-s -w" sigs.k8s.io/kind@$(KIND_VERSION)

$(TOOLS_GO_DIR)/helm-$(SKAFFOLD_HELM_VERSION)/helm:
	@echo "building helm $(SKAFFOLD_HELM_VERSION) for skaffold (first time, a few minutes)…"
	GOBIN=$(@D) GOFLAGS="$(TOOLS_GOFLAGS)" go install \
	  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$(SKAFFOLD_HELM_VERSION)" \
	  helm.sh/helm/v3/cmd/helm@$(SKAFFOLD_HELM_VERSION)

$(TOOLS_GO_DIR)/skaffold-$(SKAFFOLD_VERSION)/skaffold: $(ROOT)/k8s/skaffold/go.mod
	@grep -qE 'skaffold/v2 $(SKAFFOLD_VERSION)( |$$)' $< || { echo "k8s/skaffold/go.mod does not require skaffold $(SKAFFOLD_VERSION) (SKAFFOLD_VERSION in mk/tools.mk): bump both together" >&2; exit 1; }
	@echo "building skaffold $(SKAFFOLD_VERSION) (first time, about 3 minutes)…"
	cd $(ROOT)/k8s/skaffold && CGO_ENABLED=0 go build -trimpath -o $@ \
	  -ldflags "-s -w -X github.com/GoogleContainerTools/skaffold/v2/pkg/skaffold/version.version=$(SKAFFOLD_VERSION)" \
	  github.com/GoogleContainerTools/skaffold/v2/cmd/skaffold

$(OCB):
	@echo "building the collector builder (ocb) $(OTELCOL_VERSION)…"
	GOBIN=$(@D) GOFLAGS="$(TOOLS_GOFLAGS)" go install go.opentelemetry.io/collector/cmd/builder@$(OTELCOL_VERSION)

# -e: ocb runs `go mod tidy`, which also resolves the *test* imports of every dependency,
# and the file exporter's tests import modules the module proxy does not serve
# (otlpencodingextension, pkg/semconvtest). -e lets tidy carry on; the binary never imports
# them and a missing real import still fails `go build`. As tidy -e could quietly move a
# component to another version, strict versioning makes ocb fail unless every listed
# component resolved to exactly its manifest version. CGO_ENABLED=0: a static binary, like
# the official release, so the same file also runs in the stand-in collector image (FROM
# scratch).
$(TOOLS_GO_DIR)/otelcol-$(OTELCOL_VERSION)-$(OTELCOL_HASH)/otelcol-cruddur: | $(OCB)
	@grep -q 'otlpreceiver $(OTELCOL_VERSION)$$' $(OTELCOL_MANIFEST) || { echo "collector/builder-config.yaml is not at $(OTELCOL_VERSION) (OTELCOL_VERSION in mk/tools.mk): bump both together" >&2; exit 1; }
	@echo "building the collector $(OTELCOL_VERSION) (first time, a few minutes)…"
	@mkdir -p $(dir $(OTELCOL_BUILD_DIR)) $(@D)
	cd $(ROOT) && CGO_ENABLED=0 GOFLAGS="$(TOOLS_GOFLAGS) -e" $(OCB) --config $(OTELCOL_MANIFEST) --skip-strict-versioning=false
	install -m 0755 $(OTELCOL_BUILD_DIR)/otelcol-cruddur $@

# .tools/bin/<tool> -> ../go/<folder>/<tool>; relinked when it points at another folder
# (a symlink's mtime is its target's, so mtimes alone would miss a version revert).
define tool-link
$(TOOLS_BIN)/$(1): $(TOOLS_GO_DIR)/$(2)/$(1) $$(if $$(filter ../go/$(2)/$(1),$$(shell readlink $(TOOLS_BIN)/$(1) 2>/dev/null)),,FORCE)
	@mkdir -p $$(@D) && ln -sfn ../go/$(2)/$(1) $$@
endef
$(eval $(call tool-link,helm,helm-$(HELM_VERSION)))
$(eval $(call tool-link,kind,kind-$(KIND_VERSION)))
$(eval $(call tool-link,skaffold,skaffold-$(SKAFFOLD_VERSION)))
$(eval $(call tool-link,otelcol-cruddur,otelcol-$(OTELCOL_VERSION)-$(OTELCOL_HASH)))

# Schemathesis (make fuzz, make test): a virtual environment holding exactly the hashed
# pins of fuzz/requirements.txt, rebuilt when they change.
SCHEMATHESIS_VENV := $(TOOLS_DIR)/schemathesis
SCHEMATHESIS := $(SCHEMATHESIS_VENV)/bin/st
schemathesis: $(SCHEMATHESIS) ## Install Schemathesis (pinned in fuzz/requirements.txt) into .tools/schemathesis

$(SCHEMATHESIS): $(ROOT)/fuzz/requirements.txt
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null || { echo "make $@: Schemathesis needs Python 3.9 or newer as python3" >&2; exit 1; }
	@echo "installing Schemathesis into $(SCHEMATHESIS_VENV) (first time, about a minute)…"
	rm -rf $(SCHEMATHESIS_VENV)
	python3 -m venv $(SCHEMATHESIS_VENV)
	$(SCHEMATHESIS_VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $<
	@touch $@

FORCE:

clean-tools: ## Remove .tools (built tools; Go's own caches are kept)
	rm -rf $(TOOLS_DIR) $(ROOT)/.tools
