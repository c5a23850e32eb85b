/**
 * What the network allows: every edge of the call graph pod to pod across the nodes (the
 * check `make up` runs), the chart's NetworkPolicies as the CNI enforces them, and the
 * host's guard that keeps the cluster's pod and service traffic on this machine.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, waitFor } from '@cruddur/testkit';
import { probeEdges } from '@cruddur/cluster-check';
import { checkKubectl, fetchFromPod, gatewayImage, getJson, kubectlStdin, NAMESPACE, podsOf, RELEASE, RESTRICTED_CONTAINER } from './cluster';

const PROBE = 'cruddur-netpol-probe';

function probePod(image: string): string {
  // A pod with none of the labels the policies admit: what any other workload would be.
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: PROBE, labels: { 'app.kubernetes.io/name': 'netpol-probe' } },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'probe', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '600'], securityContext: RESTRICTED_CONTAINER }],
    },
  });
}

beforeAll(async () => {
  await kubectlStdin('apply', probePod(await gatewayImage()));
  await waitFor(async () => (await getJson(['get', 'pod', PROBE])).status.phase === 'Running', { timeoutMs: 60_000, intervalMs: 500, what: `pod ${PROBE} running` });
}, 90_000);

afterAll(async () => {
  await kubectlStdin('delete', probePod('unused')).catch(() => undefined);
});

test('every edge of the call graph answers pod to pod, and pods on each worker reach pods on the other', async () => {
  const report = await probeEdges(checkKubectl, { namespace: NAMESPACE, release: RELEASE, requestTimeoutMs: 3000 });
  const failed = report.results.filter((r) => !r.ok).map((r) => `${r.edge}: ${r.from.name} → ${r.to?.name ?? r.target.env} ${r.outcome.status ?? r.outcome.error}`);
  const pairs = [...new Set(report.results.filter((r) => r.to && r.to.node !== r.from.node).map((r) => `${r.from.node} → ${r.to!.node}`))].sort();
  console.log(`${report.edges} edges, ${report.results.length} probes; cross-node pairs: ${pairs.join(', ')}`);
  expect(report.unprobed).toEqual([]);
  expect(failed).toEqual([]);
  // Gateway → five services, search → activities, activities and messages → users, and the
  // four data-keeping services → PostgreSQL.
  expect(report.edges).toBe(12);
  const workers = new Set(report.results.map((r) => r.from.node));
  expect(workers.size).toBe(2);
  for (const from of workers) for (const to of workers) if (from !== to) expect(pairs).toContain(`${from} → ${to}`);
});

describe('NetworkPolicies', () => {
  test('a pod without the allowed labels cannot reach a domain service', async () => {
    for (const target of ['http://cruddur-users:4574/readyz', 'http://cruddur-activities:4571/readyz']) {
      expect(await fetchFromPod(PROBE, target)).toMatch(/^unreachable/);
    }
  });

  test('the same pod reaches the gateway, which takes traffic from anywhere', async () => {
    expect(await fetchFromPod(PROBE, 'http://cruddur-gateway:4567/api/health-check')).toBe('200');
  });

  test('a caller the policies name reaches its callee: activities → users, gateway → search', async () => {
    const [activities] = await podsOf('activities');
    const [gateway] = await podsOf('gateway');
    expect(await fetchFromPod(activities!.metadata.name, 'http://cruddur-users:4574/readyz')).toBe('200');
    expect(await fetchFromPod(gateway!.metadata.name, 'http://cruddur-search:4575/readyz')).toBe('200');
  });

  test('a caller the policies do not name is refused: notifications → users', async () => {
    const [notifications] = await podsOf('notifications');
    expect(await fetchFromPod(notifications!.metadata.name, 'http://cruddur-users:4574/readyz')).toMatch(/^unreachable/);
  });
});

test("the host's guard is in place: the kind network forwards only to itself", async () => {
  // `check` fails (exit 1, saying what is missing) unless the rules are in place.
  const { stderr } = await promisify(execFile)(join(REPO_ROOT, 'k8s', 'network-guard.sh'), ['check']);
  expect(stderr).toMatch(/contained: nothing is forwarded from \S+ except back onto it/);
});
