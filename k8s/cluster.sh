#!/usr/bin/env bash
# The kind cluster's life: `make cluster` and `make down` call this.
#
#   k8s/cluster.sh create   the network guard (Podman as root), the node image, kind create,
#                           the CNI once every node has registered, then the network check;
#                           on a cluster that exists: its stopped nodes started, then the
#                           same check (with repairs), or a refusal that says what to run
#   k8s/cluster.sh delete   kind delete, a check that no node container is left, guard lifted
#
# Env (the Makefile sets them): KIND_BIN, KIND_CLUSTER, KIND_CONFIG, CONTAINER_ENGINE,
# KUBECTL_BIN, CLUSTER_CHECK (the command that runs packages/cluster-check), KIND_NODE_IMAGE
# (optional: a node image to use as it is), KIND_DEFAULT_NODE_IMAGE (the node image this
# kind release uses by default).
#
# The node image: kind's own wherever the engine has it or can pull it; only where no
# registry answers is one built here (k8s/node-image/build.sh, Kubernetes from its Go
# modules). Users with a registry never see that path, and their clusters run kind's own
# CNI (kindnet); clusters from the image built here run kube-router (k8s/cni/kube-router.yaml).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${KIND_BIN:?}" "${KIND_CLUSTER:?}" "${KIND_CONFIG:?}" "${CONTAINER_ENGINE:?}" "${KUBECTL_BIN:?}" "${CLUSTER_CHECK:?}"
[ "$CONTAINER_ENGINE" != podman ] || export KIND_EXPERIMENTAL_PROVIDER=podman

# shellcheck source=../scripts/lib/host-packages.sh
. "$ROOT/scripts/lib/host-packages.sh"

say() { echo "cluster: $*" >&2; }
die() { echo "cluster: $*" >&2; exit 1; }

