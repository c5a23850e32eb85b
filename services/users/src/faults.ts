import { faultFlag, markFault, type Span } from '@cruddur/service-kit';
import { setTimeout as sleep } from 'node:timers/promises';

/** What usersLeakKb keeps, for good. */
const leaked: Buffer[] = [];
let leakedKb = 0;
/**
 * Where the leak stops: in a pod the memory limit kills the service long before (the point
 * of the fault); on a laptop a flag left on must not take the machine down with it.
 */
const MAX_LEAK_KB = 1024 * 1024;

/** The users service's faults, before a lookup: usersLatencyMs waits, usersLeakKb keeps memory. */
export async function beforeLookup(span: Span): Promise<void> {
  const delayMs = await faultFlag('usersLatencyMs');
  if (delayMs > 0) {
    markFault(span, 'usersLatencyMs', { 'app.fault.delay_ms': delayMs });
    await sleep(delayMs);
  }
  const leakKb = await faultFlag('usersLeakKb');
  if (leakKb > 0 && leakedKb < MAX_LEAK_KB) {
    // Filled, not just allocated, so the pages count against the memory limit at once.
    leaked.push(Buffer.alloc(leakKb * 1024, 1));
    leakedKb += leakKb;
    markFault(span, 'usersLeakKb', { 'app.fault.leaked_kb': leakedKb });
  }
}
