import { AppError, createApp, createLogger, createUpstream, serve, withSpan, type Serving } from '@cruddur/service-kit';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { request } from 'node:http';
import { setTimeout } from 'node:timers/promises';
import { setRunningTelemetry, type RunningTelemetry } from '../../src/telemetry/running';

// Under the preload's defaults the HTTP instrumentation is off: serve() makes each request's SERVER span
// (http/server-span.ts), and upstream calls make their own CLIENT spans and carry the context in
// their headers (http/client-span.ts).
/** The preload's default: service-kit makes the HTTP spans. */
const NATIVE: RunningTelemetry = { nativeHttpSpans: true, shutdown: async () => {}, stats: async () => ({ spansEnded: 0, spansExported: 0, spansDropped: 0, spansFailed: 0, queued: 0 }) };
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const logger = createLogger('http-spans-test', 'silent');

let upstream: Serving;
let closedUrl: string;
/** The trace headers each request to the fake upstream came with. */
const received: Array<{ traceparent?: string; baggage?: string; user?: string }> = [];
/** Resolves when the client that called /hang goes away. */
let hangWentAway: () => void = () => {};
const hangClosed = new Promise<void>((resolve) => (hangWentAway = resolve));

beforeAll(async () => {
  // What the preload leaves for the app by default (telemetry/running.ts): the HTTP spans are service-kit's.
  setRunningTelemetry(NATIVE);
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
    app.get('/activities/:uuid', (req, res) => withSpan('activities.show', {}, () => res.json({ uuid: req.params.uuid })));
    // The handler runs after the JSON parser has read the body from the request stream.
    app.post('/activities', (req, res) =>
      withSpan('activities.create', {}, () => {
        res.status(201).json({ baggage: propagation.getActiveBaggage()?.getEntry('app.traffic')?.value ?? null, body: req.body as unknown });
      }),
    );
    app.get('/boom', () => {
      throw new Error('the disk is on fire');
    });
    app.get('/unavailable', (_req, res) => {
      res.status(503).json({ error: 'upstream_unavailable', message: 'messages is down' });
    });
    app.get('/half-answered', (_req, res) => {
      res.status(200).write('{"activities": [');
      throw new Error('lost the disk mid-answer');
    });
    app.get('/hang', (req) => {
      req.socket.once('close', () => hangWentAway());
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
  setRunningTelemetry(undefined);
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

    // The upstream's SERVER span is the CLIENT span's child, and the baggage rides along.
    const server = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.name === 'GET /echo')!;
    expect(server.parentSpanContext?.spanId).toBe(span!.spanContext().spanId);
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

  // The stock HTTP instrumentation enabled (OTEL_NODE_ENABLED_INSTRUMENTATIONS naming http),
  // or another SDK's preload (nothing running): that instrumentation makes the client spans.
  it.each([
    ['the stock HTTP instrumentation is enabled', { ...NATIVE, nativeHttpSpans: false }],
    ['the preload is not running', undefined],
  ])('is no span of its own when %s', async (_when, running) => {
    setRunningTelemetry(running);
    try {
      await createUpstream({ name: 'users', baseURL: upstream.url, timeoutMs: 2000 }).get('/echo');
      expect(clientSpans()).toHaveLength(0);
      expect(received[0]!.traceparent).toBeUndefined();
    } finally {
      setRunningTelemetry(NATIVE);
    }
  });

  it('is in ERROR with the exception and error.type the transport code when nothing answers, once per attempt', async () => {
    const client = createUpstream({ name: 'users', baseURL: closedUrl, timeoutMs: 2000 });
    await expect(client.get('/echo')).rejects.toMatchObject({ kind: 'upstream_unavailable', status: 502 });
    // A refused call was never sent, so it is tried once more on a new connection: two spans.
    expect(clientSpans()).toHaveLength(2);
    for (const span of clientSpans()) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('ECONNREFUSED');
      expect(span.attributes['http.response.status_code']).toBeUndefined();
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
    }
  });
});

const serverSpans = () => exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);

interface Call {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Send the body this long after the headers, so the server reads it from a later packet. */
  bodyAfterMs?: number;
}

