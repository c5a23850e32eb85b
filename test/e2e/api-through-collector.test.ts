// End to end: the six services export (OTLP/HTTP protobuf, their default) to the real
// collector running the project's base + local config; every assertion reads what the
// collector wrote to its file sink.
import { callGraph, OUTSIDE } from '@cruddur/service-map';
import {
  callApi,
  rootsOf,
  SpanKind,
  spansOfTrace,
  startCollector,
  startStack,
  StatusCode,
  waitFor,
  type FlatSpan,
  type RunningCollector,
  type Stack,
  REPO_ROOT,
} from '@cruddur/testkit';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  status: number;
  /** Services whose SERVER spans the trace must hold. */
  services: string[];
  /** Domain span expected, with attributes it must carry. */
  span: [name: string, attributes: Record<string, unknown>];
}

// Every route of the Cruddur API, plus the failures a client can cause.
const CALLS: Call[] = [
  { method: 'GET', path: '/api/activities/home', status: 200, services: ['gateway', 'activities', 'users'], span: ['activities.home', { 'app.result_length': 4 }] },
  { method: 'GET', path: '/api/activities/notifications', status: 200, services: ['gateway', 'notifications'], span: ['notifications.list', { 'app.user.handle': 'andrewbrown' }] },
  { method: 'GET', path: '/api/activities/search?term=Cloud', status: 200, services: ['gateway', 'search', 'activities', 'users'], span: ['search.activities', { 'app.search.term': 'Cloud' }] },
  { method: 'GET', path: '/api/activities/@andrewbrown', status: 200, services: ['gateway', 'activities', 'users'], span: ['activities.user_feed', { 'app.user.handle': 'andrewbrown', 'app.result_length': 2 }] },
  { method: 'POST', path: '/api/activities', body: { message: 'Through the collector', ttl: '1-day' }, status: 200, services: ['gateway', 'activities', 'users'], span: ['activities.create', { 'app.ttl': '1-day' }] },
  { method: 'GET', path: '/api/activities/68f126b0-1ceb-4a33-88be-d90fa7109eee', status: 200, services: ['gateway', 'activities', 'users'], span: ['activities.show', { 'app.activity.uuid': '68f126b0-1ceb-4a33-88be-d90fa7109eee' }] },
  { method: 'POST', path: '/api/activities/68f126b0-1ceb-4a33-88be-d90fa7109eee/reply', body: { message: 'Qapla!' }, status: 200, services: ['gateway', 'activities', 'users'], span: ['activities.reply', { 'app.activity.uuid': '68f126b0-1ceb-4a33-88be-d90fa7109eee' }] },
  { method: 'GET', path: '/api/message_groups', status: 200, services: ['gateway', 'messages', 'users'], span: ['messages.groups', { 'app.result_length': 2 }] },
  { method: 'GET', path: '/api/messages/@worf', status: 200, services: ['gateway', 'messages', 'users'], span: ['messages.conversation', { 'app.message_group.uuid': '24b95582-9e7b-4e0a-9ad1-639773ab7552' }] },
  { method: 'POST', path: '/api/messages', body: { message: 'Hello Garek', user_receiver_handle: 'garek' }, status: 200, services: ['gateway', 'messages', 'users'], span: ['messages.create', { 'app.message_group.uuid': '417c360e-c4e6-4fce-873b-d2d71469b4ac' }] },
  { method: 'GET', path: '/api/users/@worf/short', status: 200, services: ['gateway', 'users'], span: ['users.short', { 'app.user.handle': 'worf' }] },
  // Failures: the domain span is marked ERROR.
  { method: 'GET', path: '/api/activities/search?term=%20', status: 422, services: ['gateway', 'search'], span: ['search.activities', {}] },
  { method: 'POST', path: '/api/messages', body: { message: '' }, status: 422, services: ['gateway', 'messages'], span: ['messages.create', {}] },
  { method: 'GET', path: '/api/activities/@nobody', status: 404, services: ['gateway', 'activities', 'users'], span: ['users.short', { 'app.user.handle': 'nobody' }] },
];

let collector: RunningCollector;
let stack: Stack;
const traces = new Map<Call, string>();
let written: FlatSpan[] = [];
let created = 0;

