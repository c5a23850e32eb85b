import { adminEnv, localCredentials, runStoreCli, startLocalServer, stopLocalServer } from '@cruddur/store-kit';
import { dropLeftoverTestDatabases } from './database';

/**
 * The local PostgreSQL server for a run of tests, a fuzz run or a benchmark: started unless it
 * runs (`make run` may have it up), with every service's role made once, and leftovers of
 * killed runs dropped. The returned function stops the server again only if this started it.
 */
export async function ensureLocalPostgres(): Promise<() => void> {
  const started = startLocalServer();
  runStoreCli(['bootstrap', '--roles-only'], adminEnv(localCredentials(), 'postgres'));
  await dropLeftoverTestDatabases();
  return () => {
    if (started) stopLocalServer();
  };
}
