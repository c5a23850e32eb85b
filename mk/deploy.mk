# The Kubernetes path: a kind cluster, the six images, the Helm chart, the skaffold loop.
# Included by the root Makefile (after ROOT, SHELL and PATH are set), after mk/containers.mk
# (CONTAINER_ENGINE, DEPLOY_SERVICES, IMAGE_*); mk/tools.mk, included after this file,
# defines HELM, KIND and their builds, so those are only read inside recipes.
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
HELM_TIMEOUT ?= 5m

# kind from PATH, else the repo's own build (.tools/bin/kind, `make kind`). With Podman as
# the engine, kind runs its nodes through its podman provider.
KIND_BIN = $(or $(shell command -v kind 2>/dev/null),$(KIND))
KIND_RUN = $(if $(filter podman,$(CONTAINER_ENGINE)),KIND_EXPERIMENTAL_PROVIDER=podman )$(KIND_BIN)

# $(call require,<tool> ...): expands to nothing when every tool is there, else stops make
# with ONE line naming each missing tool and where to get it. Checked when the target's
# recipe is expanded, i.e. before its first command runs.
have-engine = $(if $(CONTAINER_ENGINE),y)
have-kind = $(shell { command -v kind || test -x '$(KIND)' || command -v go; } >/dev/null 2>&1 && echo y)
have-helm = $(shell { test -x '$(HELM)' || command -v go; } >/dev/null 2>&1 && echo y)
have-skaffold = $(shell command -v skaffold >/dev/null 2>&1 && echo y)
have-kubectl = $(shell command -v kubectl >/dev/null 2>&1 && echo y)
install-engine = a container engine (start Docker 23 or newer, or install Podman; as root on Debian, `make engine` installs Podman)
install-kind = kind (install it from kind.sigs.k8s.io, or install Go so that `make kind` builds it)
install-helm = helm (install Go so that `make helm` builds it into .tools/bin)
install-skaffold = skaffold v2 with Helm 4 support (install it from skaffold.dev)
install-kubectl = kubectl (install it from kubernetes.io/docs/tasks/tools)
require = $(eval _missing := $(foreach t,$(1),$(if $(have-$(t)),,$(t))))$(if $(_missing),$(error make $@: missing $(install-$(firstword $(_missing)))$(foreach t,$(wordlist 2,9,$(_missing)),; $(install-$(t)))))

# Builds the repo's own kind/helm when they are not there yet (the checks above made sure
# Go is available for that).
ensure-go-tools = $(if $(filter kind,$(1)),{ command -v kind >/dev/null 2>&1 || [ -x '$(KIND)' ] || $(MAKE) --no-print-directory kind; };) $(if $(filter helm,$(1)),{ [ -x '$(HELM)' ] || $(MAKE) --no-print-directory helm; };) :

define require-cluster
$(KIND_RUN) get clusters 2>/dev/null | grep -qx '$(KIND_CLUSTER)' \
  || { echo "make $@: no kind cluster '$(KIND_CLUSTER)': run 'make cluster' (or 'make up')" >&2; exit 1; }
endef

define require-images
missing=""; for s in $(DEPLOY_SERVICES); do \
  $(CONTAINER_ENGINE) image inspect "$(IMAGE_REPO_PREFIX)/$$s:$(IMAGE_TAG)" >/dev/null 2>&1 || missing="$$missing $$s"; \
done; \
[ -z "$$missing" ] || { echo "make $@: no $(IMAGE_REPO_PREFIX)/<service>:$(IMAGE_TAG) image for:$$missing; run 'make images' (sources changed since?)" >&2; exit 1; }
endef

# Copies images from the engine into every node: `kind load docker-image` runs the docker
# CLI whatever the provider, so with Podman the images go through an archive.
define kind-load
$(if $(filter podman,$(CONTAINER_ENGINE)),\
archive=$$(mktemp --suffix=.tar) && trap 'rm -f "$$archive"' EXIT && \
podman save --quiet --multi-image-archive --format docker-archive -o "$$archive" $(1) && \
$(KIND_RUN) load image-archive --name '$(KIND_CLUSTER)' "$$archive",\
$(KIND_RUN) load docker-image --name '$(KIND_CLUSTER)' $(1))
endef

