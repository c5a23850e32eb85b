/**
 * The Honeycomb path in the cluster: with the chart's Honeycomb overlay on and its endpoint
 * pointed at a recorder inside the cluster, the collectors export OTLP/HTTP carrying the key
 * from the chart's Secret in `x-honeycomb-team`. The release is rolled back afterwards.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { REPO_ROOT, waitFor } from '@cruddur/testkit';
import { gateway, gatewayImage, getJson, helm, kubectlStdin, nodeInPod, RELEASE, RESTRICTED_CONTAINER } from './cluster';

const RECORDER = 'cruddur-honeycomb-recorder';
const KEY = `check-${randomBytes(8).toString('hex')}`;

// A plain HTTP server that keeps what each export request looked like (not its body).
const RECORDER_SCRIPT = `
const seen = [];
require('node:http').createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/seen') return res.end(JSON.stringify(seen));
  req.resume();
  req.on('end', () => {
    seen.push({ method: req.method, path: req.url, team: req.headers['x-honeycomb-team'] ?? null, type: req.headers['content-type'] ?? null });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
}).listen(4318);`;

function recorder(image: string): string {
  const labels = { 'app.kubernetes.io/name': 'honeycomb-recorder' };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: RECORDER, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            containers: [{ name: 'recorder', image, command: ['node', '-e', RECORDER_SCRIPT], ports: [{ containerPort: 4318 }], securityContext: RESTRICTED_CONTAINER }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: RECORDER, labels }, spec: { selector: labels, ports: [{ port: 4318, targetPort: 4318 }] } },
  ]
    .map((o) => JSON.stringify(o))
    .join('\n---\n');
}

let revision: number;

beforeAll(async () => {
  revision = Number((JSON.parse(await helm(['history', RELEASE, '--output', 'json'])) as { revision: number }[]).at(-1)!.revision);
  await kubectlStdin('apply', recorder(await gatewayImage()));
  await helm([
    'upgrade', RELEASE, join(REPO_ROOT, 'charts', 'cruddur'), '--reuse-values', '--wait', '--timeout', '3m',
    '--set', 'honeycomb.enabled=true', '--set', 'jaeger.enabled=true',
    '--set', `honeycomb.apiKey=${KEY}`, '--set', `honeycomb.endpoint=http://${RECORDER}:4318`,
  ]);
}, 240_000);

afterAll(async () => {
  await helm(['rollback', RELEASE, String(revision), '--wait', '--timeout', '3m']).catch((e) => console.error(e));
  await kubectlStdin('delete', recorder('unused')).catch(() => undefined);
}, 240_000);

test('the Secret holds the key, and the collectors send it in x-honeycomb-team', async () => {
  const secret = await getJson(['get', 'secret', 'cruddur-honeycomb']);
  expect(Buffer.from(secret.data['api-key'], 'base64').toString()).toBe(KEY);

  const recorderPod = async () => (await getJson(['get', 'pods', '--selector', 'app.kubernetes.io/name=honeycomb-recorder'])).items.find((p: { status: { phase: string } }) => p.status.phase === 'Running');
  let seen: { method: string; path: string; team: string | null; type: string | null }[] = [];
  await waitFor(
    async () => {
      await gateway('GET', '/api/activities/home');
      const pod = await recorderPod();
      if (!pod) return false;
      seen = JSON.parse(await nodeInPod(pod.metadata.name, `fetch('http://127.0.0.1:4318/seen').then((r) => r.text()).then(console.log)`));
      return seen.length > 0;
    },
    { timeoutMs: 60_000, intervalMs: 2000, what: 'an export at the recorder' },
  );
  expect(seen[0]).toEqual({ method: 'POST', path: '/v1/traces', team: KEY, type: 'application/x-protobuf' });
  expect(seen.every((s) => s.team === KEY)).toBe(true);
});
