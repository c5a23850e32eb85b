/**
 * The tail-sampling tier through the real collectors, on loopback: two agents (the services
 * split between them, so a trace's spans reach both) send every trace to one of two
 * samplers by trace ID; the samplers keep every error trace and every slow one, 1 % of
 * load-test traffic and 10 % of the rest, mark every kept span with the SampleRate of the
 * policy that kept it, and write to their files and to a Honeycomb-shaped endpoint (a third
 * collector, receiving OTLP/HTTP). Errors and slowness come from the fault flags.
 */
import {
  shippedFlagsWith,
  SpanKind,
  startCollector,
  startStack,
  waitFor,
  type FlatSpan,
  type RunningCollector,
  type Stack,
} from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ORDINARY = 2000;
const LOADTEST = 2000;
const ERRORS = 100;
const SLOW = 20;
/** Short, so the test waits little; the chart's default is 10 s. */
const DECISION_WAIT_S = 2;

type Kind = 'ordinary' | 'loadtest' | 'error' | 'slow';
const sent = new Map<string, Kind>();

let dir: string;
let flagFile: string;
let recorder: RunningCollector;
let samplers: RunningCollector[];
let agents: RunningCollector[];
let stack: Stack;
/** What each sampler kept, and what reached the Honeycomb-shaped endpoint. */
let kept: FlatSpan[][];
let atRecorder: FlatSpan[];

function writeFlags(on: Record<string, number>): void {
  writeFileSync(flagFile, shippedFlagsWith(on));
}