/** One raw HTTP/1.1 exchange with the upstream, so the test controls every header. */
function call(path: string, { method = 'GET', headers = {}, body, bodyAfterMs }: Call = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${upstream.url}${path}`, { method, headers: { connection: 'close', ...headers }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (bodyAfterMs === undefined) return void req.end(body);
    req.flushHeaders();
    globalThis.setTimeout(() => req.end(body), bodyAfterMs);
  });
}

/** The SERVER span ends as the response closes, which may come just after the client has read it. */
async function endedServerSpan(): Promise<ReadableSpan> {
  for (let i = 0; i < 50 && serverSpans().length === 0; i++) await setTimeout(10);
  expect(serverSpans()).toHaveLength(1);
  return serverSpans()[0]!;
}

describe('a request served', () => {
  it('is a SERVER span, child of the caller, named after the route, with the HTTP server attributes', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const { port } = new URL(upstream.url);
    const { status } = await call('/activities/8f1d?fields=all', {
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01`, 'user-agent': 'k6/1.3', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' },
    });
    expect(status).toBe(200);

    const span = await endedServerSpan();
    expect(span.name).toBe('GET /activities/:uuid');
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe(callerSpanId);
    expect(span.attributes).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/activities/8f1d',
      'url.query': 'fields=all',
      'server.address': '127.0.0.1',
      'server.port': Number(port),
      'network.protocol.version': '1.1',
      'network.peer.address': '127.0.0.1',
      'network.peer.port': expect.any(Number),
      'client.address': '203.0.113.9',
      'user_agent.original': 'k6/1.3',
      'http.response.status_code': 200,
      'http.route': '/activities/:uuid',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    // The handler's own span is the SERVER span's child.
    const child = exporter.getFinishedSpans().find((s) => s.name === 'activities.show')!;
    expect(child.parentSpanContext?.spanId).toBe(span.spanContext().spanId);
  });

  it('keeps its context past the JSON body parser, baggage included', async () => {
    const answer = await call('/activities', {
      method: 'POST',
      headers: { 'content-type': 'application/json', baggage: 'app.traffic=loadtest' },
      body: JSON.stringify({ message: 'hello', ttl: '7-days' }),
      bodyAfterMs: 50,
    });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toEqual({ baggage: 'loadtest', body: { message: 'hello', ttl: '7-days' } });
    const span = await endedServerSpan();
    expect(span.name).toBe('POST /activities');
    const child = exporter.getFinishedSpans().find((s) => s.name === 'activities.create')!;
    expect(child.parentSpanContext?.spanId).toBe(span.spanContext().spanId);
    expect(child.spanContext().traceId).toBe(span.spanContext().traceId);
  });

  it('is in ERROR with the failure and its message when the handler throws', async () => {
    expect((await call('/boom')).status).toBe(500);
    const span = await endedServerSpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the disk is on fire' });
    expect(span.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500', 'http.route': '/boom' });
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('is in ERROR with error.type for a 5xx answer, and not for a 4xx one', async () => {
    expect((await call('/unavailable')).status).toBe(503);
    const failed = await endedServerSpan();
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['error.type']).toBe('503');
    exporter.reset();

    expect((await call('/missing')).status).toBe(404);
    const missing = await endedServerSpan();
    expect(missing.status.code).toBe(SpanStatusCode.UNSET);
    expect(missing.attributes['error.type']).toBeUndefined();
  });

  it('has no route for a path no route matches, and records an unknown method as _OTHER', async () => {
    expect((await call('/nowhere', { method: 'PROPFIND' })).status).toBe(404);
    const span = await endedServerSpan();
    expect(span.name).toBe('HTTP');
    expect(span.attributes).toMatchObject({ 'http.request.method': '_OTHER', 'http.request.method_original': 'PROPFIND', 'http.response.status_code': 404 });
    expect(span.attributes['http.route']).toBeUndefined();
  });

  it('is in ERROR with the failure when the handler fails after the answer began', async () => {
    await expect(call('/half-answered')).rejects.toThrow();
    const span = await endedServerSpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'lost the disk mid-answer' });
    expect(span.attributes).toMatchObject({ 'http.response.status_code': 200, 'error.type': 'Error' });
  });

  it('is in ERROR with error.type aborted when the client goes away first', async () => {
    const req = request(`${upstream.url}/hang`, { agent: false });
    req.on('error', () => {});
    req.end();
    await setTimeout(100);
    req.destroy();
    await hangClosed;
    const span = await endedServerSpan();
    expect(span.name).toBe('GET /hang');
    expect(span.attributes['error.type']).toBe('aborted');
    expect(span.attributes['http.response.status_code']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('is not made for the probes', async () => {
    for (const probe of ['/healthz', '/readyz?verbose', '/telemetryz']) expect((await call(probe)).status).toBe(200);
    await setTimeout(50);
    expect(serverSpans()).toHaveLength(0);
  });

  it.each([
    ['the stock HTTP instrumentation is enabled', { ...NATIVE, nativeHttpSpans: false }],
    ['the preload is not running', undefined],
  ])('is not made by serve() when %s: that instrumentation makes it', async (_when, running) => {
    setRunningTelemetry(running);
    const app = createApp({ logger, bodyLimit: '10kb', routes: (a) => a.get('/plain', (_req, res) => void res.json({ ok: true })) });
    const plain = await serve(app, { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000, handleSignals: false });
    try {
      expect((await fetch(`${plain.url}/plain`)).status).toBe(200);
      await setTimeout(50);
      expect(serverSpans()).toHaveLength(0);
    } finally {
      setRunningTelemetry(NATIVE);
      await plain.stop();
    }
  });
});