# With HONEYCOMB_API_KEY in the environment (as `make run` takes it), the release sends
# traces to Honeycomb through the chart's Secret. The key goes to Helm in a values file on a
# pipe: never on a command line, never printed.
honeycomb-values = $(if $(HONEYCOMB_API_KEY),-f <(printf 'honeycomb:\n  enabled: true\n  apiKey: "%s"\n' "$$HONEYCOMB_API_KEY"))

.PHONY: cluster images deploy dev up down

cluster: ## Create the kind cluster (1 control plane + 2 workers; host ports 4567, 16686); no-op if it exists
	@:$(call require,engine kind)
	@$(call ensure-go-tools,kind)
	@if $(KIND_RUN) get clusters 2>/dev/null | grep -qx '$(KIND_CLUSTER)'; then \
	  echo "kind cluster '$(KIND_CLUSTER)' already exists (context $(KUBE_CONTEXT))"; \
	else \
	  $(KIND_RUN) create cluster --name '$(KIND_CLUSTER)' --config '$(KIND_CONFIG)' --wait 180s; \
	fi

deploy: ## Load the images into kind and helm upgrade --install --wait the chart (k8s/kind-values.yaml)
	@:$(call require,engine kind helm)
	@$(call ensure-go-tools,kind helm)
	@$(call require-cluster)
	@$(call require-images)
	@echo "deploy: loading the six images (and the collector's and Jaeger's, where the engine has them) into the nodes…"
	@$(call kind-load,$(foreach s,$(DEPLOY_SERVICES),'$(IMAGE_REPO_PREFIX)/$(s):$(IMAGE_TAG)') $$($(ROOT)/containers/standins.sh --present collector jaeger))
	$(HELM) upgrade --install '$(RELEASE)' '$(CHART)' --kube-context '$(KUBE_CONTEXT)' \
	  --namespace '$(NAMESPACE)' --create-namespace -f '$(KIND_VALUES)' $(honeycomb-values) \
	  $(foreach s,$(DEPLOY_SERVICES),--set 'services.$(s).image.repository=$(IMAGE_REPO_PREFIX)/$(s)' --set 'services.$(s).image.tag=$(IMAGE_TAG)') \
	  --wait --timeout '$(HELM_TIMEOUT)'
	$(HELM) test '$(RELEASE)' --kube-context '$(KUBE_CONTEXT)' --namespace '$(NAMESPACE)' --logs
	@echo "gateway: http://localhost:4567/api/health-check   traces: http://localhost:16686"

dev: ## skaffold dev on the kind cluster: sync + tsc --watch in the pods, port-forwards 4568/16687
	@:$(call require,engine kind helm skaffold kubectl)
	@$(call ensure-go-tools,kind helm)
	@$(call require-cluster)
	@# skaffold runs `helm` (the repo's) and `kind load` from PATH.
	cd '$(ROOT)' && PATH="$(dir $(HELM)):$(dir $(KIND_BIN)):$$PATH" skaffold dev --kube-context '$(KUBE_CONTEXT)'

up: ## engine + cluster + images + deploy: the whole traced system on kind, in one command
	@:$(call require,kind helm)
	@# Build the repo's kind/helm first if needed: a failed tool build must not leave a bare cluster.
	@$(call ensure-go-tools,kind helm)
	@$(ROOT)/containers/engine.sh setup
	@$(MAKE) --no-print-directory cluster
	@$(MAKE) --no-print-directory standins
	@$(MAKE) --no-print-directory images IMAGE_TAG='$(IMAGE_TAG)'
	@$(MAKE) --no-print-directory deploy IMAGE_TAG='$(IMAGE_TAG)'

down: ## Delete the kind cluster (and everything in it)
	@:$(call require,engine kind)
	@if $(KIND_RUN) get clusters 2>/dev/null | grep -qx '$(KIND_CLUSTER)'; then \
	  $(KIND_RUN) delete cluster --name '$(KIND_CLUSTER)'; \
	else echo "no kind cluster '$(KIND_CLUSTER)'"; fi
