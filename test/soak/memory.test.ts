/**
 * 100,000 requests of the traffic profile's mix (writes included) through the traced stack
 * and the real collector, on loopback, as fast as the stack answers: every request must
 * succeed, and every service's memory must level off. Memory is measured as the live heap
 * (what is left after a full collection), which is what a leak grows; RSS is printed beside
 * it, but V8 lets RSS grow to the room it has, so it says little about leaks.
 */
import { drive, HEAP_PROBE_ARGS, liveHeapMb, profileMix, rssMb, startCollector, startStack, type RunningCollector, type Stack } from '@cruddur/testkit';

const TOTAL = 100_000;
const SEGMENTS = 5;
/** When the live heap is first read; the second reading is at the end. */
const FIRST_SNAPSHOT_AT = 60_000;
/**
 * What the requests after FIRST_SNAPSHOT_AT (40,000) may add to a service's live heap, in MB. The writes they
 * leave are far less (some 800 activities, replies and messages, under 1 MB); a leak of
 * 100 bytes a request would add 4 MB.
 */
const MAX_LATE_GROWTH_MB = 3;

let collector: RunningCollector;
let stack: Stack;

beforeAll(async () => {
  // The debug exporter at its basic verbosity: one log line per batch, nothing kept.
  collector = await startCollector({ overlays: ['base', 'debug'] });
  stack = await startStack({ otlpEndpoint: collector.otlpHttpUrl, nodeArgs: HEAP_PROBE_ARGS });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await collector?.stop();
  collector?.remove();
});

test(`${TOTAL.toLocaleString('en')} mixed requests: none fails, and no service's live heap keeps growing`, async () => {
  const services = Object.values(stack.services);
  const heaps = async () => Object.fromEntries(await Promise.all(services.map(async (s) => [s.name, await liveHeapMb(s)] as const)));
  const mb = (values: Record<string, number>) => services.map((s) => `${s.name} ${values[s.name]!.toFixed(1)}`).join(', ');
  let first: Record<string, number> = {};
  let failures = 0;
  let sent = 0;
  const started = performance.now();
  for (let segment = 1; segment <= SEGMENTS; segment++) {
    const result = await drive({ url: stack.gatewayUrl, seconds: 300, amount: TOTAL / SEGMENTS, connections: 16, requests: profileMix() });
    failures += result.failures;
    sent += result.requests;
    const rss = Object.fromEntries(services.map((s) => [s.name, rssMb(s.child.pid!)]));
    console.log(`segment ${segment}: ${result.requests} requests at ${result.rps.toFixed(0)} req/s, p99 ${result.p99Ms.toFixed(1)} ms, failed ${JSON.stringify(result.failedBy)}; RSS MB ${mb(rss)}`);
    if (sent === FIRST_SNAPSHOT_AT) first = await heaps();
  }
  const end = await heaps();
  console.log(`${sent} requests in ${((performance.now() - started) / 1000).toFixed(0)} s; live heap MB after ${FIRST_SNAPSHOT_AT}: ${mb(first)}; at the end: ${mb(end)}`);
  // What the writes left in the store: the tables grow by the writes alone (1-hour TTLs: none
  // expires within the run), and their size stays small beside what the services hold.
  const tables = await stack.database.adminQuery<{ name: string; rows: string; mb: string }>(
    `SELECT format('%s.%s', schemaname, relname) AS name, n_live_tup AS rows, round(pg_total_relation_size(relid) / 1048576.0, 1) AS mb
     FROM pg_catalog.pg_stat_user_tables WHERE relname <> 'pgmigrations' ORDER BY 1`,
  );
  console.log(`tables after the run: ${tables.map((t) => `${t.name} ${t.rows} rows, ${t.mb} MB`).join('; ')}`);

  expect(sent).toBe(TOTAL);
  expect(failures).toBe(0);
  for (const { name } of services) {
    const grewMb = Math.round((end[name]! - first[name]!) * 10) / 10;
    expect({ service: name, grewMb, levelsOff: grewMb <= MAX_LATE_GROWTH_MB }).toEqual({ service: name, grewMb, levelsOff: true });
  }
  for (const service of services) expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
});
