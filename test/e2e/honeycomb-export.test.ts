// The Honeycomb overlay, pointed at a plain HTTP endpoint inside the test (Honeycomb
// itself is out of reach here): spans arrive over OTLP/HTTP with the key from the
// environment in the x-honeycomb-team header, and the key shows up nowhere else.
import { freePort, startCollector, startStack, waitFor, type RunningCollector, type Stack } from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

interface Received {
  path: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const apiKey = `test-key-${randomBytes(8).toString('hex')}`;
const received: Received[] = [];
let honeycomb: Server;
let collector: RunningCollector;
let stack: Stack;

beforeAll(async () => {
  honeycomb = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      received.push({ path: req.url, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => honeycomb.listen(port, '127.0.0.1', resolve));
  collector = await startCollector({
    overlays: ['base', 'local', 'file', 'honeycomb'],
    env: { HONEYCOMB_ENDPOINT: `http://127.0.0.1:${port}`, HONEYCOMB_API_KEY: apiKey },
  });
  stack = await startStack({ otlpEndpoint: collector.otlpHttpUrl, env: { OTEL_BSP_SCHEDULE_DELAY: '100' } });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await collector?.stop();
  collector?.remove();
  await new Promise((resolve) => honeycomb?.close(resolve));
});

it('delivers the spans of a request to Honeycomb with the key in x-honeycomb-team', async () => {
  const traceId = randomBytes(16).toString('hex');
  const response = await fetch(`${stack.gatewayUrl}/api/activities/home`, {
    headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
  });
  expect(response.status).toBe(200);

  // OTLP protobuf carries the trace id as its 16 raw bytes.
  const idBytes = Buffer.from(traceId, 'hex');
  await waitFor(() => received.some((r) => r.body.includes(idBytes)), { what: 'the trace at the Honeycomb endpoint' });
  const exports = received.filter((r) => r.body.includes(idBytes));
  for (const request of exports) {
    expect(request.path).toBe('/v1/traces');
    expect(request.headers['x-honeycomb-team']).toBe(apiKey);
    expect(request.headers['content-type']).toBe('application/x-protobuf');
    expect(request.headers['content-encoding']).toBe('gzip');
  }
  // The same spans also reach the local file, so both backends get every batch.
  await waitFor(async () => (await collector.readSpans()).some((s) => s.traceId === traceId), { what: 'the trace in the file' });
});

it('keeps the key out of the collector log', () => {
  expect(collector.output()).not.toContain(apiKey);
});
