#!/bin/sh
# The stand-in node image's entrypoint, behaving as the official one: when the first
# argument is an option (`-e …`) or not a command on PATH, it is handed to node.
set -e
if [ "${1#-}" != "$1" ] || ! command -v -- "$1" >/dev/null 2>&1; then
  set -- node "$@"
fi
exec "$@"
