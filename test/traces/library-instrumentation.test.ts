// A library the project does not use, added the way a user would add one: a route that calls
// global fetch (undici) to a second local server, in a service started with the real preload.
// auto-instrumentations-node traces it with nothing configured: the undici CLIENT span is the
// child of the route's span and the callee receives the trace in traceparent; and a line the
// service logs inside the request carries the span's trace_id and span_id (the pino
// instrumentation).
import { freePort, SpanKind, spansOfTrace, startEntry, startOtlpReceiver, type FlatSpan, type OtlpReceiver, type RunningProcess } from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

let receiver: OtlpReceiver;
let callee: Server;
let relay: RunningProcess;
/** The headers of each request the callee received. */
const received: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  callee = createServer((req, res) => {
    received.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => callee.listen(0, '127.0.0.1', resolve));
  const port = await freePort();
  relay = await startEntry('relay', join(__dirname, 'fixtures', 'relay-service.js'), {
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    OTEL_SERVICE_NAME: 'relay',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    CALLEE_URL: `http://127.0.0.1:${(callee.address() as AddressInfo).port}`,
  });
}, 30_000);

afterAll(async () => {
  await relay?.stop();
  await new Promise<void>((resolve) => (callee ? callee.close(() => resolve()) : resolve()));
  await receiver?.close();
});

/** The one span of the trace that matches, or a failure that lists the trace. */
function one(trace: FlatSpan[], what: string, predicate: (span: FlatSpan) => boolean): FlatSpan {
  const found = trace.filter(predicate);
  if (found.length !== 1) throw new Error(`expected one ${what}, found ${found.length} in ${trace.map((s) => `${s.scope}:${s.name}`).join(', ')}`);
  return found[0]!;
}

it('traces a fetch made inside a route: the undici CLIENT span under the route, the context carried to the callee, the log line correlated', async () => {
  const traceId = randomBytes(16).toString('hex');
  const response = await fetch(`${relay.url}/api/relay`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ calleeStatus: 200, callee: { ok: true } });

  await receiver.waitForSpans((spans) => spansOfTrace(spans, traceId).some((s) => s.kind === SpanKind.SERVER) && spansOfTrace(spans, traceId).some((s) => s.kind === SpanKind.CLIENT));
  const trace = spansOfTrace(receiver.spans, traceId);
  const server = one(trace, 'SERVER span', (s) => s.kind === SpanKind.SERVER);
  expect(server).toMatchObject({ service: 'relay', scope: 'cruddur', name: 'GET /api/relay' });
  const call = one(trace, 'relay.call span', (s) => s.name === 'relay.call');
  expect(call.parentSpanId).toBe(server.spanId);

  const client = one(trace, 'CLIENT span', (s) => s.kind === SpanKind.CLIENT);
  expect(client.scope).toBe('@opentelemetry/instrumentation-undici');
  expect(client.parentSpanId).toBe(call.spanId);
  expect(client.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.full': expect.stringMatching(/\/callee$/), 'http.response.status_code': 200 });

  expect(received).toHaveLength(1);
  expect(received[0]!.traceparent).toBe(`00-${traceId}-${client.spanId}-01`);

  const line = relay
    .output()
    .split('\n')
    .filter((text) => text.startsWith('{'))
    .map((text) => JSON.parse(text) as Record<string, unknown>)
    .find((entry) => entry.msg === 'relaying to the callee');
  expect(line).toMatchObject({ level: 'info', service: 'relay', trace_id: traceId, span_id: server.spanId, trace_flags: '01' });
});
