// `make run`: the real collector with the local overlay (plus Honeycomb when
// HONEYCOMB_API_KEY is set), then the six services exporting to it. Ctrl-C stops the
// services first, so their last spans still reach the collector, and the collector last.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FLAG_FILE, requireBuilt, ROOT, runServices } from './lib/services.mjs';

const configDir = join(ROOT, 'charts', 'cruddur', 'files', 'collector');
const tracesDir = join(ROOT, '.run', 'traces');
const tracesFile = join(tracesDir, 'traces.jsonl');
const otelcol = resolve(ROOT, process.env.OTELCOL_BIN || '.tools/bin/otelcol-cruddur');
const healthUrl = 'http://127.0.0.1:13133/';

requireBuilt();
try {
  accessSync(otelcol, constants.X_OK);
} catch {
  console.error(`no collector at ${otelcol}: run "make collector" or set OTELCOL_BIN.`);
  process.exit(1);
}

const overlays = ['base', 'local'];
if (process.env.HONEYCOMB_API_KEY) overlays.push('honeycomb');
mkdirSync(tracesDir, { recursive: true });

// Its own process group: a terminal's Ctrl-C must not reach the collector before the
// services have flushed into it. This script stops it, last.
const collector = spawn(otelcol, overlays.flatMap((o) => ['--config', join(configDir, `${o}.yaml`)]), {
  cwd: ROOT,
  env: { ...process.env, TRACES_FILE: tracesFile, OTELCOL_LOG_LEVEL: process.env.OTELCOL_LOG_LEVEL || 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
let collectorExited = false;
let stopping = false;
const collectorExit = new Promise((done) =>
  collector.once('exit', (code, signal) => {
    collectorExited = true;
    done({ code, signal });
  }),
);
process.on('exit', () => {
  if (!collectorExited) collector.kill('SIGKILL');
});

// Wait for the collector's health check, so the first spans have somewhere to go.
const deadline = Date.now() + 15_000;
while (!(await fetch(healthUrl).then((r) => r.ok, () => false))) {
  if (collectorExited) {
    console.error('the collector stopped during start-up (see its log above); is another one using ports 4317/4318/13133?');
    process.exit(1);
  }
  if (Date.now() > deadline) {
    console.error(`the collector is not healthy at ${healthUrl} after 15 s`);
    process.exit(1);
  }
  await sleep(100);
}
void collectorExit.then(({ code, signal }) => {
  if (!stopping) console.error(`collector stopped (${signal ?? code}); the services keep answering, but their spans go nowhere until it is back`);
});

console.log(`collector: OTLP on 127.0.0.1:4318 (HTTP) and :4317 (gRPC), overlays ${overlays.join(' + ')}`);
console.log(`traces:    ${tracesFile}${overlays.includes('honeycomb') ? ' and Honeycomb' : ''}`);
console.log(`faults:    ${process.env.FLAGD_OFFLINE_FLAG_SOURCE_PATH || FLAG_FILE} (all off; edit it while this runs: docs/faults.md)`);
console.log('gateway:   http://127.0.0.1:4567/api/health-check   (Ctrl-C stops everything; then: make service-map)');

const ok = await runServices({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
stopping = true;
if (!collectorExited) {
  collector.kill('SIGTERM');
  const forced = setTimeout(() => collector.kill('SIGKILL'), 10_000);
  await collectorExit;
  clearTimeout(forced);
}
console.log(`stopped. Traces are in ${tracesFile}.`);
process.exit(ok ? 0 : 1);
