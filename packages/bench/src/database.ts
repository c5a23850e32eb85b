import { ensureLocalPostgres } from '@cruddur/testkit';

/**
 * Runs a benchmark with the local PostgreSQL server up (started unless `make run` has it
 * running, stopped again after if this started it): every stack the benchmark starts gets a
 * database of its own on it, as the tests' stacks do, so the figures include the store.
 */
export async function withLocalPostgres<T>(run: () => Promise<T>): Promise<T> {
  const stop = await ensureLocalPostgres();
  try {
    return await run();
  } finally {
    stop();
  }
}
