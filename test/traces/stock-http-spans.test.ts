// OTEL_NODE_ENABLED_INSTRUMENTATIONS=http,express: a user who prefers the stock HTTP and
// Express spans gets them, and service-kit then makes no HTTP spans of its own. One switch,
// the standard variable: still exactly one SERVER span per hop and one CLIENT span per call,
// one connected trace, the route on each SERVER span, and the probes untraced.
import { callApi, callEdges, rootsOf, SpanKind, spansOfTrace, startTracedStack, type FlatSpan, type OtlpReceiver, type Stack } from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';

let receiver: OtlpReceiver;
let stack: Stack;
let stopAll: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ receiver, stack, stop: stopAll } = await startTracedStack({ env: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express' } }));
}, 60_000);

afterAll(() => stopAll?.());

it('gives one SERVER span per hop and one CLIENT span per call, all from the stock instrumentations', async () => {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  const { status } = await callApi(`${stack.gatewayUrl}/api/activities/search?term=cloud`, { headers: { traceparent: `00-${traceId}-${parentId}-01` } });
  expect(status).toBe(200);
  const services = ['gateway', 'search', 'activities', 'users'];
  await receiver.waitForSpans((spans) => services.every((service) => spansOfTrace(spans, traceId).some((s) => s.service === service && s.kind === SpanKind.SERVER)));
  // Children end before parents; give the last batch a moment to land.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const trace = spansOfTrace(receiver.spans, traceId);
  const of = (kind: number) => (service: string): FlatSpan[] => trace.filter((s) => s.service === service && s.kind === kind);

  for (const service of services) {
    const servers = of(SpanKind.SERVER)(service);
    expect({ service, servers: servers.length }).toEqual({ service, servers: 1 });
    expect(servers[0]!.scope).toBe('@opentelemetry/instrumentation-http');
  }
  expect(of(SpanKind.SERVER)('search')[0]!.attributes['http.route']).toBe('/api/activities/search');
  // gateway → search, search → activities, activities → users: one CLIENT span each, none from service-kit.
  const clients = trace.filter((s) => s.kind === SpanKind.CLIENT);
  expect(clients.map((s) => s.service).sort()).toEqual(['activities', 'gateway', 'search']);
  expect(clients.every((s) => s.scope === '@opentelemetry/instrumentation-http')).toBe(true);
  expect(trace.some((s) => s.scope === '@opentelemetry/instrumentation-express')).toBe(true);

  expect(rootsOf(trace)).toHaveLength(1);
  expect(rootsOf(trace)[0]!.parentSpanId).toBe(parentId);
  expect(callEdges(trace).map((e) => `${e.caller}->${e.callee}`).sort()).toEqual(['activities->users', 'gateway->search', 'search->activities']);
  // The domain spans still hang under the stock SERVER spans.
  expect(trace.find((s) => s.name === 'search.activities')).toMatchObject({ service: 'search', attributes: expect.objectContaining({ 'app.search.term': 'cloud' }) });
});

it('leaves the probes untraced, as service-kit does', async () => {
  // Every service's /readyz was polled until it was ready; each probe once more, then a batch's delay.
  for (const service of Object.values(stack.services)) {
    for (const probe of ['/healthz', '/readyz', '/telemetryz']) expect((await fetch(`${service.url}${probe}`)).status).toBe(200);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(receiver.spans.length).toBeGreaterThan(0);
  expect(receiver.spans.filter((s) => ['/healthz', '/readyz', '/telemetryz'].includes(String(s.attributes['url.path'])))).toEqual([]);
});
