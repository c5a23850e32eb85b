#!/usr/bin/env bash
# `make dev`: skaffold's dev loop against the kind cluster, with the project's pinned skaffold
# and the Helm 3 it needs (skaffold runs `helm version --client`, which Helm 4 dropped).
#
# Env (the Makefile sets them): SKAFFOLD, SKAFFOLD_HELM, KIND_BIN, KUBECTL_BIN, KIND_CLUSTER, KUBE_CONTEXT,
# CONTAINER_ENGINE, TOOLS_DIR; SKAFFOLD_ARGS adds arguments (e.g. "--tail=false").
#
# With Podman, skaffold (and kind's image loading, which runs the docker CLI) talk to
# Podman's Docker-compatible API, served for the loop's lifetime on a socket under .tools.
#
# What this adds to `skaffold dev`:
# - The first round's images are built and put into the nodes before skaffold starts, as one
#   archive of the seven (they share their layers) instead of skaffold's seven loads of a whole
#   image each (preload, below).
# - It says what the first round does and how long it takes, and says plainly when edits are
#   taken. skaffold starts watching only once its first deploy is done, so an edit saved
#   during the first round would be lost: every source saved since the loop started is
#   touched again once skaffold watches, and skaffold syncs it then.
# - Ctrl-C ends it with exit 0 once skaffold has cleaned up (the release uninstalled, the
#   port-forwards closed), and so does SIGTERM to this script: skaffold runs as a job of its
#   own (job control), so the terminal's Ctrl-C reaches skaffold alone, and make, which would
#   otherwise die by the signal too, waits for a normal exit. A real failure (a build error, a
#   pod that never becomes ready) ends non-zero, with the reason on the last line.
set -euo pipefail
: "${SKAFFOLD:?}" "${SKAFFOLD_HELM:?}" "${KIND_BIN:?}" "${KUBECTL_BIN:?}" "${KIND_CLUSTER:?}" "${KUBE_CONTEXT:?}" "${CONTAINER_ENGINE:?}" "${TOOLS_DIR:?}"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { echo "make dev: $*" >&2; }

# skaffold asks once whether to send usage data and, unanswered, turns it on: the project's
# own global config answers no, and update checks are off too.
config=$TOOLS_DIR/skaffold/config.yaml
mkdir -p "$(dirname "$config")"
[ -f "$config" ] || printf 'global:\n  collect-metrics: false\n  survey:\n    disable-prompt: true\n' >"$config"

# The sources skaffold.yaml's dev profile syncs into the pods (anything else rebuilds).
SYNCED=(packages/*/src services/*/src services/frontend/web)
state=$(mktemp -d "${TMPDIR:-/tmp}/cruddur-dev.XXXXXX")
since=$state/started # its mtime: when the loop started; edits after it are replayed
touch "$since"

service=""
cleanup() {
  if [ -n "$service" ]; then kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; rm -f "$socket"; fi
  rm -rf "$state"
}
trap cleanup EXIT

export PATH="$(dirname "$SKAFFOLD_HELM"):$(dirname "$KIND_BIN"):$(dirname "$KUBECTL_BIN"):$PATH"
if [ "$CONTAINER_ENGINE" = podman ]; then
  export KIND_EXPERIMENTAL_PROVIDER=podman
  command -v docker >/dev/null || { say "with Podman, kind loads images with the docker CLI: install it (Debian: podman-docker or docker.io's client)"; exit 1; }
  socket=$TOOLS_DIR/podman/docker-api.sock
  mkdir -p "$(dirname "$socket")" && rm -f "$socket"
  # A session of its own: the terminal's Ctrl-C is for skaffold, never for the API it builds through.
  # Its log goes to a file: it complains of every client that hangs up early (a Ctrl-C).
  setsid podman system service --time=0 "unix://$socket" </dev/null 2>"$state/podman-service.log" &
  service=$!
  for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
  [ -S "$socket" ] || { cat "$state/podman-service.log" >&2; say "podman system service did not open $socket (its log above)"; exit 1; }
  export DOCKER_HOST=unix://$socket
fi

