/**
 * Polling with a deadline. A condition that throws ClusterBroken ends the wait at once (the
 * cluster is broken beyond waiting); any other error, such as an API server still starting,
 * counts as not yet.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** A problem no amount of waiting fixes; thrown out of waitUntil as it is. */
export class ClusterBroken extends Error {}

/** Polls `condition` every `intervalMs` until it holds (true) or `timeoutMs` passes (false). */
export async function waitUntil(timeoutMs: number, condition: () => Promise<boolean>, intervalMs = 1000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return true;
    } catch (error) {
      if (error instanceof ClusterBroken) throw error;
    }
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
