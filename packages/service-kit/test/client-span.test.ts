import { AppError, createApp, createLogger, createUpstream, serve, withSpan, type Serving } from '@cruddur/service-kit';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

// Under the project's preload, upstream calls make their own CLIENT spans and carry the
// context in their headers; the HTTP instrumentation does not patch http.request (telemetry.ts).
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const logger = createLogger('client-span-test', 'silent');

let upstream: Serving;
let closedUrl: string;
/** The trace headers each request to the fake upstream came with. */
const received: Array<{ traceparent?: string; baggage?: string; user?: string }> = [];

beforeAll(async () => {
  // What the preload leaves for the app (telemetry-handle.ts): it does not patch http.request,
  // so the upstream client makes the CLIENT spans.
  (globalThis as Record<symbol, unknown>)[Symbol.for('cruddur.telemetry')] = { clientSpans: true, shutdown: async () => {}, stats: async () => ({}) };
  expect(trace.setGlobalTracerProvider(provider)).toBe(true);
  expect(context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())).toBe(true);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  const routes = (app: import('express').Express) => {
    app.get('/echo', (req, res) => {
      received.push({ traceparent: req.get('traceparent'), baggage: req.get('baggage'), user: req.get('x-cruddur-user') });
      res.json({ ok: true });
    });
    app.get('/missing', (_req, res) => {
      res.status(404).json({ error: 'not_found', message: 'no user @nobody' });
    });
  };
  upstream = await serve(createApp({ logger, bodyLimit: '10kb', routes }), { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000, handleSignals: false });
  const closed = await serve(createApp({ logger, bodyLimit: '10kb', routes: () => {} }), { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000, handleSignals: false });
  closedUrl = closed.url;
  await closed.stop();
});
afterEach(() => {
  exporter.reset();
  received.length = 0;
});
afterAll(async () => {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('cruddur.telemetry')];
  await upstream.stop();
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

const clientSpans = () => exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);

describe('an upstream call', () => {
  it('is a CLIENT span under the active span, with the HTTP client attributes, and the upstream gets its context', async () => {
    const client = createUpstream({ name: 'users', baseURL: upstream.url, timeoutMs: 2000 });
    const bag = propagation.createBaggage({ 'app.traffic': { value: 'loadtest' } });
    await context.with(propagation.setBaggage(context.active(), bag), () =>
      withSpan('activities.home', {}, () => client.get('/echo', { handles: 'worf', none: undefined }, { 'x-cruddur-user': 'worf' })),
    );

    const [span] = clientSpans();
    const parent = exporter.getFinishedSpans().find((s) => s.name === 'activities.home')!;
    expect(clientSpans()).toHaveLength(1);
    expect(span!.name).toBe('GET');
    expect(span!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    const { port } = new URL(upstream.url);
    expect(span!.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': Number(port),
      'url.full': `${upstream.url}/echo?handles=worf`,
      'http.response.status_code': 200,
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);

    // The upstream's SERVER span will be the CLIENT span's child, and the baggage rides along.
    expect(received).toHaveLength(1);
    expect(received[0]!.traceparent).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
    expect(received[0]!.baggage).toBe('app.traffic=loadtest');
    expect(received[0]!.user).toBe('worf');
  });

  it('is in ERROR with error.type the status code when the upstream answers 4xx', async () => {
    const client = createUpstream({ name: 'users', baseURL: upstream.url, timeoutMs: 2000 });
    await expect(client.get('/missing')).rejects.toBeInstanceOf(AppError);
    const [span] = clientSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' });
  });

  it('is one CLIENT span per attempt, and none without the preload', async () => {
    const key = Symbol.for('cruddur.telemetry');
    const handle = (globalThis as Record<symbol, unknown>)[key];
    delete (globalThis as Record<symbol, unknown>)[key];
    try {
      // Another SDK's preload (no handle) makes client spans through its own HTTP instrumentation.
      await createUpstream({ name: 'users', baseURL: upstream.url, timeoutMs: 2000 }).get('/echo');
      expect(clientSpans()).toHaveLength(0);
      expect(received[0]!.traceparent).toBeUndefined();
    } finally {
      (globalThis as Record<symbol, unknown>)[key] = handle;
    }
  });

  it('is in ERROR with the exception and error.type the transport code when nothing answers', async () => {
    const client = createUpstream({ name: 'users', baseURL: closedUrl, timeoutMs: 2000 });
    await expect(client.get('/echo')).rejects.toMatchObject({ kind: 'upstream_unavailable', status: 502 });
    const [span] = clientSpans();
    expect(clientSpans()).toHaveLength(1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ECONNREFUSED');
    expect(span!.attributes['http.response.status_code']).toBeUndefined();
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });
});
