import type { Logger } from '@cruddur/service-kit';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { Pool, type QueryResult, type QueryResultRow } from 'pg';
import type { StoreSettings } from './settings';
import { asStoreError, unavailableReason } from './store-errors';

/** Runs one statement with bound parameters; what a service's queries need. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** A service's PostgreSQL store: its pool, with every failure to reach it turned into store_unavailable. */
export interface Store extends Queryable {
  readonly service: string;
  /** Whether the store answers now (a `SELECT 1`, untraced); never throws. */
  reachable(): Promise<boolean>;
  /** Closes every connection (the end of a graceful stop). */
  close(): Promise<void>;
}

/** Whatever runs inside this makes no span: the start-up check is not a request. */
const UNTRACED = suppressTracing(ROOT_CONTEXT);

/**
 * Opens `service`'s store: one pg Pool per process, connecting lazily, so the service starts
 * and answers (503 store_unavailable on the routes that need the store) while the database is
 * down, and its routes recover by themselves once it is back: each query takes a connection
 * from the pool or makes a new one, and a connection the server cut is dropped, not reused.
 *
 * - connectionTimeoutMillis bounds the wait for a connection, new or from a busy pool;
 * - statement_timeout is the server's bound on one statement, query_timeout the client's own
 *   (a little longer), for a server that stopped answering without closing the socket;
 * - keepAlive lets the kernel notice a peer that is gone while a connection sits idle.
 * The traces need nothing here: the pg instrumentation the preload loaded patches this Pool.
 */
export function openStore(service: string, settings: StoreSettings, logger: Logger): Store {
  const pool = new Pool({
    host: settings.PGHOST,
    port: settings.PGPORT,
    database: settings.PGDATABASE,
    user: settings.PGUSER,
    password: settings.PGPASSWORD,
    max: settings.PG_POOL_MAX,
    connectionTimeoutMillis: settings.PG_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: settings.PG_IDLE_TIMEOUT_MS,
    statement_timeout: settings.PG_STATEMENT_TIMEOUT_MS,
    query_timeout: settings.PG_STATEMENT_TIMEOUT_MS + 500,
    keepAlive: true,
    application_name: service,
  });
  // An idle connection the server closes (a restart, a failover) is reported here; unheard,
  // the event would end the process. The pool has already dropped it; the next query makes
  // a new one.
  let lastWarned = 0;
  pool.on('error', (error) => {
    if (Date.now() - lastWarned < 5_000) return;
    lastWarned = Date.now();
    logger.warn({ reason: unavailableReason(error) ?? error.message }, 'an idle database connection was lost; the next query opens a new one');
  });

  const mapped = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw asStoreError(service, error);
    }
  };

  return {
    service,
    // Not pool.query: under load it hands a waiting query the connection another request just
    // released inside that request's callback, so the query's span would join the other
    // request's trace (the pg instrumentation binds that callback only when it makes
    // pg-pool.connect spans, which the preload turns off). Awaiting the connection keeps each
    // query in its own request's context (test/traces/db-spans.test.ts, with a pool of one).
    query: (text, values) =>
      mapped(async () => {
        const client = await pool.connect();
        let failure: Error | undefined;
        try {
          return await client.query(text, values as unknown[] | undefined);
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
          throw error;
        } finally {
          // As pool.query does: a connection whose query failed is closed, not reused.
          client.release(failure);
        }
      }),
    reachable: () =>
      context.with(UNTRACED, () =>
        pool.query('SELECT 1').then(
          () => true,
          () => false,
        ),
      ),
    close: () => pool.end(),
  };
}

/**
 * Logs, once after start-up, whether the store answers: a service whose database is down
 * still starts (and answers 503 on its store's routes), so the log says why.
 */
export async function reportReachability(store: Store, settings: StoreSettings, logger: Logger): Promise<void> {
  const where = { host: settings.PGHOST, port: settings.PGPORT, database: settings.PGDATABASE, user: settings.PGUSER };
  if (await store.reachable()) logger.info(where, 'database reachable');
  else logger.warn(where, 'database not reachable yet: its routes answer 503 store_unavailable until it is');
}
