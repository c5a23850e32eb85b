#!/usr/bin/env node
/**
 * The store's set-up, for `make run`, the tests and the chart's Helm hook Job: everything from
 * the environment and the arguments, nothing from files outside the built packages.
 *
 *   cruddur-store bootstrap [service…]   the database (created if missing), each service's role
 *                                        (created, or its password set), schema (owned by it)
 *                                        and grants, as the admin
 *   cruddur-store migrate [service…]     each service's pending migrations, as its own role
 *   cruddur-store setup [service…]       bootstrap, then migrate: what runs before a version serves
 *   cruddur-store watch <service>        the dev loop's: runs the service's pending migrations
 *                                        whenever its compiled migrations change, until stopped
 *
 * Services: activities, notifications, messages, users (all four when none is named).
 * Environment: PGHOST, PGPORT, PGDATABASE (the server and database), PGUSER and PGPASSWORD
 * (the admin, for bootstrap), <SERVICE>_DB_PASSWORD (ACTIVITIES_DB_PASSWORD, …: each role's
 * password; bootstrap sets it, migrate logs in with it). `--roles-only` and `--schemas-only`
 * split bootstrap in two: the roles belong to the whole server, the schemas to one database
 * (the tests make the roles once per run, then a database per suite). STORE_WAIT_SECONDS, when
 * set, is how long to wait for the server to take connections first (the chart's hook Job may
 * start before PostgreSQL's pod is ready).
 * Prints one line for each thing it did; exits non-zero with the reason when something fails.
 */
import { Client, escapeIdentifier, type ClientConfig } from 'pg';
import { readdirSync } from 'node:fs';
import { ensureRoles, ensureSchemas } from './bootstrap';
import { migrate, migrationsDir } from './migrate';
import { isStoreService, passwordVariable, STORE_SERVICES, type StoreService } from './services';
import { DEFAULT_DATABASE, LOCAL_PG_PORT } from './settings';

const COMMANDS = ['bootstrap', 'migrate', 'setup', 'watch'] as const;
type Command = (typeof COMMANDS)[number];

const say = (line: string) => process.stdout.write(`store: ${line}\n`);

/** The server and database, from the libpq variables (with the local server's defaults). */
function server(env: NodeJS.ProcessEnv): ClientConfig {
  const port = Number(env.PGPORT || LOCAL_PG_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PGPORT: must be a port number, 1-65535 (got "${env.PGPORT}")`);
  return { host: env.PGHOST || '127.0.0.1', port, database: env.PGDATABASE || DEFAULT_DATABASE, connectionTimeoutMillis: 10_000, application_name: 'cruddur-store' };
}

/** Runs `fn` connected as the admin to `database` (the target one by default). */
async function asAdmin<T>(env: NodeJS.ProcessEnv, fn: (client: Client) => Promise<T>, database?: string): Promise<T> {
  if (!env.PGUSER) throw new Error('PGUSER: the admin role bootstrap connects as must be set');
  const client = new Client({ ...server(env), ...(database ? { database } : {}), user: env.PGUSER, password: env.PGPASSWORD || undefined });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The database itself, created (through the server's maintenance database, `postgres`) when
 * missing: a new local server has none, where a cluster's may come with it.
 */
async function ensureDatabase(env: NodeJS.ProcessEnv): Promise<void> {
  const { database } = server(env);
  const exists = await asAdmin(env, async () => true).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === '3D000') return false;
    throw error;
  });
  if (exists) return;
  await asAdmin(env, (admin) => admin.query(`CREATE DATABASE ${escapeIdentifier(database!)} ENCODING 'UTF8'`), 'postgres');
  say(`database ${database}: created`);
}

/** What bootstrap does: the roles (server-wide), the database's schemas, or both. */
type Scope = 'all' | 'roles' | 'schemas';

async function bootstrap(env: NodeJS.ProcessEnv, services: StoreService[], scope: Scope): Promise<void> {
  if (scope !== 'roles') await ensureDatabase(env);
  await asAdmin(env, async (admin) => {
    const roles = scope === 'schemas' ? [] : await ensureRoles(admin, services.map((service) => ({ service, password: env[passwordVariable(service)] || undefined })));
    const schemas = scope === 'roles' ? [] : await ensureSchemas(admin, services);
    for (const line of [...roles, ...schemas]) say(line);
  });
}

async function migrateAll(env: NodeJS.ProcessEnv, services: StoreService[]): Promise<void> {
  for (const service of services) {
    const password = env[passwordVariable(service)];
    if (!password) throw new Error(`${passwordVariable(service)}: the ${service} role's password is needed to run its migrations`);
    const ran = await migrate(service, { ...server(env), user: service, password }, say);
    say(ran.length === 0 ? `migrations ${service}: up to date` : `migrations ${service}: ran ${ran.join(', ')}`);
  }
}

