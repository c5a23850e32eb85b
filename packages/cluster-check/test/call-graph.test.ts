import { callGraph, livePods, type PodFacts } from '../src/call-graph';
import type { K8sObject } from '../src/kubectl';

const pod = (name: string, component: string, node: string, ip: string, env: Record<string, string> = {}, phase = 'Running'): K8sObject => ({
  metadata: { name, labels: { 'app.kubernetes.io/component': component } },
  spec: {
    nodeName: node,
    containers: [
      {
        name: component,
        ports: [{ name: 'http', containerPort: component === 'users' ? 4574 : 4571 }],
        readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
        env: Object.entries(env).map(([n, value]) => ({ name: n, value })),
      },
    ],
  },
  status: { phase, podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
});
const service = (name: string, component: string, port: number): K8sObject => ({
  metadata: { name, namespace: 'cruddur' },
  spec: { selector: { 'app.kubernetes.io/component': component }, ports: [{ name: 'http', port, targetPort: 'http' }] },
});

const PODS = [
  pod('activities-1', 'activities', 'w1', '10.244.1.5', { USERS_URL: 'http://cruddur-users:4574', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://cruddur-collector.cruddur.svc:4318' }),
  pod('users-1', 'users', 'w2', '10.244.2.7', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://cruddur-collector.cruddur.svc:4318' }),
  pod('users-old', 'users', 'w2', '10.244.2.8', {}, 'Succeeded'),
];
const SERVICES = [service('cruddur-users', 'users', 4574), service('cruddur-activities', 'activities', 4571)];

test('pods are read with their node, address, readiness path and named ports; only running ones count', () => {
  const pods = livePods(PODS);
  expect(pods.map((p) => p.name)).toEqual(['activities-1', 'users-1']);
  expect(pods[1]).toMatchObject<Partial<PodFacts>>({ component: 'users', node: 'w2', ip: '10.244.2.7', ports: { http: 4574 }, readiness: { path: '/readyz', port: 4574 }, ready: true });
});

test("edges come from each component's <NAME>_URL naming a Service of the release, short or fully qualified", () => {
  expect(callGraph(livePods(PODS), SERVICES)).toEqual([{ caller: 'activities', callee: 'users', variable: 'USERS_URL', protocol: 'http', targetPort: 'http' }]);
  const qualified = [pod('search-1', 'search', 'w1', '10.244.1.9', { ACTIVITIES_URL: 'http://cruddur-activities.cruddur.svc.cluster.local:4571', FRONTEND_URL: 'http://localhost:3000' })];
  expect(callGraph(livePods(qualified), SERVICES)).toEqual([{ caller: 'search', callee: 'activities', variable: 'ACTIVITIES_URL', protocol: 'http', targetPort: 'http' }]);
});

test('PGHOST naming a Service of the release is a TCP edge to the database, on the Service port PGPORT names', () => {
  const postgres = { metadata: { name: 'cruddur-postgres', namespace: 'cruddur' }, spec: { selector: { 'app.kubernetes.io/component': 'postgres' }, ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres' }] } };
  const users = [pod('users-1', 'users', 'w2', '10.244.2.7', { PGHOST: 'cruddur-postgres', PGPORT: '5432' })];
  expect(callGraph(livePods(users), [...SERVICES, postgres])).toEqual([{ caller: 'users', callee: 'postgres', variable: 'PGHOST', protocol: 'tcp', targetPort: 'postgres' }]);
  // A PGHOST of no Service of the release (an external server) is not an edge these checks can probe.
  expect(callGraph(livePods([pod('users-1', 'users', 'w2', '10.244.2.7', { PGHOST: 'db.example' })]), SERVICES)).toEqual([]);
});