# Reads skaffold's output as it comes, passes it on, and adds what the loop is doing:
# progress on the first round, the replay of edits made during it, and the moment edits are
# taken. It ignores Ctrl-C, so it keeps reading while skaffold cleans up; it notes that an
# interrupt happened (skaffold prints that it is cleaning up) for the exit status.
narrate() {
  trap '' INT TERM
  local line watching=""
  while IFS= read -r line; do
    printf '%s\n' "$line"
    printf '%s\n' "$line" >>"$state/log"
    case "$line" in
      "Generating tags..."*) [ -n "$watching" ] || say "first round: skaffold finds the dev images in its cache and in the nodes, then Helm deploys" ;;
      "Starting deploy..."*) [ -n "$watching" ] || say "deploying: helm upgrade --install --wait until every pod is ready (about a minute here)" ;;
      "Cleaning up..."*) touch "$state/interrupted" ;;
      "Watching for changes..."*)
        if [ -z "$watching" ]; then
          watching=1
          local edited
          edited=$(cd "$ROOT" && find "${SYNCED[@]}" -type f -newer "$since" 2>/dev/null | sort) || true
          if [ -n "$edited" ]; then
            # A moment for skaffold's watcher to take its first look, then the edits are new to it.
            sleep 1
            (cd "$ROOT" && xargs touch <<<"$edited")
            say "watching: edits are taken from now on; $(wc -l <<<"$edited") saved during the first round are being synced ($(tr '\n' ' ' <<<"$edited"))"
          else
            say "watching: edits are taken from now on (first round: $((SECONDS)) s)"
          fi
        fi
        ;;
    esac
  done
}

# Ctrl-C and SIGTERM ask skaffold to stop as a terminal's Ctrl-C does, and its clean-up runs.
job=""
stop_loop() {
  touch "$state/stopped"
  [ -z "$job" ] || kill -INT -- "-$job" 2>/dev/null || true
}
trap stop_loop INT TERM

# give_terminal PGID: make PGID the terminal's foreground process group (where a terminal is).
# skaffold then gets the terminal's Ctrl-C alone; make, whose process group would get it too,
# would die by it (make re-raises the signals it is sent) whatever the loop's status.
give_terminal() {
  [ -t 0 ] || return 0
  perl -MPOSIX -e '$SIG{TTOU} = "IGNORE"; tcsetpgrp(0, $ARGV[0]) or die "tcsetpgrp: $!\n"' "$1" || say "could not hand the terminal to skaffold: Ctrl-C reaches make as well"
}

# in_foreground PGID: gives the job PGID the terminal, waits until it has ended, takes the
# terminal back, and sets status to the job's exit status. A trapped signal ends `wait` early
# while the job still runs (it is stopping), so it waits on.
in_foreground() {
  give_terminal "$1"
  while :; do
    wait "$1" && status=0 || status=$?
    kill -0 "$1" 2>/dev/null || break
  done
  give_terminal "$(ps -o pgid= $$ | tr -d ' ')"
}

