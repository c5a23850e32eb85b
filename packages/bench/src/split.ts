// make bench-split: where the CPU that tracing adds goes, process by process, at a fixed rate
// below the peak: untraced, the preload sampling nothing, every span made but not exported
// (OTEL_TRACES_EXPORTER=none), and every span exported to the collector. Loopback only,
// bounded in time, figures printed, never asserted.
import { drive, SERVICE_NAMES, startCollector, startStack, type RunningCollector } from '@cruddur/testkit';
import { cpus } from 'node:os';
import { cpuSeconds } from './cpu';
import { positiveNumber } from './env';
import { median } from './stats';
import { withLocalPostgres } from './database';

const ROUNDS = positiveNumber('BENCH_ROUNDS', 3);
const SECONDS = positiveNumber('BENCH_SECONDS', 8);
const RATE = positiveNumber('BENCH_SPLIT_RATE', 300);
const SCENARIOS = [
  { name: 'home', path: '/api/activities/home' },
  { name: 'search', path: '/api/activities/search?term=cloud' },
];

interface Variant {
  label: string;
  untraced?: boolean;
  env?: Record<string, string>;
}

const VARIANTS: Variant[] = [
  { label: 'untraced', untraced: true },
  { label: 'nothing sampled', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  { label: 'made, not exported', env: { OTEL_TRACES_EXPORTER: 'none' } },
  { label: 'traced, exported', env: {} },
];

const PROCESSES = [...SERVICE_NAMES, 'collector'] as const;

type Row = Record<(typeof PROCESSES)[number], number>;

/** CPU µs per request of each service and of the collector, over one fixed-rate run on a fresh stack. */
async function measure(collector: RunningCollector, path: string, variant: Variant): Promise<Row> {
  const stack = await startStack({ otlpEndpoint: collector.otlpHttpUrl, untraced: variant.untraced ?? false, env: variant.env ?? {} });
  try {
    const url = `${stack.gatewayUrl}${path}`;
    await drive({ url, seconds: 3, connections: 8, rate: RATE });
    const pids = PROCESSES.map((name) => (name === 'collector' ? collector.pid : stack.services[name].child.pid!));
    const before = pids.map(cpuSeconds);
    const { requests } = await drive({ url, seconds: SECONDS, connections: 8, rate: RATE });
    return Object.fromEntries(PROCESSES.map((name, i) => [name, (1e6 * (cpuSeconds(pids[i]!) - before[i]!)) / requests])) as Row;
  } finally {
    await stack.stop();
  }
}

function table(scenario: string, rows: Map<string, Row[]>): string[] {
  const medians = [...rows].map(([label, runs]) => {
    const row = Object.fromEntries(PROCESSES.map((name) => [name, median(runs.map((r) => r[name]))])) as Row;
    return { label, row, total: median(runs.map((r) => PROCESSES.reduce((sum, name) => sum + r[name], 0))) };
  });
  // Processes a request never reaches (messages and notifications for these two) stay out of the table.
  const shown = PROCESSES.filter((name) => medians.some(({ row }) => row[name] >= 5));
  const lines = [`${scenario}: CPU µs per request at ${RATE} req/s, median of ${ROUNDS} rounds`, ['variant'.padEnd(20), ...shown.map((n) => n.padStart(11)), 'total'.padStart(9)].join('')];
  for (const { label, row, total } of medians) lines.push([label.padEnd(20), ...shown.map((n) => row[n].toFixed(0).padStart(11)), total.toFixed(0).padStart(9)].join(''));
  return lines;
}

async function main() {
  console.error(`bench-split on ${cpus().length} cores: ${RATE} req/s, ${ROUNDS} rounds of ${SECONDS} s per variant, the variants rotating from round to round`);
  const collector = await startCollector({ overlays: ['base', 'local', 'file'] });
  const out: string[] = [];
  try {
    for (const { name, path } of SCENARIOS) {
      const rows = new Map<string, Row[]>(VARIANTS.map((v) => [v.label, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < VARIANTS.length; i++) {
          const variant = VARIANTS[(i + round) % VARIANTS.length]!;
          console.error(`${name} round ${round + 1}/${ROUNDS}: ${variant.label}`);
          rows.get(variant.label)!.push(await measure(collector, path, variant));
        }
      }
      out.push(...table(name, rows), '');
    }
  } finally {
    await collector.stop();
    collector.remove();
  }
  console.log(out.join('\n'));
}

withLocalPostgres(main).catch((error: unknown) => {
  console.error(`bench-split failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
