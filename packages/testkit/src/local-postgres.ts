import { adminEnv, localServer, runStoreCli, type LocalServer } from '@cruddur/store-kit';
import { dropLeftoverTestDatabases } from './database';

/**
 * The local PostgreSQL server for a run of tests, a fuzz run or a benchmark: started unless it
 * runs (`make run` may have it up), with every service's role made once, and leftovers of
 * killed runs dropped. The returned function stops the server again only if this started it.
 */
export async function ensureLocalPostgres(): Promise<() => void> {
  const server = localServer();
  const started = startWithRoles(server);
  await dropLeftoverTestDatabases();
  return () => {
    if (started) server.stop();
  };
}

/** Starts `server` unless it runs, and makes every service's role on it; true when this started it. */
export function startWithRoles(server: LocalServer): boolean {
  const started = server.start();
  runStoreCli(['bootstrap', '--roles-only'], adminEnv(server.credentials(), 'postgres'));
  return started;
}
