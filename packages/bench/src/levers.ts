// make bench-levers: the settings-only levers of the traced stack (batching, V8's heap), each
// measured in pairs against the shipped settings. Loopback only, bounded in time, figures
// printed, never asserted.
import { drive, startCollector, startStack, type Stack } from '@cruddur/testkit';
import { cpus } from 'node:os';
import { measuringCpu } from './cpu';
import { positiveNumber } from './env';
import { median, spread } from './stats';
import { withLocalPostgres } from './database';

const ROUNDS = positiveNumber('BENCH_ROUNDS', 5);
const SECONDS = positiveNumber('BENCH_SECONDS', 6);
const RATE = positiveNumber('BENCH_LEVER_RATE', 70);
const PATH = '/api/activities/home';

interface Lever {
  label: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
}

/** Each changes one setting of the traced stack; the code levers are in BENCHMARKS.md. */
const LEVERS: Lever[] = [
  { label: 'batches of 2048 every 5 s', env: { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048', OTEL_BSP_SCHEDULE_DELAY: '5000', OTEL_BSP_MAX_QUEUE_SIZE: '16384' } },
  { label: 'batches of 128 every 200 ms', env: { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '128', OTEL_BSP_SCHEDULE_DELAY: '200' } },
  { label: '--max-semi-space-size=64', nodeArgs: ['--max-semi-space-size=64'] },
  { label: "old space as in the chart's 256 MiB pod", nodeArgs: ['--max-old-space-size=153'] },
];

interface Running {
  stack: Stack;
  stop: () => Promise<void>;
  pids: number[];
}

async function startTraced(lever: Lever): Promise<Running> {
  const collector = await startCollector({ overlays: ['base', 'local', 'file'] });
  try {
    const stack = await startStack({ otlpEndpoint: collector.otlpHttpUrl, env: lever.env ?? {}, nodeArgs: lever.nodeArgs ?? [] });
    const pids = [...Object.values(stack.services).map((s) => s.child.pid!), collector.pid];
    return { stack, pids, stop: async () => { await stack.stop(); await collector.stop(); collector.remove(); } };
  } catch (error) {
    await collector.stop();
    collector.remove();
    throw error;
  }
}

/** CPU ms per request of the services and the collector, over one fixed-rate run. */
async function cpuPerRequest({ stack, pids }: Running): Promise<number> {
  const { result, cpu } = await measuringCpu(pids, () => drive({ url: `${stack.gatewayUrl}${PATH}`, seconds: SECONDS, connections: 4, rate: RATE }));
  return (1000 * cpu) / result.requests;
}

/**
 * The lever's stack and a stack with the shipped settings run side by side at the same
 * fixed rate, so that whatever else the machine does hits both alike; the figure is the
 * median over the rounds of the lever's CPU per request over the shipped stack's.
 */
async function measure(lever: Lever): Promise<{ ratios: number[]; shipped: number[]; changed: number[] }> {
  const shipped = await startTraced({ label: 'shipped' });
  let changed: Running | undefined;
  try {
    changed = await startTraced(lever);
    const both = [shipped, changed];
    await Promise.all(both.map((r) => drive({ url: `${r.stack.gatewayUrl}${PATH}`, seconds: 3, connections: 4, rate: RATE })));
    const out = { ratios: [] as number[], shipped: [] as number[], changed: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const [base, other] = await Promise.all(both.map(cpuPerRequest));
      out.shipped.push(base!);
      out.changed.push(other!);
      out.ratios.push(other! / base!);
    }
    return out;
  } finally {
    await changed?.stop();
    await shipped.stop();
  }
}

async function main() {
  console.error(`bench-levers on ${cpus().length} cores: ${PATH} at ${RATE} req/s per stack, ${ROUNDS} rounds of ${SECONDS} s, paired with the shipped settings`);
  const rows: string[] = [];
  for (const [i, lever] of LEVERS.entries()) {
    console.error(`${i + 1}/${LEVERS.length} ${lever.label}`);
    const { ratios, shipped, changed } = await measure(lever);
    const change = (median(ratios) - 1) * 100;
    rows.push(
      `${lever.label.padEnd(42)} ${`${change >= 0 ? '+' : ''}${change.toFixed(1)} %`.padStart(8)}  (${spread(ratios.map((r) => (r - 1) * 100), 1)} %)  ` +
        `CPU ms/req ${median(changed).toFixed(2)} against ${median(shipped).toFixed(2)}`,
    );
  }
  console.log(`Traced CPU per request against the shipped settings (median of ${ROUNDS} paired rounds, lowest–highest)`);
  for (const row of rows) console.log(row);
}

withLocalPostgres(main).catch((error: unknown) => {
  console.error(`bench-levers failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
