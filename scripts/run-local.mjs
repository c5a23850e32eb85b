// `make run`: the local PostgreSQL server first (Debian's, a process of this machine: data in
// .run/postgres, loopback only, port 4576), set up and migrated by the store CLI; then the real
// collector with the local overlays (plus Honeycomb when HONEYCOMB_API_KEY is set), then the six
// services and the frontend's server exporting to it (the browser's spans reach it through the
// frontend's relay). With SAMPLING=tail, the two tiers of the chart's sampling.tail instead: an
// agent where the services send, and two samplers behind it that keep whole traces by policy
// and write the traces file. Ctrl-C stops the services first, so their last spans still reach
// the collectors, then the collectors, the agent before the samplers, and the database last
// (if this started it); its data stays for the next run (`make reset-data` starts afresh).
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FLAG_FILE, requireBuilt, ROOT, runServices, startLocalDatabase } from './lib/services.mjs';

const configDir = join(ROOT, 'charts', 'cruddur', 'files', 'collector');
const tracesDir = join(ROOT, '.run', 'traces');
const otelcol = resolve(ROOT, process.env.OTELCOL_BIN || '.tools/bin/otelcol-cruddur');
const sampling = process.env.SAMPLING || 'none';

requireBuilt();
try {
  accessSync(otelcol, constants.X_OK);
} catch {
  console.error(`no collector at ${otelcol}: run "make collector" or set OTELCOL_BIN.`);
  process.exit(1);
}
if (!['none', 'tail'].includes(sampling)) {
  console.error(`SAMPLING must be tail (the two-tier tail sampling) or empty, not "${sampling}"`);
  process.exit(1);
}
// The database first: the services' stores are there before the first request.
let database;
try {
  database = startLocalDatabase();
} catch (error) {
  console.error(`the local PostgreSQL server could not be set up: ${error.message}`);
  process.exit(1);
}
process.on('exit', () => database.stop());

// A fresh folder: `make service-map` reads every file in it.
rmSync(tracesDir, { recursive: true, force: true });
mkdirSync(tracesDir, { recursive: true });
const backends = ['file', ...(process.env.HONEYCOMB_API_KEY ? ['honeycomb'] : [])];

/** One collector process, in its own process group: a terminal's Ctrl-C must not reach it before the services have flushed into it. */
function startCollector(name, overlays, env, { featureGates = [] } = {}) {
  const args = [...overlays.flatMap((o) => ['--config', join(configDir, `${o}.yaml`)]), ...(featureGates.length ? [`--feature-gates=${featureGates.join(',')}`] : [])];
  const child = spawn(otelcol, args, {
    cwd: ROOT,
    env: { ...process.env, OTELCOL_LOG_LEVEL: process.env.OTELCOL_LOG_LEVEL || 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const collector = { name, env, child, exited: false, healthUrl: `http://${env.HEALTH_CHECK_ENDPOINT ?? '127.0.0.1:13133'}/` };
  collector.exit = new Promise((done) =>
    child.once('exit', (code, signal) => {
      collector.exited = true;
      done({ code, signal });
    }),
  );
  process.on('exit', () => {
    if (!collector.exited) child.kill('SIGKILL');
  });
  return collector;
}

/** Waits for a collector's health check, so the first spans have somewhere to go. */
async function healthy(collector) {
  const deadline = Date.now() + 15_000;
  while (!(await fetch(collector.healthUrl).then((r) => r.ok, () => false))) {
    if (collector.exited) {
      console.error(`${collector.name} stopped during start-up (see its log above); is another one using its ports?`);
      process.exit(1);
    }
    if (Date.now() > deadline) {
      console.error(`${collector.name} is not healthy at ${collector.healthUrl} after 15 s`);
      process.exit(1);
    }
    await sleep(100);
  }
}

async function stop(collector) {
  if (collector.exited) return;
  collector.child.kill('SIGTERM');
  const forced = setTimeout(() => collector.child.kill('SIGKILL'), 15_000);
  await collector.exit;
  clearTimeout(forced);
}

// Leaves first: whoever sends to a collector finds it listening.
const collectors = [];
if (sampling === 'tail') {
  const samplers = [1, 2].map((n) =>
    startCollector(
      `sampler ${n}`,
      ['base', 'local', 'sampler', ...backends],
      {
        OTLP_GRPC_ENDPOINT: `127.0.0.1:${n}4317`,
        OTLP_HTTP_ENDPOINT: `127.0.0.1:${n}4318`,
        HEALTH_CHECK_ENDPOINT: `127.0.0.1:${n}4133`,
        TRACES_FILE: join(tracesDir, `sampler-${n}.jsonl`),
      },
      { featureGates: ['processor.tailsamplingprocessor.recordpolicy'] },
    ),
  );
  await Promise.all(samplers.map(healthy));
  const ring = `[${samplers.map((s) => s.env.OTLP_GRPC_ENDPOINT).join(', ')}]`;
  const agent = startCollector('agent', ['base', 'local', 'agent-tail', 'samplers-static'], { SAMPLER_ENDPOINTS: ring });
  await healthy(agent);
  collectors.push(agent, ...samplers);
  console.log(`collectors: agent on 127.0.0.1:4318 (HTTP) and :4317 (gRPC) → samplers on ${ring} (tail sampling: errors, slow, 1 % load test, 10 % the rest)`);
} else {
  const collector = startCollector('collector', ['base', 'local', ...backends], { TRACES_FILE: join(tracesDir, 'traces.jsonl') });
  await healthy(collector);
  collectors.push(collector);
  console.log(`collector: OTLP on 127.0.0.1:4318 (HTTP) and :4317 (gRPC), overlays base + local + ${backends.join(' + ')}`);
}
let stopping = false;
for (const collector of collectors) {
  void collector.exit.then(({ code, signal }) => {
    if (!stopping) console.error(`${collector.name} stopped (${signal ?? code}); the services keep answering, but their spans go nowhere until it is back`);
  });
}

console.log(`database:  ${database.where}; make reset-data empties it`);
console.log(`traces:    ${tracesDir}${backends.includes('honeycomb') ? ' and Honeycomb' : ''}`);
console.log(`faults:    ${process.env.FLAGD_OFFLINE_FLAG_SOURCE_PATH || FLAG_FILE} (all off; edit it while this runs: docs/faults.md)`);
console.log('gateway:   http://127.0.0.1:4567/api/health-check');
console.log('frontend:  http://127.0.0.1:3000   (open it in a browser; Ctrl-C stops everything; then: make service-map)');

const ok = await runServices({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, database.serviceEnv);
stopping = true;
for (const collector of collectors) await stop(collector);
database.stop();
console.log(`stopped. Traces are in ${tracesDir}; the data stays in .run/postgres for the next make run.`);
process.exit(ok ? 0 : 1);
