#!/usr/bin/env bash
# Keeps a kind cluster's traffic on this machine (kind with the Podman provider).
#
# A pod's packet to a Service's ClusterIP that kube-proxy has not rewritten yet is routed
# like any other: out of the node's default route, through the host, onto the host's
# network. Measured here once: a collector's connection to a ClusterIP left the machine
# and something outside answered. So the host forwards nothing from the kind network's
# bridge except back onto that bridge (node to node), and rejects the rest where it is
# forwarded. Loopback port mappings (kind's API server port, the extraPortMappings on
# 127.0.0.1) are the host talking to a node: they are not forwarded and keep working.
#
# The reject lives in an nftables table of its own, hooked into forwarding ahead of the
# iptables filter chains: netavark inserts its own ACCEPT-the-subnet jump at the top of
# FORWARD when it first creates its chains (seen here for IPv6 on the first node start),
# so a rule that must come first cannot live in FORWARD. A reject in any forward hook is
# final, whatever the other chains say. One iptables rule stays in FORWARD: accept node to
# node on the bridge, for hosts whose FORWARD policy is DROP (Docker sets it), where bridge
# netfilter would otherwise drop pod-addressed packets between nodes.
#
#   network-guard.sh prepare   host prerequisites of kind's Podman nodes (/lib/modules)
#   network-guard.sh contain   prepare, make sure the podman network exists, add the rules
#                              (run it before `kind create cluster`; idempotent)
#   network-guard.sh check     exit 1 with a message unless the rules are in place
#   network-guard.sh lift      remove exactly the rules contain added (refused while any
#                              container is still on the network)
#   network-guard.sh show      the rules with their packet counters
#
# Env: KIND_EXPERIMENTAL_PODMAN_NETWORK (kind's own override; default "kind"),
#      NETWORK_GUARD_FORCE=1 (lift even while containers are on the network).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
readonly NETWORK=${KIND_EXPERIMENTAL_PODMAN_NETWORK:-kind}
readonly CHAIN=CRUDDUR-KIND-GUARD
readonly TABLE=cruddur_kind_guard
readonly COMMENT="cruddur: keep kind network traffic on this host"
if [[ -z ${CONTAINERS_CONF:-} && -f $ROOT/containers/containers.conf ]]; then
  export CONTAINERS_CONF=$ROOT/containers/containers.conf
fi

log() { printf 'network-guard: %s\n' "$*" >&2; }
die() { printf 'network-guard: error: %s\n' "$*" >&2; exit 1; }

# kind's Podman nodes bind-mount /lib/modules read-only; a host without kernel modules
# (a kernel with everything built in) has no such directory and podman refuses the mount.
prepare() {
  if [[ ! -d /lib/modules ]]; then
    mkdir -p /lib/modules
    log "created the empty /lib/modules that kind's Podman nodes mount"
  fi
}

# kind_ula_subnet: the IPv6 subnet kind itself would pick for the network: fc00: followed
# by bytes 2..7 of sha1(name + attempt 0 as a little-endian int32), a /64.
kind_ula_subnet() {
  local h
  h=$({ printf '%s' "$NETWORK"; printf '\0\0\0\0'; } | sha1sum | cut -c1-16)
  printf 'fc00:%x:%x:%x::/64\n' "0x${h:4:4}" "0x${h:8:4}" "0x${h:12:4}"
}

# ensure_network: the network kind will attach its nodes to, created the way kind creates
# it (kind reuses an existing one), so that its bridge is known before any node starts.
ensure_network() {
  podman network exists "$NETWORK" && return 0
  log "creating podman network $NETWORK (as kind would)"
  podman network create -d=bridge --ipv6 --subnet "$(kind_ula_subnet)" "$NETWORK" >/dev/null 2>&1 ||
    podman network create -d=bridge "$NETWORK" >/dev/null
}

# bridge: the network's Linux bridge (podman names it when the network is created).
bridge() {
  local name
  name=$(podman network inspect "$NETWORK" --format '{{.NetworkInterface}}' 2>/dev/null) ||
    die "no podman network '$NETWORK': run '$0 contain' first"
  [[ -n $name ]] || die "podman network '$NETWORK' has no bridge interface"
  echo "$name"
}

# --- the reject: an nftables table of its own (IPv4 and IPv6) -----------------------------

# nft_table BRIDGE: everything forwarded from the bridge to another interface is rejected
# (counted, so a test can show it happened). Priority filter - 10: ahead of iptables.
nft_table() {
  cat <<EOF
table inet $TABLE {
  comment "$COMMENT"
  chain forward {
    type filter hook forward priority filter - 10; policy accept;
    iifname "$1" oifname != "$1" counter reject with icmpx type admin-prohibited
  }
}
EOF
}

add_nft() {
  # Declaring the table first makes the delete safe when it does not exist yet; the whole
  # file is one transaction, so there is no moment without the rule.
  { echo "table inet $TABLE"; echo "delete table inet $TABLE"; nft_table "$1"; } | nft -f -
}

