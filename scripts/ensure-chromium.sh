#!/usr/bin/env bash
# Debian's Chromium for the browser tests (test/browser): installed from Debian's packages when
# missing (as root on Debian; elsewhere it names the package). playwright-core drives it; no
# test tool downloads a browser of its own, which this project's machines could not fetch.
set -euo pipefail
# shellcheck source=lib/host-packages.sh
source "$(dirname "$0")/lib/host-packages.sh"
ensure_commands "browser tests" chromium:chromium
