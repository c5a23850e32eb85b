// The six services and the frontend's server as one group of processes, for `npm start` and `make run`.
import { concurrently } from 'concurrently';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built store-kit (requireBuilt checks the services, which need it built too). */
const storeKit = () => createRequire(import.meta.url)(join(ROOT, 'packages', 'store-kit', 'dist', 'index.js'));

/**
 * The local PostgreSQL server (scripts/local-postgres.sh), started unless it runs, with every
 * service's role, schema and migrations applied (the store CLI's `setup`, printed as it goes).
 * Returns each store service's PG* variables and a function that stops the server, if this
 * started it.
 */
export function startLocalDatabase() {
  const { localServer, adminEnv, runStoreCli, serviceStoreEnv, STORE_SERVICES } = storeKit();
  const server = localServer();
  const started = server.start();
  const credentials = server.credentials();
  runStoreCli(['setup'], adminEnv(credentials), { echo: true });
  return {
    serviceEnv: Object.fromEntries(STORE_SERVICES.map((name) => [name, serviceStoreEnv(credentials, name)])),
    where: `postgresql://${credentials.host}:${credentials.port}/${credentials.database} (data in ${server.dir})`,
    stop: () => {
      if (started) server.stop();
    },
  };
}

/** The store services' PG* variables for the local server when it has been set up, else none (they answer 503 until a database is there). */
export function localDatabaseEnv() {
  const { localServer, serviceStoreEnv, STORE_SERVICES } = storeKit();
  const server = localServer();
  if (!existsSync(join(server.dir, 'credentials.json'))) return {};
  const credentials = server.credentials();
  return Object.fromEntries(STORE_SERVICES.map((name) => [name, serviceStoreEnv(credentials, name)]));
}

// Leaves first, so callers find them listening; then the gateway; the frontend, whose page calls it, last.
export const SERVICES = ['users', 'activities', 'notifications', 'messages', 'search', 'gateway', 'frontend'];

/** What a service needs built to run: its compiled server, and for the frontend the bundled web app too. */
const builtFiles = (name) => [join(ROOT, 'services', name, 'dist', 'main.js'), ...(name === 'frontend' ? [join(ROOT, 'services', name, 'dist', 'web', 'index.html')] : [])];

/** Exits with a clear message unless every service has been built. */
export function requireBuilt() {
  const missing = SERVICES.filter((name) => !builtFiles(name).every((file) => existsSync(file)));
  if (missing.length > 0) {
    console.error(`not built: ${missing.join(', ')}. Run "make build" first.`);
    process.exit(1);
  }
}

/**
 * The fault flags' file (docs/faults.md): the chart's, read in place, so an edit while the
 * services run takes effect within a couple of seconds. FLAGD_OFFLINE_FLAG_SOURCE_PATH in the
 * environment names another.
 */
export const FLAG_FILE = join(ROOT, 'charts', 'cruddur', 'files', 'flags.json');

const flagEnv = () =>
  process.env.FLAGD_OFFLINE_FLAG_SOURCE_PATH ? {} : { FLAGD_RESOLVER: 'in-process', FLAGD_OFFLINE_FLAG_SOURCE_PATH: FLAG_FILE };

/** Where a browser finds the frontend's page on this machine: by address (what the scripts print) or by name. */
export const FRONTEND_ORIGINS = ['http://127.0.0.1:3000', 'http://localhost:3000'];

/**
 * Each service's own settings on this machine: the gateway lets the page call it from
 * either origin above (a browser treats them as two), and the page calls the gateway by
 * address. The environment overrides both.
 */
const localEnv = {
  gateway: { FRONTEND_URL: process.env.FRONTEND_URL || FRONTEND_ORIGINS.join(',') },
  frontend: { GATEWAY_PUBLIC_URL: process.env.GATEWAY_PUBLIC_URL || 'http://127.0.0.1:4567' },
};

/**
 * Runs the six services and the frontend's server in the foreground, each traced by the
 * preload and reading the fault flags, logs prefixed with their names; `serviceEnv` adds a
 * service's own variables (its store's PG*). Ctrl-C or SIGTERM
 * reaches every one, and each drains and flushes its spans before it exits. Resolves when
 * all have exited.
 */
export function runServices(env = {}, serviceEnv = {}) {
  const { result } = concurrently(
    SERVICES.map((name) => ({
      name,
      command: `node --require @cruddur/service-kit/register services/${name}/dist/main.js`,
      env: { ...flagEnv(), ...localEnv[name], ...serviceEnv[name], ...env },
    })),
    {
      cwd: ROOT,
      prefix: 'name',
      padPrefix: true,
      prefixColors: ['blue', 'green', 'magenta', 'cyan', 'yellow', 'white.bold', 'red'],
      // One service failing to start stops the others: a half-up stack answers with 502s that mislead.
      killOthersOn: ['failure'],
      killSignal: 'SIGTERM',
      killTimeout: 10_000,
      handleInput: false,
    },
  );
  return result.then(
    () => true,
    () => false,
  );
}
