import type { Serving } from '@cruddur/service-kit';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeBuiltApp, type BuiltApp } from './built-app';
import { serveFrontend } from './serve-frontend';

/** What the stand-in collector was sent. */
interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in for the collector's OTLP/HTTP receiver: records each request, answers as told. */
let answer: { status: number; headers?: Record<string, string>; body: string; delayMs?: number };
const received: Received[] = [];
let collector: Server;
let collectorUrl: string;
let built: BuiltApp;
let frontend: Serving;

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      setTimeout(() => res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body), answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((done) => collector.listen(0, '127.0.0.1', done));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  built = writeBuiltApp();
  frontend = await serveFrontend({ WEB_ROOT: built.root, OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, COLLECTOR_TIMEOUT_MS: 300 });
});

afterAll(async () => {
  await frontend.stop();
  collector.closeAllConnections();
  await new Promise((done) => collector.close(done));
  built.remove();
});

beforeEach(() => {
  received.length = 0;
  answer = { status: 200, body: '{"partialSuccess":{}}' };
});

/** A traces request as the browser's OTLP/JSON exporter sends it. */
function batch(serviceName = 'frontend-web', spans = 1) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-fetch' },
            spans: Array.from({ length: spans }, (_, i) => ({
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: `eee19b7ec3c1b1${String(i).padStart(2, '0')}`,
              name: 'GET',
              kind: 3,
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000000050000000',
            })),
          },
        ],
      },
    ],
  };
}

const post = (body: string, contentType = 'application/json', path = '/v1/traces') =>
  fetch(`${frontend.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('POST /v1/traces', () => {
  it("forwards the browser's spans to the collector's /v1/traces, byte for byte, and answers with the collector's answer", async () => {
    const sent = JSON.stringify(batch());
    const response = await post(sent);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ partialSuccess: {} });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/v1/traces', body: sent });
    expect(received[0]!.headers['content-type']).toBe('application/json');
  });

  it("passes none of the browser's own headers, path or query on to the collector", async () => {
    await fetch(`${frontend.url}/v1/traces?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-honeycomb-team': 'a-key', authorization: 'Bearer x', cookie: 'a=b' },
      body: JSON.stringify(batch()),
    });
    expect(received[0]!.url).toBe('/v1/traces');
    expect(Object.keys(received[0]!.headers)).not.toEqual(expect.arrayContaining(['x-honeycomb-team']));
    expect(received[0]!.headers.authorization).toBeUndefined();
    expect(received[0]!.headers.cookie).toBeUndefined();
  });

  it.each([
    ['spans of another service', JSON.stringify(batch('gateway')), 'application/json'],
    ['a resource without service.name', JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [] }] }), 'application/json'],
    ['metrics', JSON.stringify({ resourceMetrics: [] }), 'application/json'],
    ['traces with logs beside them', JSON.stringify({ ...batch(), resourceLogs: [] }), 'application/json'],
    ['an empty batch', JSON.stringify({ resourceSpans: [] }), 'application/json'],
    ['JSON that is not an object', '[1, 2]', 'application/json'],
    ['OTLP/protobuf', '\n\x0bhello', 'application/x-protobuf'],
    ['text', 'hello', 'text/plain'],
  ])('refuses %s with a 400 and forwards nothing', async (_what, body, contentType) => {
    const response = await post(body, contentType);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'malformed' });
    expect(received).toHaveLength(0);
  });

  it('refuses a body over the limit with a 413 and forwards nothing', async () => {
    const response = await post(JSON.stringify(batch('frontend-web', 1000)));
    expect(response.status).toBe(413);
    expect(received).toHaveLength(0);
  });

  it("passes the collector's refusals and its Retry-After on, so the browser's exporter retries later", async () => {
    answer = { status: 503, headers: { 'retry-after': '7' }, body: '{"code":14}' };
    const response = await post(JSON.stringify(batch()));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it('answers 502 for a collector answer the browser cannot act on', async () => {
    answer = { status: 404, body: '404 page not found' };
    expect((await post(JSON.stringify(batch()))).status).toBe(502);
  });

  it('answers 504 when the collector takes longer than COLLECTOR_TIMEOUT_MS', async () => {
    answer = { status: 200, body: '{}', delayMs: 1000 };
    const response = await post(JSON.stringify(batch()));
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ error: 'upstream_timeout' });
  });

  it('answers 502 when the collector cannot be reached', async () => {
    const orphan = await serveFrontend({ WEB_ROOT: built.root, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    try {
      const response = await fetch(`${orphan.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch()) });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ error: 'upstream_unavailable' });
    } finally {
      await orphan.stop();
    }
  });
});

describe('nothing else reaches the collector', () => {
  it.each(['/v1/metrics', '/v1/logs', '/v1/traces/../metrics', '/collector/v1/traces'])('POST %s is not relayed', async (path) => {
    const response = await post(JSON.stringify(batch()), 'application/json', path);
    expect([404, 405]).toContain(response.status);
    expect(received).toHaveLength(0);
  });

  it('GET /v1/traces is a 405', async () => {
    const response = await fetch(`${frontend.url}/v1/traces`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('OPTIONS, POST');
    expect(received).toHaveLength(0);
  });
});
