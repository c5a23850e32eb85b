import { adminEnv, localCredentials, openStore, runStoreCli, serviceStoreEnv, STORE_SERVICES, type LocalCredentials, type Store, type StoreService } from '@cruddur/store-kit';
import { createLogger } from '@cruddur/service-kit';
import { Client } from 'pg';

/** A database of its own on the local server, bootstrapped and migrated, for one test suite (or one stack). */
export interface TestDatabase {
  name: string;
  /** A service's PG* variables for this database, as its own role: what its process gets. */
  envFor(service: StoreService): Record<string, string>;
  /** A pool of `service`'s own role on this database, for tests that call its flows directly (closed by drop). */
  storeFor(service: StoreService): Store;
  /** Runs SQL as the admin on this database (to look behind a service's back, or to empty its tables). */
  adminQuery<R extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  /** Empties every table of `service`'s schema (its migrations' record kept): a test starts from nothing. */
  empty(service: StoreService): Promise<void>;
  /** Closes the pools and drops the database (whoever is still connected is cut off). */
  drop(): Promise<void>;
}

const silent = createLogger('test-store', 'silent');
let created = 0;

/** The test databases' names: the process id first, so a later run can tell a leftover of a process that is gone. */
export const TEST_DATABASE_PREFIX = 'cruddur_test_';

async function asAdmin<T>(credentials: LocalCredentials, database: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ host: credentials.host, port: credentials.port, database, user: credentials.admin.user, password: credentials.admin.password });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database on the local server (which the run started: the jest global setup, or
 * ensureLocalPostgres), or on the server `credentials` name, with `services`' schemas,
 * migrations and seed, through the store CLI as the chart's hook Job runs it. The roles are
 * the server's, made once per run (ensureLocalPostgres). With no services, the database is empty.
 */
export async function createTestDatabase(services: readonly StoreService[] = STORE_SERVICES, credentials: LocalCredentials = localCredentials()): Promise<TestDatabase> {
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${++created}_${Math.random().toString(36).slice(2, 8)}`;
  if (services.length > 0) runStoreCli(['setup', '--schemas-only', ...services], adminEnv(credentials, name));
  // No services: an empty database (the CLI takes no names as all of them).
  else await asAdmin(credentials, 'postgres', (client) => client.query(`CREATE DATABASE "${name}" ENCODING 'UTF8'`));
  const stores = new Map<StoreService, Store>();
  const adminQuery = <R extends Record<string, unknown>>(text: string, values?: unknown[]) =>
    asAdmin(credentials, name, async (client) => (await client.query<R>(text, values)).rows);
  return {
    name,
    envFor: (service) => serviceStoreEnv(credentials, service, name),
    storeFor: (service) => {
      let store = stores.get(service);
      if (!store) {
        const env = serviceStoreEnv(credentials, service, name);
        store = openStore(service, {
          PGHOST: env.PGHOST!,
          PGPORT: Number(env.PGPORT),
          PGDATABASE: name,
          PGUSER: service,
          PGPASSWORD: env.PGPASSWORD,
          PG_POOL_MAX: 5,
          PG_CONNECT_TIMEOUT_MS: 5000,
          PG_STATEMENT_TIMEOUT_MS: 5000,
          PG_IDLE_TIMEOUT_MS: 1000,
        }, silent);
        stores.set(service, store);
      }
      return store;
    },
    adminQuery,
    empty: async (service) => {
      const tables = await adminQuery<{ name: string }>(
        "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename <> 'pgmigrations'",
        [service],
      );
      if (tables.length > 0) await adminQuery(`TRUNCATE ${tables.map((t) => t.name).join(', ')} RESTART IDENTITY CASCADE`);
    },
    drop: async () => {
      await Promise.all([...stores.values()].map((store) => store.close()));
      await asAdmin(credentials, 'postgres', (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * Drops the test databases left by processes that are gone (a run that was killed): each
 * name starts with its process id. Those of processes still running are left alone.
 */
export async function dropLeftoverTestDatabases(): Promise<string[]> {
  const credentials = localCredentials();
  return asAdmin(credentials, 'postgres', async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_catalog.pg_database WHERE starts_with(datname, $1)', [TEST_DATABASE_PREFIX]);
    const gone = rows.map((r) => r.datname).filter((name) => !processAlive(Number(name.slice(TEST_DATABASE_PREFIX.length).split('_')[0])));
    for (const name of gone) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    return gone;
  });
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