remove_nft() {
  if nft list table inet "$TABLE" >/dev/null 2>&1; then nft delete table inet "$TABLE"; fi
}

check_nft() {
  local br=$1 rules
  rules=$(nft list chain inet "$TABLE" forward 2>/dev/null) || { echo "nft: no table inet $TABLE"; return; }
  grep -q "type filter hook forward priority filter - 10; policy accept;" <<<"$rules" ||
    echo "nft: table inet $TABLE has no forward hook ahead of iptables"
  grep -qE "iifname \"$br\" oifname != \"$br\" counter packets [0-9]+ bytes [0-9]+ reject with icmpx( type)? admin-prohibited" <<<"$rules" ||
    echo "nft: table inet $TABLE does not reject forwarding from $br to other interfaces"
}

# --- node to node: one ACCEPT in FORWARD (iptables, both families) ------------------------

# families: the iptables commands to manage (IPv6 too where the host has it: kind's
# network is dual-stack).
families() {
  echo iptables
  if command -v ip6tables >/dev/null && ip6tables -S FORWARD >/dev/null 2>&1; then echo ip6tables; fi
}

accept_rule() { ACCEPT_RULE=(-i "$1" -o "$1" -m comment --comment "$COMMENT" -j ACCEPT); }

# jump_rule_numbers IPT: the positions of contain's jump(s) in FORWARD, highest first.
jump_rule_numbers() {
  "$1" -L FORWARD --line-numbers -n | awk -v c="$CHAIN" '$2 == c {print $1}' | sort -rn
}

add_accept() {
  local ipt=$1 br=$2 n
  accept_rule "$br"
  "$ipt" -N "$CHAIN" 2>/dev/null || "$ipt" -F "$CHAIN"
  "$ipt" -A "$CHAIN" "${ACCEPT_RULE[@]}"
  for n in $(jump_rule_numbers "$ipt"); do "$ipt" -D FORWARD "$n"; done
  "$ipt" -I FORWARD 1 -m comment --comment "$COMMENT" -j "$CHAIN"
}

remove_accept() {
  local ipt=$1 n
  for n in $(jump_rule_numbers "$ipt"); do "$ipt" -D FORWARD "$n"; done
  if "$ipt" -S "$CHAIN" >/dev/null 2>&1; then
    "$ipt" -F "$CHAIN"
    "$ipt" -X "$CHAIN"
  fi
}

# check_accept IPT BRIDGE: prints what is wrong, if anything. Its position in FORWARD does
# not matter: nothing in FORWARD drops before the policy does.
check_accept() {
  local ipt=$1 br=$2
  accept_rule "$br"
  "$ipt" -C "$CHAIN" "${ACCEPT_RULE[@]}" 2>/dev/null ||
    echo "$ipt: chain $CHAIN does not accept node-to-node traffic on $br"
  "$ipt" -C FORWARD -m comment --comment "$COMMENT" -j "$CHAIN" 2>/dev/null ||
    echo "$ipt: FORWARD does not jump to $CHAIN"
}

# --- commands ----------------------------------------------------------------------------

contain() {
  prepare
  command -v nft >/dev/null || die "nft is missing (Debian: apt-get install nftables)"
  ensure_network
  local br ipt
  br=$(bridge)
  add_nft "$br"
  for ipt in $(families); do add_accept "$ipt" "$br"; done
  log "forwarding from bridge $br (podman network $NETWORK) now goes only back onto $br"
  check
}

check() {
  local br ipt problems
  br=$(bridge)
  problems=$(check_nft "$br")$'\n'
  for ipt in $(families); do
    problems+=$(check_accept "$ipt" "$br")$'\n'
  done
  problems=$(sed '/^$/d' <<<"$problems")
  if [[ -n $problems ]]; then
    printf 'network-guard: the kind network is NOT contained:\n%s\nnetwork-guard: run %s contain\n' \
      "$problems" "$0" >&2
    return 1
  fi
  log "contained: nothing is forwarded from $br except back onto it"
}

lift() {
  local ipt attached
  # Another cluster on the same network would lose its guard: lift after the last one.
  attached=$(podman ps --filter "network=$NETWORK" --format '{{.Names}}' 2>/dev/null | tr '\n' ' ')
  if [[ -n ${attached// /} && -z ${NETWORK_GUARD_FORCE:-} ]]; then
    die "containers still on network $NETWORK: $attached(delete their cluster first, or NETWORK_GUARD_FORCE=1)"
  fi
  remove_nft
  for ipt in $(families); do remove_accept "$ipt"; done
  log "removed table inet $TABLE and chain $CHAIN"
}

show() {
  nft list table inet "$TABLE"
  local ipt
  for ipt in $(families); do "$ipt" -L "$CHAIN" -v -n -x; done
}

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }

[[ $(id -u) == 0 ]] || die "run as root (host iptables)"
case ${1:-} in
  prepare) prepare ;;
  contain) contain ;;
  check) check ;;
  lift) lift ;;
  show) show ;;
  *) usage ;;
esac
