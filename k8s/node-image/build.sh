#!/usr/bin/env bash
# Builds a kind node image on a machine that reaches no container registry: Kubernetes,
# etcd, CoreDNS, kube-router and a pause program from their Go modules, a Debian root from
# Debian's mirror, and the images kubeadm runs imported into the node's containerd under
# the exact names kubeadm asks for. Users with a registry use kind's own node image and
# never run this.
#
#   k8s/node-image/build.sh          build (or reuse) the image and print its name
#   NODE_IMAGE=name:tag build.sh     choose another name
#   NODE_IMAGE_FORCE=1 build.sh      rebuild even when the image's input hash matches
#
# Costly outputs live under .tools/node-image/ (git-ignored): the Go binaries (keyed by
# version, or by a hash of the project's own sources) and debootstrap's package cache. Go's
# own caches stay where Go keeps them. The finished image carries a label with a hash of
# every input (the files beside this script, docs aside, and the versions below): when it
# matches, nothing is rebuilt. README.md beside this script says what is inside and why.
set -euo pipefail

# --- versions: kubeadm 1.34.4 asks for exactly these image tags (build.sh checks) -------
readonly KUBE_VERSION=v1.34.4        # 1.34: kubelets from 1.35 refuse cgroup v1 by default
readonly ETCD_VERSION=v3.6.5         # the module version (etcd/go.mod)
readonly ETCD_TAG=3.6.5-0            # the image tag kubeadm 1.34 names
readonly COREDNS_VERSION=v1.12.1
readonly PAUSE_TAG=3.10.1
readonly KUBE_ROUTER_VERSION=v2.1.0
readonly CRICTL_VERSION=v1.34.0      # kind itself runs crictl in the nodes (image ids, logs)
readonly LOCAL_PATH_VERSION=v0.0.30  # the default StorageClass's provisioner, as kind's own image
readonly DEBIAN_SUITE=bookworm

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly ROOT
readonly SRC=$ROOT/k8s/node-image
readonly OUT=$ROOT/.tools/node-image
readonly BIN=$OUT/bin
readonly IMAGE=${NODE_IMAGE:-localhost/cruddur/kind-node:$KUBE_VERSION}
readonly INPUTS_LABEL=org.cruddur.node-image.inputs
# Podman settings of the project (runc, rlimits under this machine's hard limits).
if [[ -z ${CONTAINERS_CONF:-} && -f $ROOT/containers/containers.conf ]]; then
  export CONTAINERS_CONF=$ROOT/containers/containers.conf
fi

log() { printf 'node-image: %s\n' "$*" >&2; }
die() { printf 'node-image: error: %s\n' "$*" >&2; exit 1; }

# step NAME CMD...: runs one build step and reports how long it took.
step() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  log "$name done in $((SECONDS - start)) s"
}

# --- Go binaries -------------------------------------------------------------------------

# go_static: every binary goes into a FROM-scratch image or a minimal Debian root.
go_static() { CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go "$@"; }

# src_hash DIR: short hash of a folder of the project's own Go sources.
src_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12; }