exists() { "$KIND_BIN" get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER"; }

# kubectl: KUBECTL_BIN, or the one the node image build has just put in .tools/bin (the
# Makefile picks before that build runs).
resolve_kubectl() {
  if ! command -v "$KUBECTL_BIN" >/dev/null 2>&1 && [ -x "$ROOT/.tools/bin/kubectl" ]; then KUBECTL_BIN=$ROOT/.tools/bin/kubectl; fi
  command -v "$KUBECTL_BIN" >/dev/null 2>&1 || die "kubectl is missing (install it from kubernetes.io/docs/tasks/tools)"
}

kubectl() { "$KUBECTL_BIN" --context "kind-$KIND_CLUSTER" "$@"; }

# The network check of packages/cluster-check: nodes against their containers, Ready, and
# kube-router's state on each node (restarted where it is partial).
check_network() {
  # shellcheck disable=SC2086 # CLUSTER_CHECK is a command with its arguments
  $CLUSTER_CHECK network --context "kind-$KIND_CLUSTER" --kubectl "$KUBECTL_BIN" \
    --engine "$CONTAINER_ENGINE" --kind-cluster "$KIND_CLUSTER" --repair "$@"
}

# node_containers: "name running" (true or false) of each node container of the cluster.
# Read with inspect: `ps --format {{.State}}` says "running" in Docker, "Up 3 minutes" in Podman.
node_containers() {
  local ids
  ids=$("$CONTAINER_ENGINE" ps --all --quiet --filter "label=io.x-k8s.kind.cluster=$KIND_CLUSTER")
  [ -n "$ids" ] || return 0
  # shellcheck disable=SC2086 # one argument per id
  "$CONTAINER_ENGINE" inspect --format '{{.Name}} {{.State.Running}}' $ids | sed 's|^/||'
}

# The nodes KIND_CONFIG asks for.
configured_nodes() { grep -cE '^[[:space:]]*-[[:space:]]*role:' "$KIND_CONFIG"; }
# The guard keeps pod and service traffic on this machine (k8s/network-guard.sh). It edits
# the host's iptables, so it runs where the project owns the engine's network: Podman as
# root. Docker's own rules already isolate its networks, and Docker Desktop has no host
# iptables to edit.
guarded() { [ "$CONTAINER_ENGINE" = podman ] && [ "$(id -u)" = 0 ]; }

contain() {
  ensure_commands cluster nft:nftables iptables:iptables || die "the network guard needs nftables and iptables"
  "$ROOT/k8s/network-guard.sh" contain
}

# built_here IMAGE: whether k8s/node-image/build.sh made the image (it labels what it makes).
built_here() {
  [ -n "$("$CONTAINER_ENGINE" image inspect --format '{{ index .Labels "org.cruddur.node-image.inputs" }}' "$1" 2>/dev/null | grep -v '<no value>')" ]
}

node_image() {
  if [ -n "${KIND_NODE_IMAGE:-}" ]; then
    echo "$KIND_NODE_IMAGE"
  elif [ -n "${KIND_DEFAULT_NODE_IMAGE:-}" ] && { "$CONTAINER_ENGINE" image inspect "$KIND_DEFAULT_NODE_IMAGE" >/dev/null 2>&1 \
      || timeout 600 "$CONTAINER_ENGINE" pull "$KIND_DEFAULT_NODE_IMAGE" >/dev/null 2>&1; }; then
    echo "$KIND_DEFAULT_NODE_IMAGE"
  else
    [ "$CONTAINER_ENGINE" = podman ] || die "kind's node image $KIND_DEFAULT_NODE_IMAGE cannot be pulled, and building one here needs Podman (CONTAINER_ENGINE=podman)"
    say "kind's node image cannot be pulled: using one made on this machine (k8s/node-image/build.sh: reused when current, else built; cold about 15 min)"
    ensure_commands cluster debootstrap:debootstrap setcap:libcap2-bin flock:util-linux || die "the node image build needs those packages"
    "$ROOT/k8s/node-image/build.sh"
  fi
}

# A cluster that exists: all its node containers there, the stopped ones started (control
# plane first), then the network check. Anything it cannot repair stops `make up` here,
# with the reason, before any image is loaded or chart deployed.
verify() {
  local containers stopped want have
  containers=$(node_containers)
  want=$(configured_nodes)
  have=$(grep -c . <<<"$containers" || true)
  if [ "$have" -ne "$want" ]; then
    die "cluster '$KIND_CLUSTER' has $have node containers, $KIND_CONFIG asks for $want (an interrupted create or delete?): run 'make down && make up'"
  fi
  stopped=$(awk '$2 != "true" {print $1}' <<<"$containers" | sort)
  if [ -n "$stopped" ]; then
    say "starting stopped nodes: $(echo $stopped)"
    # The control plane first: the workers' kubelets need its API server.
    # shellcheck disable=SC2046
    "$CONTAINER_ENGINE" start $(grep -- '-control-plane' <<<"$stopped") $(grep -v -- '-control-plane' <<<"$stopped") >/dev/null
  fi
  say "checking cluster '$KIND_CLUSTER' before using it…"
  check_network
}

# Clusters from the node image built here come up with no CNI; kube-router is applied once
# every node has registered and has its pod CIDR (k8s/cni/kube-router.yaml says why).
apply_kube_router() {
  local want=$1 nodes
  say "waiting for all $want nodes to register, then applying kube-router…"
  for _ in $(seq 1 120); do
    nodes=$(kubectl get nodes -o jsonpath='{range .items[*]}{.spec.podCIDR}{"\n"}{end}' 2>/dev/null | grep -c . || true)
    [ "$nodes" -ge "$want" ] && break
    sleep 1
  done
  [ "$nodes" -ge "$want" ] || die "only $nodes of $want nodes registered with a pod CIDR after 120 s"
  kubectl create configmap kube-router-api --namespace kube-system \
    --from-literal=endpoint="$KIND_CLUSTER-control-plane:6443" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl apply -f "$ROOT/k8s/cni/kube-router.yaml" >/dev/null
  kubectl rollout status daemonset/kube-router --namespace kube-system --timeout=180s >/dev/null
}

create() {
  if exists; then
    say "kind cluster '$KIND_CLUSTER' already exists"
    if guarded; then contain; fi
    resolve_kubectl
    verify
    return
  fi
  local image started config own_cni=
  image=$(node_image)
  resolve_kubectl
  config=$KIND_CONFIG
  if built_here "$image"; then
    own_cni=1
    grep -q '^networking:' "$KIND_CONFIG" && die "$KIND_CONFIG has a networking section: cluster.sh adds disableDefaultCNI to it for the node image built here"
    config=$(mktemp --suffix=.yaml)
    trap 'rm -f "$config"' RETURN
    { cat "$KIND_CONFIG"; printf 'networking:\n  disableDefaultCNI: true # k8s/cluster.sh applies kube-router itself\n'; } >"$config"
  fi
  # Before any node starts: a pod's first packets must already be contained.
  if guarded; then contain; else say "network guard: not applied (it is for Podman as root; the engine's own network rules stand)"; fi
  say "creating kind cluster '$KIND_CLUSTER' from $KIND_CONFIG with $image…"
  started=$SECONDS
  # With no CNI yet the nodes cannot be Ready, so kind waits only for its own steps; the
  # network check below waits for Ready.
  local wait=(--wait 180s)
  [ -z "$own_cni" ] || wait=()
  if ! "$KIND_BIN" create cluster --name "$KIND_CLUSTER" --config "$config" --image "$image" "${wait[@]}"; then
    if guarded && ! exists; then "$ROOT/k8s/network-guard.sh" lift; fi
    die "kind create cluster failed (above)"
  fi
  if [ -n "$own_cni" ]; then apply_kube_router "$(configured_nodes)"; fi
  check_network
  say "cluster '$KIND_CLUSTER' ready in $((SECONDS - started)) s"
}

delete() {
  if exists; then
    "$KIND_BIN" delete cluster --name "$KIND_CLUSTER"
  else
    say "no kind cluster '$KIND_CLUSTER'"
  fi
  local left
  left=$("$CONTAINER_ENGINE" ps --all --quiet --filter "label=io.x-k8s.kind.cluster=$KIND_CLUSTER" 2>/dev/null || true)
  [ -z "$left" ] || die "containers of cluster '$KIND_CLUSTER' are still there: $(echo $left)"
  if guarded; then "$ROOT/k8s/network-guard.sh" lift; fi
}

case "${1:-}" in
  create) create ;;
  delete) delete ;;
  *) echo "usage: $0 create|delete" >&2; exit 2 ;;
esac
