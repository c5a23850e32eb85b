import { join } from 'node:path';
import type { RunningService } from './stack';
import { waitFor } from './wait';

/** What the probe prints, with the live heap in bytes after it. */
const MARK = 'cruddur-live-heap ';

/**
 * Node flags for a process whose live heap a test reads with liveHeapMb(): gc() exposed, and
 * the probe (heap-probe.ts) preloaded, compiled (from src/ under jest, dist/ otherwise, the
 * path leads to the build). For tests only; no service ships either.
 */
export const HEAP_PROBE_ARGS = ['--expose-gc', '--require', join(__dirname, '..', 'dist', 'heap-probe.js')];

/**
 * The live heap of a service started with HEAP_PROBE_ARGS, in MB: on SIGUSR2 the probe
 * collects every piece of garbage and prints the heap still in use. Unlike RSS, which V8
 * lets grow to the room it has, this is what the process holds on to, so growth between
 * two points of a run is memory the run left behind.
 */
export async function liveHeapMb(service: RunningService): Promise<number> {
  const printed = () => service.output().split('\n').filter((line) => line.startsWith(MARK)).length;
  const before = printed();
  service.child.kill('SIGUSR2');
  await waitFor(() => printed() > before, { timeoutMs: 10_000, what: `${service.name}'s live heap` });
  const last = service.output().split('\n').filter((line) => line.startsWith(MARK)).at(-1)!;
  return Number(last.slice(MARK.length)) / 1024 / 1024;
}
