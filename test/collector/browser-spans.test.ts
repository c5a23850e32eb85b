/**
 * The chart's `transform/browser` processor (files/collector/k8s.yaml), run by the real
 * collector: the browser's spans reach the collector through the frontend pod's relay, so
 * k8s_attributes would label them with that pod; the processor takes the pod metadata off
 * frontend-web's resources and leaves every other service's, and the cluster's name, alone.
 * k8s_attributes itself needs an API server, so here the metadata arrives already set.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO_ROOT, startCollector, waitFor, type FlatSpan, type RunningCollector } from '@cruddur/testkit';
import { parse, stringify } from 'yaml';

let collector: RunningCollector;
let dir: string;

beforeAll(async () => {
  const k8s = parse(readFileSync(join(REPO_ROOT, 'charts', 'cruddur', 'files', 'collector', 'k8s.yaml'), 'utf8'));
  dir = mkdtempSync(join(tmpdir(), 'cruddur-browser-transform-'));
  const overlay = join(dir, 'browser-transform.yaml');
  // The shipped processor, exactly as k8s.yaml defines it, in the local pipeline.
  writeFileSync(
    overlay,
    stringify({
      processors: { 'transform/browser': k8s.processors['transform/browser'] },
      service: { pipelines: { 'traces/in': { processors: ['memory_limiter', 'transform/browser', 'batch'] } } },
    }),
  );
  collector = await startCollector({ extraConfigFiles: [overlay] });
}, 60_000);

afterAll(async () => {
  await collector?.stop();
  collector?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const podMetadata = {
  'k8s.namespace.name': 'cruddur',
  'k8s.pod.name': 'cruddur-frontend-7d9f8-abcde',
  'k8s.pod.uid': '0f7d1c1e-5d6a-4e61-9b2f-6f1ad1e0c9a1',
  'k8s.deployment.name': 'cruddur-frontend',
  'k8s.node.name': 'cruddur-worker',
  'k8s.cluster.name': 'kind-cruddur',
};

function batch(service: string, traceId: string) {
  const attributes = Object.entries({ 'service.name': service, ...podMetadata }).map(([key, value]) => ({ key, value: { stringValue: value } }));
  return {
    resourceSpans: [{ resource: { attributes }, scopeSpans: [{ spans: [{ traceId, spanId: randomBytes(8).toString('hex'), name: 'GET', kind: 3, startTimeUnixNano: '1000', endTimeUnixNano: '2000' }] }] }],
  };
}

test("the browser's spans lose the relaying pod's metadata; the services' keep theirs", async () => {
  const traceId = randomBytes(16).toString('hex');
  for (const service of ['frontend-web', 'gateway']) {
    const response = await fetch(`${collector.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch(service, traceId)) });
    expect(response.status).toBe(200);
  }
  let spans: FlatSpan[] = [];
  await waitFor(
    async () => {
      spans = (await collector.readSpans()).filter((s) => s.traceId === traceId);
      return spans.length === 2;
    },
    { timeoutMs: 10_000, what: 'both spans in the collector file' },
  );
  const browser = spans.find((s) => s.service === 'frontend-web')!;
  const gateway = spans.find((s) => s.service === 'gateway')!;
  expect(Object.keys(browser.resource).filter((k) => k.startsWith('k8s.'))).toEqual(['k8s.cluster.name']);
  expect(gateway.resource).toMatchObject(podMetadata);
});
