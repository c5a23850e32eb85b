#!/bin/sh
# The command of the Dockerfile's `dev` image (`make dev`, skaffold's dev profile), in /app:
# skaffold syncs edited sources into the pod and this keeps the service current with them.
#   - tsc --watch recompiles the service and the packages it uses; node --watch restarts the
#     service when its compiled code changes;
#   - the frontend also bundles its browser app again (vite build --watch): the next page load
#     gets it;
#   - a service that keeps data runs its new migrations as they are compiled (cruddur-store
#     watch), once for all its replicas.
set -eu
# The Dockerfile's dev stage names the service in a file (see there why not in ENV).
SERVICE=$(cat /usr/local/etc/cruddur-service)
node node_modules/typescript/bin/tsc -b --watch --preserveWatchOutput "services/$SERVICE" &
if [ "$SERVICE" = frontend ]; then
  (cd services/frontend && exec node ../../node_modules/vite/bin/vite.js build --watch --logLevel warn) &
fi
if [ -d "services/$SERVICE/src/migrations" ]; then
  node packages/store-kit/dist/cli.js watch "$SERVICE" &
fi
exec node --watch --require @cruddur/service-kit/register "services/$SERVICE/dist/main.js"
