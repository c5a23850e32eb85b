# The Kubernetes path: a kind cluster, the seven images, the Helm chart, the skaffold loop.
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
# A kind node image to use as it is (e.g. kindest/node:v1.33.1); empty: kind's default
# where it can be pulled, else one built on this machine (k8s/node-image).
KIND_NODE_IMAGE ?=
# kubectl: the one the node-image build made where it ran (.tools/bin/kubectl, the cluster's
# own version), else kubectl from PATH.
KUBECTL_BIN = $(or $(wildcard $(TOOLS_BIN)/kubectl),$(shell command -v kubectl 2>/dev/null),$(TOOLS_BIN)/kubectl)
KUBECTL_RUN = $(KUBECTL_BIN) --context '$(KUBE_CONTEXT)'

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
have-kubectl = $(shell { command -v kubectl || test -x '$(TOOLS_BIN)/kubectl'; } >/dev/null 2>&1 && echo y)
install-engine = a container engine (start Docker 23 or newer, or install Podman; as root on Debian, `make engine` installs Podman)
install-kind = kind (install it from kind.sigs.k8s.io, or install Go so that `make kind` builds it)
install-helm = helm (install Go so that `make helm` builds it into .tools/bin)
install-kubectl = kubectl (install it from kubernetes.io/docs/tasks/tools; where kind's node image is built here, that build puts one in .tools/bin)
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

# packages/cluster-check: the checks `make cluster` and `make deploy` run before they call
# the cluster ready (nodes, the CNI's state, every edge of the call graph).
CLUSTER_CHECK_JS := $(ROOT)/packages/cluster-check/dist/main.js
CLUSTER_CHECK = node $(CLUSTER_CHECK_JS)
$(CLUSTER_CHECK_JS): $(wildcard $(ROOT)/packages/cluster-check/src/*.ts) $(ROOT)/packages/cluster-check/tsconfig.json | install
	cd $(ROOT) && tsc -b packages/cluster-check

# What k8s/cluster.sh needs to know.
cluster-env = KIND_BIN='$(KIND_BIN)' KIND_CLUSTER='$(KIND_CLUSTER)' KIND_CONFIG='$(KIND_CONFIG)' \
  KIND_NODE_IMAGE='$(KIND_NODE_IMAGE)' KIND_DEFAULT_NODE_IMAGE='$(KIND_DEFAULT_NODE_IMAGE)' \
  KUBECTL_BIN='$(KUBECTL_BIN)' CLUSTER_CHECK='$(CLUSTER_CHECK)'

# With HONEYCOMB_API_KEY in the environment (as `make run` takes it), the release sends
# traces to Honeycomb through the chart's Secret. The key goes to Helm in a values file on a
# pipe: never on a command line, never printed.
honeycomb-values = $(if $(HONEYCOMB_API_KEY),-f <(printf 'honeycomb:\n  enabled: true\n  apiKey: "%s"\n' "$$HONEYCOMB_API_KEY"))

.PHONY: cluster deploy dev up down test-cluster check-cluster cluster-rounds

cluster: $(CLUSTER_CHECK_JS) ## Create the kind cluster (1 control plane + 2 workers; host ports 4567, 16686) and check its network; on an existing one, start stopped nodes and check (and repair) it
	@:$(call require,engine kind)
	@$(call ensure-go-tools,kind)
	@$(cluster-env) $(ROOT)/k8s/cluster.sh create

deploy: $(CLUSTER_CHECK_JS) ## Load the images into kind, helm upgrade --install --wait the chart (k8s/kind-values.yaml), then helm test and every edge of the call graph, pod to pod
	@:$(call require,engine kind helm kubectl)
	@$(call ensure-go-tools,kind helm)
	@$(call require-cluster)
	@$(call require-images)
	@echo "deploy: loading the seven images (and the collector's, Jaeger's and PostgreSQL's, where the engine has them) into the nodes…"
	@$(call kind-load,$(foreach s,$(DEPLOY_SERVICES),'$(IMAGE_REPO_PREFIX)/$(s):$(IMAGE_TAG)') $$($(ROOT)/containers/standins.sh --present collector jaeger postgres))
	@# The namespace enforces the restricted Pod Security profile: a pod the chart renders
	@# outside it is refused at admission, not merely warned about.
	@$(KUBECTL_RUN) get namespace '$(NAMESPACE)' >/dev/null 2>&1 || $(KUBECTL_RUN) create namespace '$(NAMESPACE)'
	@$(KUBECTL_RUN) label namespace '$(NAMESPACE)' --overwrite \
	  pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/warn=restricted >/dev/null
	$(HELM) upgrade --install '$(RELEASE)' '$(CHART)' --kube-context '$(KUBE_CONTEXT)' \
	  --namespace '$(NAMESPACE)' -f '$(KIND_VALUES)' $(honeycomb-values) \
	  $(foreach s,$(DEPLOY_SERVICES),--set 'services.$(s).image.repository=$(IMAGE_REPO_PREFIX)/$(s)' --set 'services.$(s).image.tag=$(IMAGE_TAG)') \
	  --wait --timeout '$(HELM_TIMEOUT)'
	$(HELM) test '$(RELEASE)' --kube-context '$(KUBE_CONTEXT)' --namespace '$(NAMESPACE)' --logs
	@$(CLUSTER_CHECK) edges --context '$(KUBE_CONTEXT)' --kubectl '$(KUBECTL_BIN)' --namespace '$(NAMESPACE)' --release '$(RELEASE)'
	@echo "frontend: http://localhost:3000   gateway: http://localhost:4567/api/health-check   traces: http://localhost:16686"

dev: ## skaffold dev on the kind cluster: sync + tsc --watch in the pods, port-forwards 4568 (gateway), 3001 (frontend), 16687 (Jaeger)
	@:$(call require,engine kind helm kubectl)
	@$(call ensure-go-tools,kind)
	@$(MAKE) --no-print-directory skaffold
	@$(call require-cluster)
	@SKAFFOLD='$(SKAFFOLD)' SKAFFOLD_HELM='$(SKAFFOLD_HELM)' KIND_BIN='$(KIND_BIN)' KUBECTL_BIN='$(KUBECTL_BIN)' \
	  KIND_CLUSTER='$(KIND_CLUSTER)' KUBE_CONTEXT='$(KUBE_CONTEXT)' TOOLS_DIR='$(TOOLS_DIR)' exec $(ROOT)/k8s/skaffold-dev.sh

up: ## engine + cluster + images + deploy: the whole traced system on kind, in one command
	@:$(call require,kind helm)
	@# Build the repo's kind/helm first if needed: a failed tool build must not leave a bare cluster.
	@$(call ensure-go-tools,kind helm)
	@$(ROOT)/containers/engine.sh setup
	@$(MAKE) --no-print-directory cluster
	@$(MAKE) --no-print-directory standins
	@$(MAKE) --no-print-directory images IMAGE_TAG='$(IMAGE_TAG)'
	@$(MAKE) --no-print-directory deploy IMAGE_TAG='$(IMAGE_TAG)'

down: ## Delete the kind cluster (and everything in it); checks that no node container is left
	@:$(call require,engine kind)
	@$(cluster-env) $(ROOT)/k8s/cluster.sh delete

# The live checks: `make up`, test/cluster against it, `make down` whatever happened
# (KEEP_CLUSTER=1 keeps it). skaffold is built first (from its Go module on a machine's first
# run), so the dev-loop check times the loop, not the build. .ci/run runs this after `make test`.
test-cluster: ## make up, then the live checks on the cluster (test/cluster), then make down
	@trap '[ -n "$${KEEP_CLUSTER:-}" ] || $(MAKE) --no-print-directory down' EXIT; \
	  $(MAKE) --no-print-directory up && $(MAKE) --no-print-directory skaffold && $(MAKE) --no-print-directory check-cluster

ROUNDS ?= 20
cluster-rounds: ## make cluster && make deploy ROUNDS times in a row (default 20, about 3 min each), counting working clusters; not in CI
	@$(ROOT)/k8s/cluster-rounds.sh '$(ROUNDS)'

check-cluster: build ## The live checks against the running cluster (test/cluster)
	@:$(call require,engine kind helm kubectl)
	@$(call require-cluster)
	KUBECTL='$(KUBECTL_BIN)' HELM='$(HELM)' KUBE_CONTEXT='$(KUBE_CONTEXT)' NAMESPACE='$(NAMESPACE)' RELEASE='$(RELEASE)' KIND_CLUSTER='$(KIND_CLUSTER)' \
	  jest --ci --config '$(ROOT)/jest.cluster.config.js'
