#!/usr/bin/env bash
# The kind cluster's life: `make cluster` and `make down` call this.
#
#   k8s/cluster.sh create   the network guard (Podman as root), the node image, kind create
#   k8s/cluster.sh delete   kind delete, a check that no node container is left, guard lifted
#
# Env (the Makefile sets them): KIND_BIN, KIND_CLUSTER, KIND_CONFIG, CONTAINER_ENGINE,
# KIND_NODE_IMAGE (optional: a node image to use as it is), KIND_DEFAULT_NODE_IMAGE (the
# node image this kind release uses by default).
#
# The node image: kind's own wherever the engine has it or can pull it; only where no
# registry answers is one built here (k8s/node-image/build.sh, Kubernetes from its Go
# modules). Users with a registry never see that path.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${KIND_BIN:?}" "${KIND_CLUSTER:?}" "${KIND_CONFIG:?}" "${CONTAINER_ENGINE:?}"
[ "$CONTAINER_ENGINE" != podman ] || export KIND_EXPERIMENTAL_PROVIDER=podman

# shellcheck source=../scripts/lib/host-packages.sh
. "$ROOT/scripts/lib/host-packages.sh"

say() { echo "cluster: $*" >&2; }
die() { echo "cluster: $*" >&2; exit 1; }

exists() { "$KIND_BIN" get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER"; }

# The guard keeps pod and service traffic on this machine (k8s/network-guard.sh). It edits
# the host's iptables, so it runs where the project owns the engine's network: Podman as
# root. Docker's own rules already isolate its networks, and Docker Desktop has no host
# iptables to edit.
guarded() { [ "$CONTAINER_ENGINE" = podman ] && [ "$(id -u)" = 0 ]; }

contain() {
  ensure_commands cluster nft:nftables iptables:iptables || die "the network guard needs nftables and iptables"
  "$ROOT/k8s/network-guard.sh" contain
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

create() {
  if exists; then
    say "kind cluster '$KIND_CLUSTER' already exists"
    if guarded; then contain; fi
    return
  fi
  local image started
  image=$(node_image)
  # Before any node starts: a pod's first packets must already be contained.
  if guarded; then contain; else say "network guard: not applied (it is for Podman as root; the engine's own network rules stand)"; fi
  say "creating kind cluster '$KIND_CLUSTER' from $KIND_CONFIG with $image…"
  started=$SECONDS
  if ! "$KIND_BIN" create cluster --name "$KIND_CLUSTER" --config "$KIND_CONFIG" --image "$image" --wait 180s; then
    if guarded && ! exists; then "$ROOT/k8s/network-guard.sh" lift; fi
    die "kind create cluster failed (above)"
  fi
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
