# The Kubernetes path: a kind cluster, the six images, the Helm chart, the skaffold loop.
# Included by the root Makefile (after ROOT, SHELL and PATH are set); mk/tools.mk, included
# after this file, defines HELM, KIND and their `make helm` / `make kind` builds, so those
# are only read inside recipes (expanded when they run).
#
# Every target first checks ALL the tools it needs and, if one is missing, stops with one
# line saying what to install, before it touches anything: nothing half-applies.

KIND_CLUSTER ?= cruddur
KUBE_CONTEXT ?= kind-$(KIND_CLUSTER)
NAMESPACE ?= cruddur
RELEASE ?= cruddur
CHART := $(ROOT)/charts/cruddur
KIND_CONFIG := $(ROOT)/k8s/kind-config.yaml
KIND_VALUES := $(ROOT)/k8s/kind-values.yaml
# Image names: cruddur/<service>, one per folder of services/ (what the chart and skaffold use).
DEPLOY_SERVICES := $(sort $(notdir $(patsubst %/package.json,%,$(wildcard $(ROOT)/services/*/package.json))))
IMAGE_REPO_PREFIX ?= cruddur
# The images' tag: a hash of everything the Dockerfile copies, so `make images` and
# `make deploy` agree without a file between them, and any source change rolls the pods.
IMAGE_TAG ?= $(shell cd $(ROOT) && { ls Dockerfile .dockerignore package.json package-lock.json tsconfig.base.json tsconfig.json; \
  find packages services \( -name node_modules -o -name dist -o -name test \) -prune -o -type f ! -name '*.tsbuildinfo' ! -name '*.test.ts' -print; } \
  | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)
HELM_TIMEOUT ?= 5m

# kind from PATH, else the repo's own build (.tools/bin/kind, `make kind`).
KIND_BIN = $(or $(shell command -v kind 2>/dev/null),$(KIND))

# $(call require,<tool> ...): expands to nothing when every tool is there, else stops make
# with ONE line naming each missing tool and where to get it. Checked when the target's
# recipe is expanded, i.e. before its first command runs.
have-docker = $(shell command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && echo y)
have-kind = $(shell { command -v kind || test -x '$(KIND)' || command -v go; } >/dev/null 2>&1 && echo y)
have-helm = $(shell { test -x '$(HELM)' || command -v go; } >/dev/null 2>&1 && echo y)
have-skaffold = $(shell command -v skaffold >/dev/null 2>&1 && echo y)
have-kubectl = $(shell command -v kubectl >/dev/null 2>&1 && echo y)
install-docker = docker with a running engine (install Docker Engine or Docker Desktop and start it)
install-kind = kind (install it from kind.sigs.k8s.io, or install Go so that `make kind` builds it)
install-helm = helm (install Go so that `make helm` builds it into .tools/bin)
install-skaffold = skaffold v2 with Helm 4 support (install it from skaffold.dev)
install-kubectl = kubectl (install it from kubernetes.io/docs/tasks/tools)
require = $(eval _missing := $(foreach t,$(1),$(if $(have-$(t)),,$(t))))$(if $(_missing),$(error make $@: missing $(install-$(firstword $(_missing)))$(foreach t,$(wordlist 2,9,$(_missing)),; $(install-$(t)))))

# Builds the repo's own kind/helm when they are not there yet (the checks above made sure
# Go is available for that).
ensure-go-tools = $(if $(filter kind,$(1)),{ command -v kind >/dev/null 2>&1 || [ -x '$(KIND)' ] || $(MAKE) --no-print-directory kind; };) $(if $(filter helm,$(1)),{ [ -x '$(HELM)' ] || $(MAKE) --no-print-directory helm; };) :

define require-cluster
$(KIND_BIN) get clusters 2>/dev/null | grep -qx '$(KIND_CLUSTER)' \
  || { echo "make $@: no kind cluster '$(KIND_CLUSTER)': run 'make cluster' (or 'make up')" >&2; exit 1; }
endef

define require-images
missing=""; for s in $(DEPLOY_SERVICES); do \
  docker image inspect "$(IMAGE_REPO_PREFIX)/$$s:$(IMAGE_TAG)" >/dev/null 2>&1 || missing="$$missing $$s"; \
done; \
[ -z "$$missing" ] || { echo "make $@: no $(IMAGE_REPO_PREFIX)/<service>:$(IMAGE_TAG) image for:$$missing; run 'make images' (sources changed since?)" >&2; exit 1; }
endef

.PHONY: cluster images deploy dev up down

cluster: ## Create the kind cluster (1 control plane + 2 workers; host ports 4567, 16686); no-op if it exists
	@:$(call require,docker kind)
	@$(call ensure-go-tools,kind)
	@if $(KIND_BIN) get clusters 2>/dev/null | grep -qx '$(KIND_CLUSTER)'; then \
	  echo "kind cluster '$(KIND_CLUSTER)' already exists (context $(KUBE_CONTEXT))"; \
	else \
	  $(KIND_BIN) create cluster --name '$(KIND_CLUSTER)' --config '$(KIND_CONFIG)' --wait 180s; \
	fi

images: ## Build the six service images (cruddur/<service>:<source hash>) with docker
	@:$(call require,docker)
	@set -e; for s in $(DEPLOY_SERVICES); do \
	  echo "building $(IMAGE_REPO_PREFIX)/$$s:$(IMAGE_TAG)"; \
	  DOCKER_BUILDKIT=1 docker build --build-arg SERVICE=$$s -t "$(IMAGE_REPO_PREFIX)/$$s:$(IMAGE_TAG)" '$(ROOT)'; \
	done

deploy: ## Load the images into kind and helm upgrade --install --wait the chart (k8s/kind-values.yaml)
	@:$(call require,docker kind helm)
	@$(call ensure-go-tools,kind helm)
	@$(call require-cluster)
	@$(call require-images)
	$(KIND_BIN) load docker-image --name '$(KIND_CLUSTER)' $(foreach s,$(DEPLOY_SERVICES),'$(IMAGE_REPO_PREFIX)/$(s):$(IMAGE_TAG)')
	$(HELM) upgrade --install '$(RELEASE)' '$(CHART)' --kube-context '$(KUBE_CONTEXT)' \
	  --namespace '$(NAMESPACE)' --create-namespace -f '$(KIND_VALUES)' \
	  $(foreach s,$(DEPLOY_SERVICES),--set 'services.$(s).image.repository=$(IMAGE_REPO_PREFIX)/$(s)' --set 'services.$(s).image.tag=$(IMAGE_TAG)') \
	  --wait --timeout '$(HELM_TIMEOUT)'
	$(HELM) test '$(RELEASE)' --kube-context '$(KUBE_CONTEXT)' --namespace '$(NAMESPACE)' --logs
	@echo "gateway: http://localhost:4567/api/health-check   traces: http://localhost:16686"

dev: ## skaffold dev on the kind cluster: sync + tsc --watch in the pods, port-forwards 4568/16687
	@:$(call require,docker kind helm skaffold kubectl)
	@$(call ensure-go-tools,kind helm)
	@$(call require-cluster)
	@# skaffold runs `helm` (the repo's) and `kind load` from PATH.
	cd '$(ROOT)' && PATH="$(dir $(HELM)):$(dir $(KIND_BIN)):$$PATH" skaffold dev --kube-context '$(KUBE_CONTEXT)'

up: ## cluster + images + deploy: the whole traced system on kind, in one command
	@:$(call require,docker kind helm)
	@# Build the repo's kind/helm first if needed: a failed tool build must not leave a bare cluster.
	@$(call ensure-go-tools,kind helm)
	@$(MAKE) --no-print-directory cluster
	@$(MAKE) --no-print-directory images IMAGE_TAG='$(IMAGE_TAG)'
	@$(MAKE) --no-print-directory deploy IMAGE_TAG='$(IMAGE_TAG)'

down: ## Delete the kind cluster (and everything in it)
	@:$(call require,docker kind)
	@if $(KIND_BIN) get clusters 2>/dev/null | grep -qx '$(KIND_CLUSTER)'; then \
	  $(KIND_BIN) delete cluster --name '$(KIND_CLUSTER)'; \
	else echo "no kind cluster '$(KIND_CLUSTER)'"; fi