# The first round's images, in the nodes before skaffold looks for them. Left to itself,
# skaffold loads each image it built with a `kind load docker-image` of its own: a save of the
# whole image, streamed into every node, seven times over. The seven dev images share every
# layer but one small file (the Dockerfile's dev-tree stage), so one archive of all seven
# costs one image's layers. skaffold then builds nothing (its cache knows the images: same
# inputs, same platform) and each of its `kind load` calls finds the image on every node and
# returns at once.
preload() {
  local built=$state/built.json archive=$state/dev-images.tar platform tags nodes node tag present targets=""
  # Ctrl-C stops it even where the step it interrupts exits 0 (skaffold build, cancelled, does).
  trap 'exit 130' INT TERM
  # skaffold dev builds for the cluster's platform and keys its cache with it: so does this build.
  platform=$("$KUBECTL_BIN" --context "$KUBE_CONTEXT" get nodes -o 'jsonpath={.items[0].status.nodeInfo.operatingSystem}/{.items[0].status.nodeInfo.architecture}')
  say "first round: building the seven dev images for $platform (Dockerfile target dev; the layers up to it are make up's)"
  "$SKAFFOLD" build --profile dev --platform "$platform" --kube-context "$KUBE_CONTEXT" --config "$config" --update-check=false \
    --file-output "$built" >"$state/build.log" 2>&1 || { cat "$state/build.log" >&2; say "building the dev images failed (above)"; return 1; }
  tags=$(node -e 'for (const b of require(process.argv[1]).builds ?? []) console.log(b.tag)' "$built")
  [ -n "$tags" ] || { say "skaffold build named no dev images ($built)"; return 1; }
  nodes=$("$KIND_BIN" get nodes --name "$KIND_CLUSTER")
  for node in $nodes; do
    present=$("$CONTAINER_ENGINE" exec "$node" ctr --namespace k8s.io images list --quiet) || present=""
    for tag in $tags; do
      if ! grep -qxF "docker.io/$tag" <<<"$present"; then targets="$targets,$node"; break; fi
    done
  done
  if [ -z "$targets" ]; then
    say "first round: the dev images are already in the nodes ($((SECONDS)) s)"
    return 0
  fi
  say "first round: loading the dev images into ${targets#,} as one archive ($((SECONDS)) s so far)"
  # shellcheck disable=SC2086 # a list of image references
  if [ "$CONTAINER_ENGINE" = podman ]; then
    podman save --quiet --multi-image-archive --format docker-archive -o "$archive" $tags
  else
    docker save -o "$archive" $tags
  fi || { say "saving the dev images into one archive failed (above)"; return 1; }
  "$KIND_BIN" load image-archive --name "$KIND_CLUSTER" --nodes "${targets#,}" "$archive" >/dev/null \
    || { say "loading the dev images into ${targets#,} failed (above)"; return 1; }
  rm -f "$archive"
  say "first round: the dev images are in the nodes ($((SECONDS)) s)"
}

cd "$ROOT"
say "skaffold dev on $KUBE_CONTEXT: the first round takes 1-3 minutes here after make up (the dev images built on its layers and loaded into the nodes, then Helm), a few more the first time on a machine; edits to .ts sources and to the frontend's web/ files are synced into the pods, anything else rebuilds; Ctrl-C stops it and uninstalls the release"
SECONDS=0
# The preload as a job of its own, as skaffold is below: Ctrl-C or SIGTERM stops it too.
set -m
preload &
job=$!
set +m
in_foreground "$job"
# Stopped: SIGINT or SIGTERM to this script (stop_loop), or the terminal's Ctrl-C (130).
if [ -f "$state/stopped" ] || [ "$status" -eq 130 ]; then
  say "stopped before the first deploy: nothing was deployed"
  exit 0
fi
# preload's last line says what failed.
[ "$status" -eq 0 ] || exit "$status"

# Job control: skaffold (and narrate) run as a process group of their own.
set -m
# shellcheck disable=SC2086 # SKAFFOLD_ARGS is a list of words
"$SKAFFOLD" dev --kube-context "$KUBE_CONTEXT" --config "$config" --update-check=false ${SKAFFOLD_ARGS:-} 2>&1 | narrate &
# The job's process group: that of its last process ($!), which job control made the group of
# the whole pipeline.
reader=$!
job=$(ps -o pgid= -p "$reader" | tr -d ' ')
set +m
in_foreground "$job"
wait "$reader" || true # narrate, reading skaffold's last lines

# Stopped on purpose (the terminal's Ctrl-C reaches skaffold alone; narrate saw it clean up,
# or this script was sent INT or TERM): a clean-up that completed is a normal end. skaffold
# also cleans up after a failure, so "Cleaning up..." alone with a failing status is a failure.
if { [ -f "$state/stopped" ] || [ -f "$state/interrupted" ]; } && { [ "$status" -eq 0 ] || [ "$status" -eq 130 ]; }; then
  say "stopped: the release is uninstalled and the port-forwards are closed"
  exit 0
fi
if [ -f "$state/stopped" ]; then
  say "stopped, but skaffold's clean-up failed (exit $status, above): check 'helm list -n cruddur --kube-context $KUBE_CONTEXT'"
  exit "$status"
fi
if [ "$status" -ne 0 ]; then
  say "skaffold dev failed (exit $status): $(grep -v '^\s*$' "$state/log" | tail -n 1)"
fi
exit "$status"
