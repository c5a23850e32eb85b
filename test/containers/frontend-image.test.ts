/**
 * The frontend image `make images` built, run as the chart runs its pod (uid 1000, read-only
 * root, no capabilities, the chart's limits and environment) on loopback: it serves the
 * browser app with its Content-Security-Policy and settings, relays the browser's spans to
 * the collector's address (an OTLP receiver in the test), refuses anything else there, and
 * stops within what SIGTERM gets in the cluster.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { freePort, startOtlpReceiver, waitFor, type OtlpReceiver } from '@cruddur/testkit';
import { chartEnv, chartPod, chartSecurityFlags, envFlags, sigtermBudgetSeconds, type ChartPod } from './chart-pod';
import { removeLeftovers, runContainer, serviceImage, uniqueName, type Container } from './engine';

let receiver: OtlpReceiver;
let pod: ChartPod;
let container: Container;
let url: string;

beforeAll(async () => {
  await removeLeftovers();
  receiver = await startOtlpReceiver();
  pod = chartPod('Deployment', 'cruddur-frontend');
  const port = await freePort();
  const name = uniqueName('frontend');
  const env = {
    ...chartEnv(pod, {
      fieldRefs: { 'metadata.name': name, 'metadata.namespace': 'cruddur', 'metadata.uid': randomUUID(), 'spec.nodeName': hostname(), 'status.podIP': '127.0.0.1', 'status.hostIP': '127.0.0.1' },
    }),
    HOST: '127.0.0.1',
    PORT: String(port),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  };
  container = await runContainer(name, [...chartSecurityFlags(pod), '--network=host', ...envFlags(env)], serviceImage('frontend'));
  url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200, { timeoutMs: 30_000, what: 'the frontend ready' }).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await container.logs()}`);
  });
}, 90_000);

afterAll(async () => {
  await container?.remove();
  await receiver?.close();
});

test('serves the app: its page under a strict Content-Security-Policy, its bundle compressed, its settings from the chart', async () => {
  const page = await fetch(`${url}/`);
  expect(page.status).toBe(200);
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  const html = await page.text();
  const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  const bundle = await fetch(`${url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get('cache-control')).toMatch(/immutable/);
  // The chart's GATEWAY_PUBLIC_URL: where the browser sends its API calls and its traceparent.
  expect(await (await fetch(`${url}/config.json`)).json()).toMatchObject({ gatewayUrl: 'http://localhost:4567', tracesUrl: '/v1/traces' });
});

test("relays the browser's spans to the collector, and nothing that is not the browser's traces", async () => {
  const traceId = randomBytes(16).toString('hex');
  const batch = (service: string) => ({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ spans: [{ traceId, spanId: randomBytes(8).toString('hex'), name: 'documentLoad', kind: 1, startTimeUnixNano: '1', endTimeUnixNano: '2' }] }],
      },
    ],
  });
  const post = (body: unknown) => fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await post(batch('frontend-web'))).status).toBe(200);
  await receiver.waitForSpans((all) => all.some((s) => s.traceId === traceId && s.service === 'frontend-web'));
  expect((await post(batch('gateway'))).status).toBe(400);
  expect((await post({ resourceMetrics: [] })).status).toBe(400);
  expect((await fetch(`${url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBeGreaterThanOrEqual(400);
});

test('runs as uid 1000 with a read-only root, and stops within what SIGTERM gets in the cluster', async () => {
  const seen = JSON.parse(await container.exec(['node', '-e', 'console.log(JSON.stringify({ uid: process.getuid(), root: (() => { try { require("node:fs").writeFileSync("/app/x", "x"); return "yes"; } catch (e) { return e.code; } })() }))']));
  expect(seen).toEqual({ uid: 1000, root: 'EROFS' });
  const budget = sigtermBudgetSeconds(pod);
  const { exitCode, seconds } = await container.stop(budget);
  console.log(`frontend: stopped in ${seconds.toFixed(2)} s (budget ${budget} s)`);
  expect(exitCode).toBe(0);
  expect(seconds).toBeLessThan(budget);
});
