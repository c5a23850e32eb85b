// make bench: what tracing costs and whether any span is lost, measured on this machine in
// one run. Loopback only, bounded in time, figures printed (and saved as JSON), never asserted.
import { DEFAULT_POOL_MAX } from '@cruddur/store-kit';
import { startCollector } from '@cruddur/testkit';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { measureDelivery } from './delivery';
import { measureOverhead, type Mode, type ModeRun } from './overhead';
import { formatReport, summarize } from './report';
import { measureStartup } from './startup';
import { positiveNumber } from './env';
import { withLocalPostgres } from './database';

const SECONDS = positiveNumber('BENCH_SECONDS', 5);
const ROUNDS = positiveNumber('BENCH_ROUNDS', 3);
const CONNECTIONS = positiveNumber('BENCH_CONNECTIONS', 10);
const DELIVERY_SECONDS = positiveNumber('BENCH_DELIVERY_SECONDS', 60);
const STARTUP_RUNS = positiveNumber('BENCH_STARTUP_RUNS', 5);
const OUT = process.env.BENCH_OUT || 'bench-results';

const log = (line: string) => console.error(line);

async function main() {
  const began = Date.now();
  log(`bench on ${cpus().length} cores, Node ${process.version}: ${SECONDS} s per measurement, ${ROUNDS} rounds, ${DELIVERY_SECONDS} s delivery run`);
  const store = { server: 'the local PostgreSQL server (scripts/local-postgres.sh), on loopback', poolMax: DEFAULT_POOL_MAX };
  log(`store: ${store.server}, a database per stack, a pool of at most ${store.poolMax} connections per service process (PG_POOL_MAX)`);
  const collector = await startCollector({ overlays: ['base', 'local', 'file'] });
  let overhead: ModeRun[] = [];
  let startup;
  try {
    log('1/3 start-up: each service alone, untraced, with the preload (its default, narrowed, with the compile cache), and with the stock setup');
    startup = await measureStartup(collector.otlpHttpUrl, STARTUP_RUNS, log);

    log('2/3 tracing overhead: traced (through the collector), the stock setup and untraced, alternating');
    const scenarios: Array<{ name: string; path: string; modes: Mode[] }> = [
      { name: 'home', path: '/api/activities/home', modes: ['off', 'unsampled', 'on', 'flags', 'sampled', 'stock'] },
      { name: 'search', path: '/api/activities/search?term=cloud', modes: ['off', 'on', 'stock'] },
    ];
    for (const scenario of scenarios) {
      overhead.push(
        ...(await measureOverhead({
          otlpEndpoint: collector.otlpHttpUrl,
          collectorPid: collector.pid,
          scenario,
          modes: scenario.modes,
          rounds: ROUNDS,
          seconds: SECONDS,
          connections: CONNECTIONS,
          progress: log,
        })),
      );
    }
  } finally {
    await collector.stop();
    collector.remove();
  }

  // Half of the traced peak of the mix's heaviest route: busy, but not saturated.
  const tracedHome = overhead.filter((r) => r.scenario === 'home' && r.mode === 'on').map((r) => r.peak.rps);
  const rate = Math.max(50, Math.round(Math.min(...tracedHome) / 2));
  log(`3/3 span delivery: the profile's mix at ${rate} req/s for ${DELIVERY_SECONDS} s through the collector`);
  const delivery = await measureDelivery(rate, DELIVERY_SECONDS);

  const summary = summarize(overhead);
  const results = { when: new Date().toISOString(), node: process.version, cores: cpus().length, seconds: SECONDS, rounds: ROUNDS, store, startup, summary, delivery, runs: overhead };
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'bench.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatReport({ startup, overhead: summary, delivery, rounds: ROUNDS }));
  console.log(`\nstore: ${store.server}; pool size ${store.poolMax} per service process`);
  log(`\nwritten: ${file} (${((Date.now() - began) / 1000).toFixed(0)} s)`);
}

withLocalPostgres(main).catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
