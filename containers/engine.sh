#!/usr/bin/env bash
# The container engine the project builds, runs and hosts kind's nodes with.
#
#   containers/engine.sh detect   print `docker` or `podman` (CONTAINER_ENGINE wins), or fail
#                                 with what to do; changes nothing
#   containers/engine.sh setup    `make engine`: the same choice, made usable where possible
#                                 (as root on Debian with no usable engine: Podman and runc from
#                                 Debian's packages), proven by starting a privileged container, and
#                                 recorded in .tools/engine.mk for the Makefile
#
# Docker is used wherever it runs privileged containers (kind's nodes are privileged). Docker
# before 23 asks the kernel for every capability it knows for --privileged, so on a machine
# whose capability bounding set lacks CAP_SYS_RESOURCE it cannot start them; Podman grants
# only what the bounding set holds. A running engine's configuration is never changed: where
# Podman needs settings of its own (containers/containers.conf), they are chosen for the
# project's commands through CONTAINERS_CONF.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_DIR=${TOOLS_DIR:-$ROOT/.tools}
PROJECT_CONF=$ROOT/containers/containers.conf
ENGINE_MK=$TOOLS_DIR/engine.mk
PROBE_ROOT=$TOOLS_DIR/engine/probe-root
CAP_SYS_RESOURCE=24

# shellcheck source=../scripts/lib/host-packages.sh
. "$ROOT/scripts/lib/host-packages.sh"

say() { echo "engine: $*" >&2; }
die() { echo "engine: $*" >&2; exit 1; }

bounding_set_has() {
  local mask
  mask=$(awk '/^CapBnd:/ {print $2}' /proc/self/status 2>/dev/null) || return 0
  [ -n "$mask" ] || return 0
  (( (16#$mask >> $1) & 1 ))
}

docker_running() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

# Why Docker cannot run kind's privileged nodes here, or nothing when it can.
docker_privileged_blocker() {
  bounding_set_has "$CAP_SYS_RESOURCE" && return 0
  local version major
  version=$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo 0)
  major=${version%%.*}
  if [[ "$major" =~ ^[0-9]+$ ]] && (( major < 23 )); then
    echo "Docker $version cannot start privileged containers on a machine whose capability bounding set lacks CAP_SYS_RESOURCE"
  fi
}

detect() {
  case "${CONTAINER_ENGINE:-}" in
    docker|podman) echo "$CONTAINER_ENGINE"; return ;;
    "") ;;
    *) die "CONTAINER_ENGINE must be docker or podman (got \"$CONTAINER_ENGINE\")" ;;
  esac
  if docker_running && [ -z "$(docker_privileged_blocker)" ]; then
    echo docker
  elif command -v podman >/dev/null 2>&1; then
    echo podman
  else
    die "no usable container engine: start Docker (23 or newer), install Podman, or run 'make engine' as root on Debian to install Podman"
  fi
}

# A root filesystem of one static busybox: lets the check start a container without an image.
make_probe_root() {
  local busybox
  static_busybox() {
    for busybox in /bin/busybox /usr/bin/busybox; do
      [ -x "$busybox" ] && ! ldd "$busybox" >/dev/null 2>&1 && return 0
    done
    return 1
  }
  static_busybox || { apt_install engine busybox-static && static_busybox; } \
    || die "the check needs a static busybox (busybox-static)"
  mkdir -p "$PROBE_ROOT/bin"
  cp "$busybox" "$PROBE_ROOT/bin/busybox"
}

# Starts a privileged container with the given CONTAINERS_CONF (empty: Podman's own settings).
podman_privileged_ok() {
  local conf=$1
  ( [ -n "$conf" ] && export CONTAINERS_CONF="$conf" || unset CONTAINERS_CONF
    podman run --rm --privileged --network none --rootfs "$(realpath "$PROBE_ROOT")" /bin/busybox true ) \
    2>"$TOOLS_DIR/engine/podman-check.log"
}

setup_podman() {
  # runc: crun 1.8 (Podman's default in bookworm) refuses hybrid cgroup v1 hosts.
  ensure_commands engine podman:podman runc:runc || die "no usable container engine: install Docker (23 or newer) or Podman"
  mkdir -p "$TOOLS_DIR/engine"
  make_probe_root
  local conf=""
  if [ -n "${CONTAINERS_CONF:-}" ]; then
    conf=$CONTAINERS_CONF
    podman_privileged_ok "$conf" \
      || die "Podman with CONTAINERS_CONF=$conf cannot start a privileged container: $(tail -n1 "$TOOLS_DIR/engine/podman-check.log")"
  elif podman_privileged_ok ""; then
    conf=""
  elif podman_privileged_ok "$PROJECT_CONF"; then
    conf=$PROJECT_CONF
    say "Podman needs this machine's settings (containers/containers.conf): the project's commands use them through CONTAINERS_CONF"
  else
    die "Podman cannot start a privileged container, with its own settings or containers/containers.conf: $(tail -n1 "$TOOLS_DIR/engine/podman-check.log")"
  fi
  {
    echo "# Written by containers/engine.sh setup (make engine); delete it to choose again."
    echo "CONTAINER_ENGINE ?= podman"
    [ -z "$conf" ] || echo "export CONTAINERS_CONF ?= $conf"
  } >"$ENGINE_MK"
  say "using Podman $(podman version --format '{{.Client.Version}}' 2>/dev/null) (privileged containers start)${conf:+; CONTAINERS_CONF=$conf}"
}

setup() {
  mkdir -p "$TOOLS_DIR"
  local engine=${CONTAINER_ENGINE:-}
  if [ -z "$engine" ]; then
    if docker_running; then
      local blocker
      blocker=$(docker_privileged_blocker)
      if [ -z "$blocker" ]; then engine=docker; else say "$blocker: using Podman instead"; engine=podman; fi
    else
      engine=podman
      command -v docker >/dev/null 2>&1 && say "no Docker engine answers here: using Podman"
    fi
  fi
  case "$engine" in
    docker)
      docker_running || die "CONTAINER_ENGINE=docker, but no Docker engine answers (docker info failed)"
      printf '# Written by containers/engine.sh setup (make engine); delete it to choose again.\nCONTAINER_ENGINE ?= docker\n' >"$ENGINE_MK"
      say "using Docker $(docker version --format '{{.Server.Version}}' 2>/dev/null) (already running; its configuration is left as it is)"
      ;;
    podman) setup_podman ;;
    *) die "CONTAINER_ENGINE must be docker or podman (got \"$engine\")" ;;
  esac
}

case "${1:-}" in
  detect) detect ;;
  setup) setup ;;
  *) echo "usage: $0 detect|setup" >&2; exit 2 ;;
esac
