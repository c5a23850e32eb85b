# One image recipe for the seven services (the gateway, the five domain services and the
# frontend); the build argument SERVICE picks which one runs:
#   docker build --build-arg SERVICE=gateway -t cruddur/gateway .      (or podman build)
# No `# syntax=` line: the engines' built-in Dockerfile frontends (BuildKit's, Buildah's)
# already know RUN --mount cache mounts, and naming a frontend image makes BuildKit pull it,
# which fails where no registry is reachable.
# Stages: manifests (every package.json) → build (npm ci + tsc -b + the frontend's browser
# bundle, shared by all seven images:
# nothing up to it depends on SERVICE) → prod-deps (production dependencies only, same
# lockfile) → dist (the chosen service's compiled output) → runtime, the default target (node,
# the deps, the compiled packages and the one service; root-owned files, run as the
# unprivileged `node` user, uid 1000). `dev` is skaffold's dev-loop image (--target dev).

# The official Node 24 image, pinned to the release the workspace pins (root package.json's
# `node` devDependency); bump both together.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# ---- every workspace's package.json, nothing else: npm ci's cache key --------------------
# Copies the workspaces whole, then keeps only their manifests, so a new package or service
# needs no edit here and a source change does not invalidate the npm ci layers below.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY packages packages
COPY services services
RUN find packages services -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

# ---- compile the services and the packages they use (tsc -b) --------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=manifests /app/ ./
# --ignore-scripts: the only install script in the tree is the `node` devDependency's, which
# fetches a Node binary this image already has.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY services services
# The services and the packages they reference (tsc -b follows the project references);
# tooling packages (bench, testkit, ...) may reference folders outside this context.
# tsc's own entry point rather than node_modules/.bin, which would find the (uninstalled)
# node devDependency's shim first on PATH.
RUN node node_modules/typescript/bin/tsc -b services/*
# The frontend's browser app (services/frontend/dist/web): type-checked, then bundled by Vite,
# as `make build` does (mk/frontend.mk). Shared by every image, so no image builds it twice.
RUN cd services/frontend \
 && node ../../node_modules/typescript/bin/tsc -p web/tsconfig.json \
 && node ../../node_modules/vite/bin/vite.js build --logLevel warn

# ---- production dependencies only, against the same lockfile -----------------------------
# Only the services' workspaces (and the packages they depend on): the tooling packages'
# dependencies stay out of the image.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=manifests /app/ ./
# npm nests a package inside a workspace when the root holds another version of it: /deps
# keeps those folders too. The telemetry preload's NodeSDK and auto-instrumentations-node
# are service-kit's dependencies, so they are here.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
      $(for service in services/*; do printf -- '--workspace=%s ' "$service"; done) \
 && mkdir -p /deps \
 && cp -R node_modules /deps/node_modules \
 && for dir in packages/*/node_modules services/*/node_modules; do \
      if [ -d "$dir" ]; then mkdir -p "/deps/$(dirname "$dir")" && cp -R "$dir" "/deps/$dir"; fi; \
    done

# ---- pick the service's compiled output --------------------------------------------------
FROM build AS dist
ARG SERVICE
RUN if [ -z "${SERVICE}" ] || [ ! -f "services/${SERVICE}/dist/main.js" ]; then \
      echo "build with --build-arg SERVICE=<one of: $(ls services | tr '\n' ' ')>" >&2; exit 1; \
    fi \
 && mkdir -p /out \
 && for dir in packages/* "services/${SERVICE}"; do \
      if [ -d "$dir/dist" ]; then mkdir -p "/out/$dir" && cp -R "$dir/dist" "/out/$dir/dist"; fi; \
    done \
 && find /out \( -name '*.d.ts' -o -name '*.map' \) -delete

# ---- dev: the image of skaffold's dev profile (`make dev`), not the default ------------
# Full workspace with dev dependencies; skaffold syncs changed sources into packages/*/src and
# services/*/src (and the frontend's web/); k8s/dev-start.sh recompiles them (tsc --watch,
# vite build --watch), restarts the service (node --watch) and runs new migrations. Needs a
# writable root filesystem (k8s/dev-values.yaml).
# Everything but SERVICE first, so the seven dev images share every layer: building and
# loading them into the nodes costs one image's layers, not seven.
FROM build AS dev-tree
COPY k8s/dev-start.sh /usr/local/bin/cruddur-dev
# The sources are the pod user's to change; so is Vite's scratch folder for its bundled
# config (node_modules/.vite-temp), the one place under node_modules it writes.
RUN chown -R 1000:1000 packages services \
 && install -d -o 1000 -g 1000 node_modules/.vite-temp

# The service is named in a file, not with `ENV SERVICE=${SERVICE}`: with the ENV step here,
# Podman 4.3's builder (Buildah) took it from its layer cache whatever the build argument's
# value, and the seven dev images came out as one image of the first service built. A RUN
# step's cache key holds its build arguments.
FROM dev-tree AS dev
ARG SERVICE
RUN if [ -z "${SERVICE}" ] || [ ! -d "services/${SERVICE}" ]; then \
      echo "build with --build-arg SERVICE=<one of: $(ls services | tr '\n' ' ')>" >&2; exit 1; \
    fi \
 && printf '%s\n' "${SERVICE}" >/usr/local/etc/cruddur-service
USER 1000:1000
CMD ["cruddur-dev"]

# ---- the runtime image: the last stage, so the default target -----------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
# HOST: every interface of the container's own network namespace (the services default to
# loopback outside containers); the chart's NetworkPolicies say who may connect.
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    HOST=0.0.0.0
WORKDIR /app
# node_modules/@cruddur/* are workspace links into packages/ and services/: the manifests
# make every link resolve, the dists are the code.
COPY --from=prod-deps /deps/ ./
COPY --from=manifests /app/ ./
COPY package.json ./
COPY --from=dist /out/ ./
# Files stay root-owned and read-only to the process; the chart also mounts the root
# filesystem read-only. Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000 4567 4571 4572 4573 4574 4575
# The telemetry preload must load before the app (NodeSDK's instrumentations hook the
# libraries the app requires), hence --require. `exec` makes node PID 1, so SIGTERM reaches its graceful stop directly.
# No HEALTHCHECK: Kubernetes probes /healthz and /readyz.
CMD ["/bin/sh", "-c", "exec node --require @cruddur/service-kit/register \"services/${SERVICE}/dist/main.js\""]

