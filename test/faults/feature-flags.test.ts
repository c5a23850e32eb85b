/**
 * The fault flags on real processes: the six services traced, reading one flag file (a copy
 * of the chart's) that the test edits while they run. For each flag: off, the usual answers
 * and no fault on any span; on, the documented answer, the fault on the span where it
 * struck (app.fault, the feature_flag.evaluation event, ERROR for a failure), and the trace
 * still one tree. An edit takes effect within 5 s; a broken file changes nothing but a log line.
 */
import {
  callApi,
  rootsOf,
  rssMb,
  serverSpan,
  shippedFlagsWith,
  SpanKind,
  spansOfTrace,
  startTracedStack,
  StatusCode,
  waitFor,
  type FlatSpan,
  type OtlpReceiver,
  type Stack,
} from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long an edit may take to reach every service. */
const EDIT_TAKES_EFFECT_MS = 5_000;

let dir: string;
let file: string;
let receiver: OtlpReceiver;
let stack: Stack;
let stopAll: () => Promise<void>;

/** Writes the flag file: the chart's, with these flags turned on at these values. */
function writeFlags(on: Record<string, unknown> = {}): void {
  writeFileSync(file, shippedFlagsWith(on));
}

/** Writes the flags, then waits until `effect` holds, and says how long that took. */
async function setFlags(on: Record<string, unknown>, effect: () => Promise<boolean>): Promise<number> {
  writeFlags(on);
  const written = performance.now();
  await waitFor(effect, { timeoutMs: EDIT_TAKES_EFFECT_MS * 2, intervalMs: 100, what: `the flags ${JSON.stringify(on)} to take effect` });
  return performance.now() - written;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request with a fresh traceparent: its answer (held to the contract), time, and trace once its spans landed. */
async function traced(path: string, services: string[]): Promise<{ status: number; body: unknown; ms: number; trace: FlatSpan[] }> {
  const traceId = randomBytes(16).toString('hex');
  const started = performance.now();
  const { status, body } = await callApi(`${stack.gatewayUrl}${path}`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
  const ms = performance.now() - started;
  await receiver.waitForSpans((spans) => services.every((svc) => spansOfTrace(spans, traceId).some((s) => s.service === svc && s.kind === SpanKind.SERVER)));
  await sleep(300); // the last batch (children end before parents)
  return { status, body, ms, trace: spansOfTrace(receiver.spans, traceId) };
}

const faulted = (trace: FlatSpan[]) => trace.filter((s) => s.attributes['app.fault'] !== undefined);
const evaluations = (span: FlatSpan) => span.events.filter((e) => e.name === 'feature_flag.evaluation');

/** One tree: a single root (the gateway's SERVER span, under the test's remote parent), every other span's parent in the trace. */
function expectConnected(trace: FlatSpan[]): void {
  const ids = new Set(trace.map((s) => s.spanId));
  expect(rootsOf(trace).map((s) => `${s.service} ${s.kind}`)).toEqual([`gateway ${SpanKind.SERVER}`]);
  expect(trace.filter((s) => s !== rootsOf(trace)[0] && !ids.has(s.parentSpanId!))).toEqual([]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fault-flags-'));
  file = join(dir, 'flags.json');
  writeFlags();
  ({ receiver, stack, stop: stopAll } = await startTracedStack({
    env: { LOG_LEVEL: 'info', FLAGD_RESOLVER: 'in-process', FLAGD_OFFLINE_FLAG_SOURCE_PATH: file },
  }));
  await waitFor(() => Object.values(stack.services).every((s) => s.output().includes('feature flags: reading the flag file')), {
    timeoutMs: 20_000,
    what: 'every service to read the flag file',
  });
}, 60_000);

afterAll(async () => {
  await stopAll?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('with every flag off', () => {
  it('answers as usual, and no span carries a fault or a flag evaluation', async () => {
    for (const [path, services] of [
      ['/api/activities/home', ['gateway', 'activities', 'users']],
      ['/api/message_groups', ['gateway', 'messages', 'users']],
      ['/api/activities/search?term=a%20very%20long%20search%20term', ['gateway', 'search', 'activities']],
    ] as const) {
      const { status, trace } = await traced(path, [...services]);
      expect({ path, status }).toEqual({ path, status: 200 });
      expect(faulted(trace)).toEqual([]);
      expect(trace.flatMap(evaluations)).toEqual([]);
      expectConnected(trace);
    }
  });
});

describe('usersLatencyMs', () => {
  afterAll(() => setFlags({}, async () => (await traced('/api/users/@worf/short', ['users'])).ms < 200));

  it('makes every users lookup wait, shown on the users span (no failure), within 5 s of the edit', async () => {
    const took = await setFlags({ usersLatencyMs: 300 }, async () => (await traced('/api/users/@worf/short', ['users'])).ms >= 300);
    expect(took).toBeLessThan(EDIT_TAKES_EFFECT_MS);
    const { status, ms, trace } = await traced('/api/activities/@worf', ['gateway', 'activities', 'users']);
    expect(status).toBe(200);
    // Two lookups on the path (the author's profile, then display names), each delayed.
    expect(ms).toBeGreaterThanOrEqual(600);
    const lookups = faulted(trace);
    expect(lookups.map((s) => `${s.service}:${s.name}`).sort()).toEqual(['users:users.lookup', 'users:users.short']);
    for (const span of lookups) {
      expect(span.attributes).toMatchObject({ 'app.fault': 'usersLatencyMs', 'app.fault.delay_ms': 300 });
      expect(span.status.code).not.toBe(StatusCode.ERROR);
      expect(evaluations(span).map((e) => e.attributes)).toContainEqual(
        expect.objectContaining({ 'feature_flag.key': 'usersLatencyMs', 'feature_flag.result.variant': 'on', 'feature_flag.provider.name': 'flagd' }),
      );
    }
    expectConnected(trace);
  });
});

describe('activitiesErrorRate', () => {
  afterAll(() => setFlags({}, async () => (await traced('/api/activities/home', ['activities'])).status === 200));

  it('at 1, fails every activities request with a 500 the gateway answers as 502, recorded on every span of the path', async () => {
    const took = await setFlags({ activitiesErrorRate: 1 }, async () => (await traced('/api/activities/home', ['gateway'])).status === 502);
    expect(took).toBeLessThan(EDIT_TAKES_EFFECT_MS);
    const { status, body, trace } = await traced('/api/activities/home', ['gateway', 'activities']);
    expect(status).toBe(502);
    expect(body).toMatchObject({ error: 'upstream_error' });
    const activities = serverSpan(trace, 'activities')!;
    expect(activities.attributes).toMatchObject({ 'app.fault': 'activitiesErrorRate', 'http.response.status_code': 500 });
    expect(activities.status).toEqual({ code: StatusCode.ERROR, message: 'fault injected by the activitiesErrorRate feature flag' });
    expect(evaluations(activities).map((e) => e.attributes['feature_flag.key'])).toEqual(['activitiesErrorRate']);
    const gatewayCall = trace.find((s) => s.service === 'gateway' && s.kind === SpanKind.CLIENT)!;
    expect(gatewayCall.status.code).toBe(StatusCode.ERROR);
    expect(serverSpan(trace, 'gateway')!.status.code).toBe(StatusCode.ERROR);
    expectConnected(trace);
    // The probes stay up: a faulty service is not a dead one.
    expect((await fetch(`${stack.services.activities.url}/readyz`)).status).toBe(200);
  });

  it('at 0.5, fails about half of them', async () => {
    await setFlags({ activitiesErrorRate: 0.5 }, async () => true);
    await sleep(2.5 * 1_000);
    const statuses = await Promise.all(Array.from({ length: 60 }, () => callApi(`${stack.gatewayUrl}/api/activities/home`).then((r) => r.status)));
    const failed = statuses.filter((s) => s === 502).length;
    // Binomial(60, 0.5): 30 ± 3.9; 15..45 is nearly four deviations either side.
    expect(failed).toBeGreaterThanOrEqual(15);
    expect(failed).toBeLessThanOrEqual(45);
    expect(statuses.filter((s) => s !== 502 && s !== 200)).toEqual([]);
  });
});

describe('messagesUnavailable', () => {
  afterAll(() => setFlags({}, async () => (await traced('/api/message_groups', ['messages'])).status === 200));

  it('makes the messages service answer 503 to everything but its probes; the gateway answers 502', async () => {
    const took = await setFlags({ messagesUnavailable: true }, async () => (await traced('/api/message_groups', ['gateway'])).status === 502);
    expect(took).toBeLessThan(EDIT_TAKES_EFFECT_MS);
    const { body, trace } = await traced('/api/messages/@worf', ['gateway', 'messages']);
    expect(body).toMatchObject({ error: 'upstream_error' });
    const messages = serverSpan(trace, 'messages')!;
    expect(messages.attributes).toMatchObject({ 'app.fault': 'messagesUnavailable', 'http.response.status_code': 503 });
    expect(messages.status).toEqual({ code: StatusCode.ERROR, message: 'messages is unavailable: fault injected by the messagesUnavailable feature flag' });
    expect(evaluations(messages).map((e) => e.attributes['feature_flag.key'])).toEqual(['messagesUnavailable']);
    expectConnected(trace);
    for (const probe of ['/healthz', '/readyz']) expect((await fetch(`${stack.services.messages.url}${probe}`)).status).toBe(200);
    // Direct, as the gateway asks it: the service's own 503.
    const direct = await fetch(`${stack.services.messages.url}/api/message_groups`, { headers: { 'x-cruddur-user': 'andrewbrown' } });
    expect({ status: direct.status, body: await direct.json() }).toEqual({
      status: 503,
      body: { error: 'unavailable', message: 'messages is unavailable: fault injected by the messagesUnavailable feature flag' },
    });
  });
});

describe('searchSlowTermMs', () => {
  afterAll(() => setFlags({}, async () => (await traced('/api/activities/search?term=cloud%20is%20very%20fun', ['search'])).ms < 300));

  it('slows searches for terms longer than 10 characters only, shown on the search span', async () => {
    const long = '/api/activities/search?term=cloud%20is%20very%20fun';
    const took = await setFlags({ searchSlowTermMs: 400 }, async () => (await traced(long, ['search'])).ms >= 400);
    expect(took).toBeLessThan(EDIT_TAKES_EFFECT_MS);
    const short = await traced('/api/activities/search?term=cloud', ['gateway', 'search', 'activities']);
    expect(short.status).toBe(200);
    expect(short.ms).toBeLessThan(300);
    expect(faulted(short.trace)).toEqual([]);
    // A short term never evaluates the flag: nothing on its span either.
    expect(short.trace.flatMap(evaluations)).toEqual([]);
    const slow = await traced(long, ['gateway', 'search', 'activities']);
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(400);
    const search = slow.trace.find((s) => s.name === 'search.activities')!;
    expect(search.attributes).toMatchObject({ 'app.fault': 'searchSlowTermMs', 'app.fault.delay_ms': 400 });
    expect(evaluations(search).map((e) => e.attributes['feature_flag.key'])).toEqual(['searchSlowTermMs']);
    expectConnected(slow.trace);
  });
});

describe('usersLeakKb', () => {
  afterAll(() => setFlags({}, async () => true));

  it('keeps memory in the users service with every lookup', async () => {
    const users = stack.services.users;
    await setFlags({ usersLeakKb: 1024 }, async () => faulted((await traced('/api/users/@worf/short', ['users'])).trace).length > 0);
    const before = rssMb(users.child.pid!);
    for (let i = 0; i < 60; i++) await callApi(`${stack.gatewayUrl}/api/users/@worf/short`);
    const grown = rssMb(users.child.pid!) - before;
    expect(grown).toBeGreaterThanOrEqual(50);
    const { trace } = await traced('/api/users/@garek/short', ['users']);
    expect(faulted(trace)[0]!.attributes).toMatchObject({ 'app.fault': 'usersLeakKb', 'app.fault.leaked_kb': expect.any(Number) });
    expect(Number(faulted(trace)[0]!.attributes['app.fault.leaked_kb'])).toBeGreaterThanOrEqual(61 * 1024);
  });
});

describe('a broken flag file', () => {
  afterAll(() => setFlags({}, async () => (await traced('/api/message_groups', ['messages'])).status === 200));

  it('keeps the last good flags in every service, each saying so once, and crashes nothing', async () => {
    await setFlags({ messagesUnavailable: true }, async () => (await traced('/api/message_groups', ['gateway'])).status === 502);
    const complaints = () => Object.values(stack.services).map((s) => s.output().split('\n').filter((l) => l.includes('keeping the last good flags')).length);
    const before = complaints();
    writeFileSync(file, '{ "flags": { "messagesUnavailable": ');
    await waitFor(() => complaints().every((n, i) => n === before[i]! + 1), { timeoutMs: EDIT_TAKES_EFFECT_MS, what: 'every service to report the broken file' });
    await sleep(3_000); // more polls: still one line each
    expect(complaints()).toEqual(before.map((n) => n + 1));
    expect((await traced('/api/message_groups', ['gateway'])).status).toBe(502);
    for (const service of Object.values(stack.services)) {
      expect(service.child.exitCode).toBeNull();
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    }
  });
});