/** Waits up to STORE_WAIT_SECONDS for the server to take the admin's connections (none: no wait). */
async function waitForServer(env: NodeJS.ProcessEnv): Promise<void> {
  const seconds = Number(env.STORE_WAIT_SECONDS || 0);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`STORE_WAIT_SECONDS: must be a number of seconds (got "${env.STORE_WAIT_SECONDS}")`);
  if (seconds === 0) return;
  const deadline = Date.now() + seconds * 1000;
  const { host, port } = server(env);
  for (let said = false; ; said = true) {
    const client = new Client({ ...server(env), database: 'postgres', user: env.PGUSER, password: env.PGPASSWORD || undefined, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`the server at ${host}:${port} took no connection within ${seconds} s: ${(error as Error).message}`);
      if (!said) say(`waiting for the server at ${host}:${port} (up to ${seconds} s)…`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/**
 * The dev loop's migrations (`make dev`): skaffold syncs a new migration's source into the
 * service's pods, tsc --watch compiles it, and this, beside the service, runs it as the
 * service's own role (its PGUSER/PGPASSWORD, or <SERVICE>_DB_PASSWORD) whenever the compiled
 * migrations change. Every replica runs it; node-pg-migrate's lock and record make each
 * migration run once. A failure (the database not up yet) is tried again on the next look.
 */
async function watchMigrations(env: NodeJS.ProcessEnv, service: StoreService): Promise<never> {
  const dir = migrationsDir(service);
  const password = env[passwordVariable(service)] || (env.PGUSER === service ? env.PGPASSWORD : undefined);
  if (!password) throw new Error(`${passwordVariable(service)} (or PGUSER=${service} with PGPASSWORD): the ${service} role's password is needed to run its migrations`);
  let migrated = '';
  for (;;) {
    const listing = readdirSync(dir).filter((file) => file.endsWith('.js')).sort().join(',');
    if (listing !== migrated) {
      try {
        const ran = await migrate(service, { ...server(env), user: service, password }, say);
        if (ran.length > 0) say(`migrations ${service}: ran ${ran.join(', ')}`);
        migrated = listing;
      } catch (error) {
        say(`migrations ${service}: ${(error as Error).message}; trying again`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command as Command)) {
    throw new Error(`usage: cruddur-store ${COMMANDS.join('|')} [--roles-only|--schemas-only] [service…] (services: ${STORE_SERVICES.join(', ')})`);
  }
  const scope: Scope = rest.includes('--roles-only') ? 'roles' : rest.includes('--schemas-only') ? 'schemas' : 'all';
  const flags = rest.filter((arg) => arg.startsWith('--'));
  const strange = flags.filter((flag) => flag !== '--roles-only' && flag !== '--schemas-only');
  if (strange.length > 0 || flags.length > 1) throw new Error(`one of --roles-only or --schemas-only at most (got ${flags.join(' ')})`);
  const names = rest.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !isStoreService(name));
  if (unknown.length > 0) throw new Error(`no store for ${unknown.join(', ')}: the services with one are ${STORE_SERVICES.join(', ')}`);
  const services = names.length > 0 ? (names as StoreService[]) : [...STORE_SERVICES];
  const { host, port, database } = server(env);
  if (command === 'watch') {
    if (services.length !== 1 || names.length !== 1) throw new Error('watch takes one service');
    say(`watching ${services[0]}'s migrations, on ${host}:${port}/${database}`);
    return watchMigrations(env, services[0]!);
  }
  say(`${command} on ${host}:${port}/${database}: ${services.join(', ')}`);
  await waitForServer(env);
  if (command === 'bootstrap' || command === 'setup') await bootstrap(env, services, scope);
  if (command === 'migrate' || command === 'setup') {
    if (scope === 'roles') return;
    await migrateAll(env, services);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`store: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
