import { millis, port, z } from '@cruddur/service-kit';

/**
 * The port of the local PostgreSQL server `make run` and the tests start (scripts/local-postgres.sh):
 * next to the services' own ports, and not 5432, so a server the machine already runs is left alone.
 */
export const LOCAL_PG_PORT = 4576;

/** The connections one process's pool may hold, unless PG_POOL_MAX says otherwise. */
export const DEFAULT_POOL_MAX = 10;

/** The database every service's schema lives in, unless PGDATABASE names another. */
export const DEFAULT_DATABASE = 'cruddur';

/**
 * A service's store settings, beside its own: the standard libpq variables (PGHOST, PGPORT,
 * PGDATABASE, PGUSER, PGPASSWORD, what `psql` and `pg_dump` read too) and the pool's bounds.
 * The defaults reach the local server as the service's own role (its name). The timeouts sit
 * under the callers' (2 s from another service, 3 s from the gateway), so a store that is down
 * or slow is a 503 from this service, not a 504 from its caller.
 */
export const storeConfig = (service: string) => ({
  PGHOST: z.string().min(1).default('127.0.0.1'),
  PGPORT: port(LOCAL_PG_PORT),
  PGDATABASE: z.string().min(1).default(DEFAULT_DATABASE),
  PGUSER: z.string().min(1).default(service),
  PGPASSWORD: z.string().optional(),
  /** Connections the service's pool may hold: every replica holds at most this many. */
  PG_POOL_MAX: z.coerce.number({ error: 'must be a whole number, 1-100' }).int('must be a whole number, 1-100').min(1, 'must be 1-100').max(100, 'must be 1-100').default(DEFAULT_POOL_MAX),
  /** How long a request may wait for a connection (a free one from the pool, or a new one made). */
  PG_CONNECT_TIMEOUT_MS: millis(1000),
  /** How long one statement may run on the server before it is cancelled. */
  PG_STATEMENT_TIMEOUT_MS: millis(1500),
  /** How long an idle connection stays in the pool. */
  PG_IDLE_TIMEOUT_MS: millis(10_000),
});

export type StoreSettings = z.infer<z.ZodObject<ReturnType<typeof storeConfig>>>;
