// The collector stops answering, then comes back: the services answer throughout, their
// span queue stays bounded (dropping, and counting, what does not fit), and export resumes.
import { freePort, startCollector, startStack, waitFor, type RunningCollector, type Stack } from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

const QUEUE = 64;
let collectorPort: number;
let stack: Stack;
let collector: RunningCollector | undefined;
// Where the collector should be: it accepts connections and never answers, so every export
// hangs until its timeout and the queue behind it fills (a refused port fails exports so
// fast that a burst may never fill the queue).
let silent: Server;

interface Stats {
  spansEnded: number;
  spansExported: number;
  spansDropped: number;
  spansFailed: number;
  queued: number;
}

const stats = async (url: string) => (await (await fetch(`${url}/telemetryz`)).json()) as Stats;

beforeAll(async () => {
  collectorPort = await freePort();
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(collectorPort, '127.0.0.1', resolve));
  stack = await startStack({
    otlpEndpoint: `http://127.0.0.1:${collectorPort}`,
    env: { OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_BSP_MAX_QUEUE_SIZE: String(QUEUE), OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '32', OTEL_EXPORTER_OTLP_TIMEOUT: '2000' },
  });
}, 60_000);

afterAll(async () => {
  silent?.closeAllConnections();
  silent?.close();
  await stack?.stop();
  await collector?.stop();
  collector?.remove();
});

it('answers normally while the collector does not answer, with a bounded span queue', async () => {
  // A burst far larger than the queue, with nowhere to export to.
  const statuses = await Promise.all(
    Array.from({ length: 120 }, () => fetch(`${stack.gatewayUrl}/api/activities/home`).then((r) => r.status)),
  );
  expect(statuses.filter((s) => s !== 200)).toEqual([]);

  const gateway = await stats(stack.services.gateway.url);
  expect(gateway.spansEnded).toBeGreaterThanOrEqual(240);
  expect(gateway.queued).toBeLessThanOrEqual(QUEUE);
  expect(gateway.spansExported).toBe(0);
  // The bound holds by dropping what does not fit, and the SDK counts every drop.
  expect(gateway.spansDropped).toBeGreaterThan(0);
});

it('resumes exporting once the collector is back: new traces arrive whole', async () => {
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
  collector = await startCollector({ overlays: ['base', 'local', 'file'], otlpHttpPort: collectorPort });
  // The outage's backlog leaves the queues (delivered, or failed out by its retries) first.
  await waitFor(
    async () => (await Promise.all(Object.values(stack.services).map((s) => stats(s.url)))).every((s) => s.queued === 0),
    { timeoutMs: 30_000, what: 'every service to empty its span queue' },
  );

  const traceId = randomBytes(16).toString('hex');
  const response = await fetch(`${stack.gatewayUrl}/api/activities/search?term=prune`, {
    headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
  });
  expect(response.status).toBe(200);
  await waitFor(
    async () => new Set((await collector!.readSpans()).filter((s) => s.traceId === traceId).map((s) => s.service)).size === 4,
    { timeoutMs: 10_000, what: 'the new trace from all four services in the collector file' },
  );
  expect((await stats(stack.services.gateway.url)).spansExported).toBeGreaterThan(0);
});
