#!/usr/bin/env bash
# `make dev`: skaffold's dev loop against the kind cluster, with the project's pinned skaffold
# and the Helm 3 it needs (skaffold runs `helm version --client`, which Helm 4 dropped).
#
# Env (the Makefile sets them): SKAFFOLD, SKAFFOLD_HELM, KIND_BIN, KUBECTL_BIN, KUBE_CONTEXT,
# CONTAINER_ENGINE, TOOLS_DIR; SKAFFOLD_ARGS adds arguments (e.g. "--tail=false").
#
# With Podman, skaffold (and kind's image loading, which runs the docker CLI) talk to
# Podman's Docker-compatible API, served for the loop's lifetime on a socket under .tools.
set -euo pipefail
: "${SKAFFOLD:?}" "${SKAFFOLD_HELM:?}" "${KIND_BIN:?}" "${KUBECTL_BIN:?}" "${KUBE_CONTEXT:?}" "${CONTAINER_ENGINE:?}" "${TOOLS_DIR:?}"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# skaffold asks once whether to send usage data and, unanswered, turns it on: the project's
# own global config answers no, and update checks are off too.
config=$TOOLS_DIR/skaffold/config.yaml
mkdir -p "$(dirname "$config")"
[ -f "$config" ] || printf 'global:\n  collect-metrics: false\n  survey:\n    disable-prompt: true\n' >"$config"

export PATH="$(dirname "$SKAFFOLD_HELM"):$(dirname "$KIND_BIN"):$(dirname "$KUBECTL_BIN"):$PATH"
if [ "$CONTAINER_ENGINE" = podman ]; then
  export KIND_EXPERIMENTAL_PROVIDER=podman
  command -v docker >/dev/null || { echo "make dev: with Podman, kind loads images with the docker CLI: install it (Debian: podman-docker or docker.io's client)" >&2; exit 1; }
  socket=$TOOLS_DIR/podman/docker-api.sock
  mkdir -p "$(dirname "$socket")" && rm -f "$socket"
  podman system service --time=0 "unix://$socket" &
  service=$!
  trap 'kill "$service" 2>/dev/null; wait "$service" 2>/dev/null || true; rm -f "$socket"' EXIT
  for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
  [ -S "$socket" ] || { echo "make dev: podman system service did not open $socket" >&2; exit 1; }
  export DOCKER_HOST=unix://$socket
fi

cd "$ROOT"
# shellcheck disable=SC2086 # SKAFFOLD_ARGS is a list of words
"$SKAFFOLD" dev --kube-context "$KUBE_CONTEXT" --config "$config" --update-check=false ${SKAFFOLD_ARGS:-}