/** Sends `count` requests of one kind, 16 at a time, each the root of a new sampled trace. */
async function send(kind: Kind, count: number, path: string, headers: Record<string, string> = {}): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const traceId = randomBytes(16).toString('hex');
      sent.set(traceId, kind);
      const response = await fetch(`${stack.gatewayUrl}${path}`, { headers: { ...headers, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

const byTrace = (spans: FlatSpan[]) => {
  const traces = new Map<string, FlatSpan[]>();
  for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  return traces;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tail-'));
  flagFile = join(dir, 'flags.json');
  writeFlags({});
  recorder = await startCollector({ overlays: ['base', 'local', 'file'] });
  const samplerEnv = { TAIL_DECISION_WAIT: `${DECISION_WAIT_S}s`, HONEYCOMB_ENDPOINT: recorder.otlpHttpUrl, HONEYCOMB_API_KEY: 'test-key-not-real' };
  samplers = await Promise.all([1, 2].map(() => startCollector({ overlays: ['base', 'local', 'sampler', 'file', 'honeycomb'], env: samplerEnv })));
  const ring = { SAMPLER_ENDPOINTS: `[${samplers.map((s) => s.otlpGrpcEndpoint).join(', ')}]` };
  agents = await Promise.all([1, 2].map(() => startCollector({ overlays: ['base', 'local', 'agent-tail', 'samplers-static'], env: ring })));
  const [a, b] = agents.map((agent) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: agent.otlpHttpUrl }));
  stack = await startStack({
    otlpEndpoint: agents[0]!.otlpHttpUrl,
    env: { OTEL_BSP_SCHEDULE_DELAY: '100', FLAGD_RESOLVER: 'in-process', FLAGD_OFFLINE_FLAG_SOURCE_PATH: flagFile },
    // A search is gateway → search → activities → users: its spans reach both agents.
    serviceEnv: { gateway: a, activities: a, users: a, search: b, messages: b, notifications: b },
  });

  await send('ordinary', ORDINARY * 0.75, '/api/activities/home');
  await send('ordinary', ORDINARY * 0.25, '/api/activities/search?term=cloud');
  await send('loadtest', LOADTEST, '/api/activities/home', { baggage: 'app.traffic=loadtest' });
  writeFlags({ activitiesErrorRate: 1 });
  await waitFor(async () => (await fetch(`${stack.gatewayUrl}/api/activities/home`)).status === 502, { timeoutMs: 5_000, what: 'the error fault' });
  await send('error', ERRORS, '/api/activities/home');
  writeFlags({ usersLatencyMs: 1100 });
  // Each service reads the file on its own: wait for both, activities no longer failing and users slow.
  await waitFor(async () => (await fetch(`${stack.gatewayUrl}/api/activities/home`)).status === 200, { timeoutMs: 5_000, what: 'the error fault to end' });
  await waitFor(
    async () => {
      const started = performance.now();
      await (await fetch(`${stack.gatewayUrl}/api/users/@worf/short`)).arrayBuffer();
      return performance.now() - started >= 1100;
    },
    { timeoutMs: 10_000, what: 'the latency fault' },
  );
  await send('slow', SLOW, '/api/users/@worf/short');

  // Every service flushes, then the agents, then the samplers (deciding what is still
  // pending), then the recorder: what the files hold then is everything there will be.
  await stack.stop();
  await Promise.all(agents.map((agent) => agent.stop()));
  await new Promise((resolve) => setTimeout(resolve, (DECISION_WAIT_S + 2) * 1000));
  await Promise.all(samplers.map((sampler) => sampler.stop()));
  await recorder.stop();
  kept = await Promise.all(samplers.map((sampler) => sampler.readSpans()));
  atRecorder = await recorder.readSpans();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  for (const collector of [...(agents ?? []), ...(samplers ?? []), recorder]) {
    await collector?.stop();
    collector?.remove();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The chart's sampling.tail.policies.slowMs: a trace longer than this is kept whatever its kind. */
const SLOW_POLICY_MS = 1000;
/** How long a trace took, from its first span's start to its last span's end. */
const traceMs = (spans: FlatSpan[]) => {
  const start = spans.reduce((min, s) => (s.startTimeUnixNano < min ? s.startTimeUnixNano : min), spans[0]!.startTimeUnixNano);
  const end = spans.reduce((max, s) => (s.endTimeUnixNano > max ? s.endTimeUnixNano : max), spans[0]!.endTimeUnixNano);
  return Number(end - start) / 1e6;
};

/** The traces of one kind that the samplers kept. */
const keptOf = (kind: Kind) => [...byTrace(kept.flat())].filter(([traceId]) => sent.get(traceId) === kind);

describe('two agents and two samplers', () => {
  it('send every trace, whole, to one sampler: none is split or half kept', () => {
    const perSampler = kept.map((spans) => new Set(spans.map((s) => s.traceId)));
    expect([...perSampler[0]!].filter((id) => perSampler[1]!.has(id))).toEqual([]);
    expect(perSampler.every((ids) => ids.size > 0)).toBe(true);
    // Every kept trace has every span of its route: a server span per service, a client span
    // per call, a domain span per service that has one, and a query span per database query.
    const SPANS: Record<string, number> = {
      'activities,gateway,users': 9, // home: gateway (2), activities (3 and a query), users (2 and a query)
      'activities,gateway,search,users': 12, // search, reaching both agents
      'activities,gateway': 3, // home failing in activities, before its route
      'gateway,users': 5, // a user's profile (and its query)
    };
    for (const [traceId, spans] of byTrace(kept.flat())) {
      const services = [...new Set(spans.filter((s) => s.kind === SpanKind.SERVER).map((s) => s.service))].sort().join(',');
      // The spans' names only when they are not all there: what is missing, at a glance.
      const names = spans.length === SPANS[services] ? undefined : spans.map((s) => `${s.service} ${s.name}`).sort();
      expect({ traceId, services, spans: spans.length, names }).toEqual({ traceId, services, spans: SPANS[services], names: undefined });
    }
  });

  it('keep every error trace and every slow one, with SampleRate 1', () => {
    expect(keptOf('error')).toHaveLength(ERRORS);
    expect(keptOf('slow')).toHaveLength(SLOW);
    for (const [kind, policy] of [['error', 'errors'], ['slow', 'slow']] as const) {
      for (const span of keptOf(kind).flatMap(([, spans]) => spans)) {
        expect({ kind, rate: span.attributes.SampleRate, policy: span.attributes['sampling.policy'] }).toEqual({ kind, rate: 1, policy });
      }
    }
  });

  it('keep about 1 % of load-test traces and 10 % of the rest, each span with its SampleRate', () => {
    const loadtest = keptOf('loadtest').length;
    const ordinary = keptOf('ordinary').length;
    console.log(`kept: ${loadtest} of ${LOADTEST} load-test traces, ${ordinary} of ${ORDINARY} others, ${ERRORS} of ${ERRORS} errors, ${SLOW} of ${SLOW} slow`);
    // Binomial bounds, about 3.2 standard deviations either side: 1 % of 2000 is 20 ± 4.4, 10 % is 200 ± 13.4.
    expect(loadtest).toBeGreaterThanOrEqual(6);
    expect(loadtest).toBeLessThanOrEqual(34);
    expect(ordinary).toBeGreaterThanOrEqual(157);
    expect(ordinary).toBeLessThanOrEqual(243);
    for (const [kind, rate, policy] of [['loadtest', 100, 'loadtest'], ['ordinary', 10, 'default']] as const) {
      for (const [traceId, spans] of keptOf(kind)) {
        // A trace of either kind that took longer than the slow policy's bound (a loaded
        // machine can make one) is kept by that policy instead, as every slow one: rate 1.
        const slow = traceMs(spans) > SLOW_POLICY_MS;
        for (const span of spans) {
          expect({ kind, traceId, rate: span.attributes.SampleRate, policy: span.attributes['sampling.policy'] }).toEqual(
            slow ? { kind, traceId, rate: 1, policy: 'slow' } : { kind, traceId, rate, policy },
          );
        }
      }
    }
  });

  it('send the Honeycomb endpoint exactly the kept spans, each carrying its SampleRate', () => {
    const key = (s: FlatSpan) => `${s.traceId}/${s.spanId}`;
    expect(atRecorder.map(key).sort()).toEqual(kept.flat().map(key).sort());
    expect(atRecorder.filter((s) => typeof s.attributes.SampleRate !== 'number')).toEqual([]);
  });
});