beforeAll(async () => {
  collector = await startCollector({ overlays: ['base', 'local', 'file'] });
  stack = await startStack({ otlpEndpoint: collector.otlpHttpUrl, env: { OTEL_BSP_SCHEDULE_DELAY: '100' } });

  for (const call of CALLS) {
    const traceId = randomBytes(16).toString('hex');
    const { status } = await callApi(`${stack.gatewayUrl}${call.path}`, {
      method: call.method,
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, 'content-type': 'application/json' },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    expect({ path: call.path, status }).toEqual({ path: call.path, status: call.status });
    traces.set(call, traceId);
  }

  // Stop the services (each flushes), then the collector (it flushes its file): what is
  // in the file then is everything that will ever arrive.
  const counts = await Promise.all(
    Object.values(stack.services).map(async (s) => ((await (await fetch(`${s.url}/telemetryz`)).json()) as { spansEnded: number }).spansEnded),
  );
  await stack.stop();
  created = counts.reduce((a, b) => a + b, 0);
  await waitFor(async () => (await collector.readSpans()).length >= created, { timeoutMs: 10_000, what: 'all spans in the file' });
  expect(await collector.stop()).toBe(0);
  written = await collector.readSpans();
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await collector?.stop();
  collector?.remove();
});

it('drops nothing: every span the services created is in the collector file', () => {
  expect(created).toBeGreaterThan(CALLS.length * 3);
  // Only the spans counted before the stop; the /telemetryz calls themselves are untraced.
  expect(written.length).toBe(created);
});

it.each(CALLS.map((call) => [`${call.method} ${call.path}`, call] as const))('%s is one complete trace', (_label, call) => {
  const trace = spansOfTrace(written, traces.get(call)!);
  expect(rootsOf(trace)).toHaveLength(1);
  const servers = new Set(trace.filter((s) => s.kind === SpanKind.SERVER).map((s) => s.service));
  expect([...servers].sort()).toEqual([...call.services].sort());

  const [name, attributes] = call.span;
  const domain = trace.find((s) => s.name === name);
  expect(domain?.attributes).toMatchObject(attributes);
  expect(domain?.attributes['app.now']).toEqual(expect.any(String));
  if (call.status >= 400) expect(domain?.status.code).toBe(StatusCode.ERROR);
  else expect(domain?.status.code).not.toBe(StatusCode.ERROR);

  for (const span of trace) {
    expect(span.resource).toMatchObject({ 'service.name': span.service, 'service.namespace': 'cruddur' });
  }
});

it('gives the service map the true call graph', () => {
  const edges = callGraph(written).map((e) => `${e.caller}->${e.callee}`);
  expect(edges.sort()).toEqual(
    [
      `${OUTSIDE}->gateway`,
      'activities->users',
      'gateway->activities',
      'gateway->messages',
      'gateway->notifications',
      'gateway->search',
      'gateway->users',
      'messages->users',
      'search->activities',
      // Each store's queries, one node for the server (the stable db.system.name).
      'activities->postgresql',
      'messages->postgresql',
      'notifications->postgresql',
      'users->postgresql',
    ].sort(),
  );
  const fromOutside = callGraph(written).find((e) => e.caller === OUTSIDE)!;
  expect(fromOutside.requests).toBe(CALLS.length);
});

it('make service-map draws that graph from the collector file: a table and an SVG', () => {
  const svg = join(mkdtempSync(join(tmpdir(), 'service-map-')), 'map.svg');
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'packages/service-map/dist/cli.js'), '--traces', collector.tracesFile, '--svg', svg], {
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^edge\s+requests\s+errors\s+p50 ms\s+p99 ms/);
  expect(run.stdout).toMatch(/search → activities\s+1\s+0\.0%/);
  expect(run.stdout).toMatch(new RegExp(`clients → gateway\\s+${CALLS.length}\\s`));
  const picture = readFileSync(svg, 'utf8');
  expect(picture).toContain('<svg');
  for (const service of ['gateway', 'activities', 'notifications', 'messages', 'users', 'search']) expect(picture).toContain(`>${service}</text>`);
});

it('make service-map says what to do when there are no traces yet', () => {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'packages/service-map/dist/cli.js'), '--traces', join(tmpdir(), 'no-such-traces')], {
    encoding: 'utf8',
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('make run');
});
