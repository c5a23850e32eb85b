# Sourced by the container and cluster scripts: what a step needs from the host, installed
# from Debian's packages when this is root on Debian, else named so the user can install it.

# apt_install WHO PACKAGE...: installs the packages (one `apt-get update` only if needed).
apt_install() {
  local who=$1
  shift
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: missing $* (install those packages, or run as root on Debian)" >&2
    return 1
  fi
  echo "$who: installing $* from Debian's packages…" >&2
  # Another apt run (an unattended upgrade, a second make) holds dpkg's lock for a while:
  # wait for it instead of failing.
  local apt=(apt-get -o DPkg::Lock::Timeout=300 -y -qq)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install "$@" >/dev/null 2>&1 \
    || { "${apt[@]}" update && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install "$@" >/dev/null; } \
    || { echo "$who: apt-get could not install $*" >&2; return 1; }
}

# ensure_commands WHO COMMAND:PACKAGE...: installs the package of every missing command.
ensure_commands() {
  local who=$1 pair missing=()
  shift
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] || apt_install "$who" "${missing[@]}"
}