build_kube() {
  local dir
  dir=$BIN/kube-$KUBE_VERSION-$(src_hash "$SRC/kube")
  KUBE_BIN=$dir
  [[ -x $dir/kubeadm && -x $dir/kube-proxy ]] && return 0
  log "building kubernetes $KUBE_VERSION (cold: ~5 min on 2 cores)…"
  local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  # The release's publication time, so that rebuilds are byte-identical.
  local date
  date=$(cd "$SRC/kube" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)
  local ldflags="-s -w" pkg key val
  # What upstream's hack/lib/version.sh sets, in both places it sets it.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    for key in gitVersion=$KUBE_VERSION gitMajor=1 gitMinor=$minor gitTreeState=clean buildDate=$date; do
      val=${key#*=}; key=${key%%=*}
      ldflags+=" -X $pkg.$key=$val"
    done
  done
  mkdir -p "$dir.tmp"
  (cd "$SRC/kube" && go_static build -trimpath -ldflags "$ldflags" -o "$dir.tmp/" \
    k8s.io/kubernetes/cmd/{kubeadm,kubelet,kubectl,kube-apiserver,kube-controller-manager,kube-scheduler,kube-proxy})
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

# build_own NAME VERSION [LDFLAGS]: one of the project's own modules beside this script
# (etcd/, pause/), keyed by its version and a hash of its sources; sets OWN_BIN.
build_own() {
  local name=$1 version=$2 ldflags=${3:-} dir
  dir=$BIN/$name-$version-$(src_hash "$SRC/$name")
  OWN_BIN=$dir/$name
  [[ -x $OWN_BIN ]] && return 0
  log "building $name $version…"
  mkdir -p "$dir"
  (cd "$SRC/$name" && go_static build -trimpath -ldflags "-s -w $ldflags" -o "$OWN_BIN" .)
}

build_etcd() {
  build_own etcd "$ETCD_VERSION"
  ETCD_BIN=$OWN_BIN
}

build_pause() {
  build_own pause "$PAUSE_TAG" "-X main.version=$PAUSE_TAG"
  PAUSE_BIN=$OWN_BIN
}

# go_install NAME MODULE/PKG VERSION [LDFLAGS]: a published command, built as published.
go_install() {
  local name=$1 pkg=$2 version=$3 ldflags=${4:-}
  local dir=$BIN/$name-$version
  [[ -x $dir/$name ]] && return 0
  mkdir -p "$dir.tmp"
  GOBIN=$dir.tmp go_static install -trimpath -ldflags "-s -w $ldflags" "$pkg@$version"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

build_coredns() {
  [[ -x $BIN/coredns-$COREDNS_VERSION/coredns ]] || log "building coredns $COREDNS_VERSION (cold: ~2 min)…"
  go_install coredns github.com/coredns/coredns "$COREDNS_VERSION"
}

build_kube_router() {
  [[ -x $BIN/kube-router-$KUBE_ROUTER_VERSION/kube-router ]] || log "building kube-router $KUBE_ROUTER_VERSION (cold: ~1.5 min)…"
  go_install kube-router github.com/cloudnativelabs/kube-router/v2/cmd/kube-router "$KUBE_ROUTER_VERSION" \
    "-X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$KUBE_ROUTER_VERSION"
}

build_crictl() {
  [[ -x $BIN/crictl-$CRICTL_VERSION/crictl ]] || log "building crictl $CRICTL_VERSION (cold: ~1 min)…"
  go_install crictl sigs.k8s.io/cri-tools/cmd/crictl "$CRICTL_VERSION" \
    "-X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION"
}

build_local_path() {
  [[ -x $BIN/local-path-provisioner-$LOCAL_PATH_VERSION/local-path-provisioner ]] || log "building local-path-provisioner $LOCAL_PATH_VERSION (cold: ~1 min)…"
  go_install local-path-provisioner github.com/rancher/local-path-provisioner "$LOCAL_PATH_VERSION"
}

build_binaries() {
  build_kube
  build_etcd
  build_pause
  build_coredns
  build_kube_router
  build_crictl
  build_local_path
}

# --- Debian roots ------------------------------------------------------------------------

# What every node runs: systemd as PID 1, containerd + runc, the CNI plugins, and the tools
# the kubelet, kubeadm and kube-proxy call.
readonly NODE_PACKAGES=systemd,systemd-sysv,dbus,containerd,runc,containernetworking-plugins,iptables,nftables,iproute2,conntrack,socat,ethtool,util-linux,mount,kmod,procps,ca-certificates,bash
# What kube-proxy and kube-router call (iptables with the nf_tables backend, as on the node).
readonly NET_PACKAGES=iptables,ipset,iproute2,conntrack,kmod

# debian_mirror: the mirror this machine's apt uses (never written into the project).
debian_mirror() {
  if [[ -n ${DEBIAN_MIRROR:-} ]]; then echo "$DEBIAN_MIRROR"; return; fi
  local uri=""
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z $uri && -f /etc/apt/sources.list ]]; then
    uri=$(awk '$1 == "deb" && !/security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
      /etc/apt/sources.list)
  fi
  [[ -n $uri ]] || die "no Debian mirror in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list: set DEBIAN_MIRROR"
  echo "$uri"
}

image_exists() { podman image exists "$1"; }

# slim_root DIR: what a container never uses (documentation other than licences, manuals,
# translations, apt's downloads and lists).
slim_root() {
  local dir=$1
  find "$dir/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
  find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$dir"/usr/share/{man,info,locale}/* "$dir"/var/cache/apt/*.bin \
    "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/var/log/*.log
}

# debian_root_image NAME PACKAGES: a debootstrapped Debian root as a Podman image, named by
# a hash of the suite and the package list. Podman's store is its cache; debootstrap keeps
# the downloaded packages under .tools so that a rebuild downloads nothing.
debian_root_image() {
  local name=$1 packages=$2 tag dir
  tag=localhost/cruddur/kind-node-parts/$name-root:$(echo "$DEBIAN_SUITE $packages" | sha256sum | cut -c1-12)
  if ! image_exists "$tag"; then
    log "debootstrap $DEBIAN_SUITE: $name root (cold: ~1-2 min)…"
    dir=$OUT/rootfs/$name
    rm -rf "$dir" && mkdir -p "$dir" "$OUT/debootstrap-cache"
    if ! debootstrap --variant=minbase --cache-dir="$OUT/debootstrap-cache" --include="$packages" \
      "$DEBIAN_SUITE" "$dir" "$(debian_mirror)" >"$OUT/debootstrap-$name.log" 2>&1; then
      tail -n 20 "$OUT/debootstrap-$name.log" >&2
      die "debootstrap failed (log: $OUT/debootstrap-$name.log)"
    fi
    slim_root "$dir"
    tar -C "$dir" --numeric-owner --xattrs --xattrs-include='*' -c . |
      podman import --quiet --message "debootstrap $DEBIAN_SUITE $packages" - "$tag" >/dev/null
    rm -rf "$dir"
  fi
  echo "$tag"
}

# --- the images kubeadm runs -------------------------------------------------------------

# Every image made here says so (LABEL syntax: the value quoted).
readonly PARTS_LABEL='org.cruddur.stand-in="built from source by k8s/node-image/build.sh"'

# drop_ref REF: a leftover of an interrupted build would stay behind, nameless, once REF
# names a new image.
drop_ref() { podman rmi "$1" >/dev/null 2>&1 || true; }

# scratch_image REF ENTRYPOINT_JSON USER FILE...: an image of static binaries and nothing
# else, like the distroless images upstream publishes. Each FILE is SRC:DEST[:CAPS].
scratch_image() {
  local ref=$1 entrypoint=$2 user=$3 dir spec src dest caps
  shift 3
  drop_ref "$ref"
  dir=$(mktemp -d "$OUT/ctx.XXXXXX")
  install -d -m 1777 "$dir/tmp"
  for spec in "$@"; do
    IFS=: read -r src dest caps <<<"$spec"
    install -D -m 0755 "$src" "$dir$dest"
    # File capabilities survive the tar, the import and containerd's unpacking.
    if [[ -n $caps ]]; then setcap "$caps" "$dir$dest"; fi
  done
  tar -C "$dir" --numeric-owner --owner=0 --group=0 --xattrs --xattrs-include='security.capability' -c . |
    podman import --quiet --change "ENTRYPOINT $entrypoint" --change "USER $user" \
      --change "ENV PATH=/usr/local/bin:/usr/bin:/bin" --change "LABEL $PARTS_LABEL" - "$ref" >/dev/null
  rm -rf "$dir"
}

# net_image REF BASE BINARY: a binary on the Debian root that has iptables and friends.
net_image() {
  local ref=$1 base=$2 binary=$3 dir
  drop_ref "$ref"
  dir=$(mktemp -d "$OUT/ctx.XXXXXX")
  install -m 0755 "$binary" "$dir/"
  printf 'FROM %s\nCOPY %s /usr/local/bin/\nLABEL %s\nENTRYPOINT ["/usr/local/bin/%s"]\n' \
    "$base" "$(basename "$binary")" "$PARTS_LABEL" "$(basename "$binary")" >"$dir/Containerfile"
  podman build --pull=never --quiet -t "$ref" "$dir" >/dev/null
  rm -rf "$dir"
}

# labelled_image REF BASE: BASE as it is, under another name, labelled as made here.
labelled_image() {
  local ref=$1 base=$2 dir
  drop_ref "$ref"
  dir=$(mktemp -d "$OUT/ctx.XXXXXX")
  printf 'FROM %s\nLABEL %s\n' "$base" "$PARTS_LABEL" >"$dir/Containerfile"
  podman build --pull=never --quiet -t "$ref" "$dir" >/dev/null
  rm -rf "$dir"
}

# check_consistency: names that other files repeat must match the versions. The CNI's
# manifest is not in the image (k8s/cluster.sh applies it once every node has registered).
check_consistency() {
  grep -qF "image: $LOCAL_PATH_IMAGE" "$SRC/files/kind/manifests/default-storage.yaml" &&
    grep -qF -- "--helper-image, $LOCAL_PATH_HELPER_IMAGE" "$SRC/files/kind/manifests/default-storage.yaml" ||
    die "files/kind/manifests/default-storage.yaml must run $LOCAL_PATH_IMAGE with the helper $LOCAL_PATH_HELPER_IMAGE"
  grep -qF "image: $KUBE_ROUTER_IMAGE" "$ROOT/k8s/cni/kube-router.yaml" ||
    die "k8s/cni/kube-router.yaml must run $KUBE_ROUTER_IMAGE"
  grep -qF "registry.k8s.io/pause:$PAUSE_TAG" "$SRC/files/etc/containerd/config.toml" ||
    die "files/etc/containerd/config.toml must name registry.k8s.io/pause:$PAUSE_TAG"
}

# expected_images: what kubeadm will run, as kubeadm itself lists it.
expected_images() {
  "$KUBE_BIN/kubeadm" config images list --kubernetes-version "$KUBE_VERSION" 2>/dev/null
}

KUBE_ROUTER_IMAGE=localhost/cruddur/kube-router:$KUBE_ROUTER_VERSION
LOCAL_PATH_IMAGE=localhost/cruddur/local-path-provisioner:$LOCAL_PATH_VERSION
# The provisioner's helper pods run a shell script (mkdir, rm): the minimal Debian root.
LOCAL_PATH_HELPER_IMAGE=localhost/cruddur/local-path-helper:$LOCAL_PATH_VERSION
# The node's own images beside the ones kubeadm runs: the CNI and the storage provisioner.
OWN_IMAGES=("$KUBE_ROUTER_IMAGE" "$LOCAL_PATH_IMAGE" "$LOCAL_PATH_HELPER_IMAGE")

# part_ref NAME: the name a part has in the engine's store while it is built. Never the
# registry.k8s.io name itself: that could replace a real image a person pulled. The node's
# containerd gets the registry name (import_images).
part_ref() { echo "localhost/cruddur/kind-node-parts/${1#registry.k8s.io/}"; }

# build_part_images: every image the node needs, saved as archives for containerd.
build_part_images() {
  local kube=$KUBE_BIN net_root ref
  net_root=$(debian_root_image net "$NET_PACKAGES")
  PART_IMAGES=(
    "registry.k8s.io/kube-apiserver:$KUBE_VERSION"
    "registry.k8s.io/kube-controller-manager:$KUBE_VERSION"
    "registry.k8s.io/kube-scheduler:$KUBE_VERSION"
    "registry.k8s.io/kube-proxy:$KUBE_VERSION"
    "registry.k8s.io/coredns/coredns:$COREDNS_VERSION"
    "registry.k8s.io/pause:$PAUSE_TAG"
    "registry.k8s.io/etcd:$ETCD_TAG"
  )
  local want
  want=$(expected_images)
  [[ $want == "$(printf '%s\n' "${PART_IMAGES[@]}")" ]] ||
    die "kubeadm $KUBE_VERSION expects other images than this script builds:"$'\n'"$want"
  log "packing the images kubeadm runs: ${PART_IMAGES[*]}, and ${OWN_IMAGES[*]}"
  local c
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    scratch_image "$(part_ref "$c:$KUBE_VERSION")" "[\"/usr/local/bin/$c\"]" 0:0 "$kube/$c:/usr/local/bin/$c"
  done
  net_image "$(part_ref "kube-proxy:$KUBE_VERSION")" "$net_root" "$kube/kube-proxy"
  net_image "$KUBE_ROUTER_IMAGE" "$net_root" "$BIN/kube-router-$KUBE_ROUTER_VERSION/kube-router"
  # CoreDNS runs as nonroot with the right to bind port 53, as the upstream image does.
  scratch_image "$(part_ref "coredns/coredns:$COREDNS_VERSION")" '["/coredns"]' 65532:65532 \
    "$BIN/coredns-$COREDNS_VERSION/coredns:/coredns:cap_net_bind_service=+ep"
  scratch_image "$(part_ref "pause:$PAUSE_TAG")" '["/pause"]' 65535:65535 "$PAUSE_BIN:/pause"
  scratch_image "$(part_ref "etcd:$ETCD_TAG")" '["/usr/local/bin/etcd"]' 0:0 "$ETCD_BIN:/usr/local/bin/etcd"
  scratch_image "$LOCAL_PATH_IMAGE" '["/local-path-provisioner"]' 0:0 \
    "$BIN/local-path-provisioner-$LOCAL_PATH_VERSION/local-path-provisioner:/local-path-provisioner"
  labelled_image "$LOCAL_PATH_HELPER_IMAGE" "$net_root"

  rm -rf "$OUT/images" && mkdir -p "$OUT/images"
  local i=0
  for ref in "${PART_IMAGES[@]}" "${OWN_IMAGES[@]}"; do
    [[ $ref == registry.k8s.io/* ]] && ref=$(part_ref "$ref")
    i=$((i + 1))
    podman save --quiet --format docker-archive -o "$OUT/images/$i.tar" "$ref" >/dev/null
    drop_ref "$ref" # the node image holds them; keep the engine's store tidy
  done
}

# --- the node image ----------------------------------------------------------------------

# build_node_root: the node's files on the Debian root (no images yet). The units a
# container must not run are masked: consoles, first-boot, remount and disk jobs, and
# apt's timers (a node never reaches a mirror).
build_node_root() {
  local base ctx
  base=$(debian_root_image node "$NODE_PACKAGES")
  ctx=$(mktemp -d "$OUT/ctx.XXXXXX")
  cp -a "$SRC/files" "$ctx/files"
  mkdir -p "$ctx/files/usr/bin" "$ctx/files/kind"
  install -m 0755 "$KUBE_BIN"/{kubeadm,kubelet,kubectl} "$ctx/files/usr/bin/"
  install -m 0755 "$BIN/crictl-$CRICTL_VERSION/crictl" "$ctx/files/usr/bin/"
  echo "$KUBE_VERSION" >"$ctx/files/kind/version"
  cat >"$ctx/Containerfile" <<EOF
FROM $base
COPY files/ /
RUN systemctl --quiet enable containerd.service kubelet.service \\
 && systemctl --quiet mask getty.target getty@.service console-getty.service systemd-firstboot.service \\
      systemd-remount-fs.service systemd-pstore.service e2scrub_reap.service \\
      apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer \\
 && systemctl --quiet set-default multi-user.target
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
STOPSIGNAL SIGRTMIN+3
EOF
  NODE_ROOT=localhost/cruddur/kind-node-parts/node-stage:$KUBE_VERSION
  drop_ref "$NODE_ROOT"
  podman build --pull=never --quiet -t "$NODE_ROOT" "$ctx" >/dev/null
  rm -rf "$ctx"
}

# wait_for TIMEOUT_S CMD...: polls CMD once a second until it succeeds or time runs out.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

# import_images: containerd in a build container imports the archives into the node's own
# store, and the container is committed as the node image. The container has no /var
# volume, so /var/lib/containerd ends up in the image; kind's /var volume starts as a copy
# of it. --no-unpack: containerd unpacks each image into the node's own /var on first use.
import_images() {
  local cid ref
  cid=$(podman run -d --privileged --tmpfs /run --stop-signal SIGTERM --entrypoint /usr/bin/containerd \
    -v "$OUT/images:/tmp/images:ro" "$NODE_ROOT")
  # shellcheck disable=SC2064 # cid is local: expand it now
  trap "podman rm -f $cid >/dev/null 2>&1 || true" EXIT
  wait_for 60 podman exec "$cid" ctr version || die "containerd did not start in the build container"
  for ref in "$OUT"/images/*.tar; do
    podman exec "$cid" ctr -n k8s.io images import --no-unpack "/tmp/images/$(basename "$ref")" >/dev/null
  done
  # From the build names to the names kubeadm asks for.
  for ref in "${PART_IMAGES[@]}"; do
    podman exec "$cid" ctr -n k8s.io images tag --force "$(part_ref "$ref")" "$ref" >/dev/null
    podman exec "$cid" ctr -n k8s.io images rm "$(part_ref "$ref")" >/dev/null
  done
  local have
  have=$(podman exec "$cid" ctr -n k8s.io images list -q)
  for ref in "${PART_IMAGES[@]}" "${OWN_IMAGES[@]}"; do
    grep -qxF "$ref" <<<"$have" || die "containerd did not import $ref (has: $have)"
  done
  podman stop -t 30 "$cid" >/dev/null
  local previous
  previous=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null) || true
  podman commit --quiet \
    --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
    --change 'STOPSIGNAL SIGRTMIN+3' \
    --change "LABEL $INPUTS_LABEL=$INPUTS" \
    --change "LABEL $PARTS_LABEL" \
    "$cid" "$IMAGE" >/dev/null
  podman rm -f "$cid" >/dev/null
  trap - EXIT
  # The image this one replaces (a GiB): gone unless a cluster's node still uses it.
  if [[ -n $previous ]]; then podman rmi "$previous" >/dev/null 2>&1 || true; fi
  drop_ref "$NODE_ROOT"
  rm -rf "$OUT/images"
}

# --- inputs and main ---------------------------------------------------------------------

# inputs_hash: the versions, the image name and every file beside this script but the docs.
inputs_hash() {
  {
    echo "$KUBE_VERSION $ETCD_VERSION $ETCD_TAG $COREDNS_VERSION $PAUSE_TAG $KUBE_ROUTER_VERSION $CRICTL_VERSION $LOCAL_PATH_VERSION"
    echo "$DEBIAN_SUITE $IMAGE"
    echo "$NODE_PACKAGES $NET_PACKAGES"
    (cd "$SRC" && find . -type f ! -name '*.md' -print0 | sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-16
}

check_tools() {
  local tool missing=()
  for tool in go podman debootstrap setcap tar flock; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  ((${#missing[@]} == 0)) || die "missing: ${missing[*]} (Debian: apt-get install golang podman debootstrap libcap2-bin)"
  [[ $(id -u) == 0 ]] || die "run as root: debootstrap and the node's privileged build container need it"
}

# ensure_kubectl: the host's kubectl for this cluster (`make deploy`, the live checks) is the
# node's own, of the cluster's version: linked from the binaries built here, or copied out
# of the cached image when this checkout never built them.
ensure_kubectl() {
  local dest=$ROOT/.tools/bin/kubectl cid
  [[ -x $dest ]] && return 0
  mkdir -p "$(dirname "$dest")"
  if [[ -n ${KUBE_BIN:-} && -x $KUBE_BIN/kubectl ]]; then
    install -m 0755 "$KUBE_BIN/kubectl" "$dest"
  else
    cid=$(podman create --entrypoint /bin/true "$IMAGE")
    podman cp "$cid:/usr/bin/kubectl" "$dest"
    podman rm "$cid" >/dev/null
  fi
  log "kubectl $KUBE_VERSION in .tools/bin"
}

main() {
  check_tools
  check_consistency
  # One build at a time per checkout (make targets and CI may start two).
  mkdir -p "$OUT"
  exec 9>"$OUT/.lock"
  flock 9
  INPUTS=$(inputs_hash)
  if [[ -z ${NODE_IMAGE_FORCE:-} ]] &&
    [[ $(podman image inspect --format "{{index .Labels \"$INPUTS_LABEL\"}}" "$IMAGE" 2>/dev/null) == "$INPUTS" ]]; then
    log "$IMAGE is up to date (inputs $INPUTS)"
    ensure_kubectl
    echo "$IMAGE"
    return
  fi
  local start=$SECONDS
  log "building $IMAGE (kubernetes $KUBE_VERSION, inputs $INPUTS)"
  rm -rf "$OUT"/ctx.*
  step "go binaries" build_binaries
  step "component images" build_part_images
  step "node root" build_node_root
  step "image import" import_images
  log "built $IMAGE in $((SECONDS - start)) s"
  ensure_kubectl
  echo "$IMAGE"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
