import type { PodFacts } from '../src/call-graph';
import { describeFailure, judge, likelyCauses, planProbes, TELEMETRY_ENV, type ProbeResult } from '../src/edges';

const pod = (name: string, component: string, node: string, ip: string, traced = true): PodFacts => ({
  name,
  component,
  node,
  ip,
  ready: true,
  container: component,
  ports: component === 'collector' ? { 'otlp-http': 4318 } : { http: 4574 },
  readiness: component === 'collector' ? undefined : { path: '/readyz', port: 4574 },
  env: traced ? { [TELEMETRY_ENV]: 'http://cruddur-collector.cruddur.svc:4318' } : {},
});

const activities = [pod('activities-a', 'activities', 'w1', '10.244.1.5'), pod('activities-b', 'activities', 'w2', '10.244.2.5')];
const users = [pod('users-a', 'users', 'w1', '10.244.1.6'), pod('users-b', 'users', 'w2', '10.244.2.6')];
const collectors = [pod('collector-a', 'collector', 'w1', '10.244.1.2', false), pod('collector-b', 'collector', 'w2', '10.244.2.2', false)];
const PODS = [...activities, ...users, ...collectors];
const EDGES = [{ caller: 'activities', callee: 'users', variable: 'USERS_URL', protocol: 'http' as const, targetPort: 'http' }];

test('every caller pod probes every callee pod, every traced pod its collector, and each node the collectors elsewhere', () => {
  const { probes, unprobed } = planProbes(PODS, EDGES);
  expect(unprobed).toEqual([]);
  const calls = probes.filter((p) => p.kind === 'call');
  expect(calls.map((p) => p.target.id)).toEqual(['activities-a>users-a', 'activities-a>users-b', 'activities-b>users-a', 'activities-b>users-b']);
  expect(calls[1]!.target.url).toBe('http://10.244.2.6:4574/readyz');
  expect(probes.filter((p) => p.kind === 'telemetry')).toHaveLength(4);
  expect(probes.filter((p) => p.kind === 'route').map((p) => `${p.from.node}>${p.to!.node} ${p.target.url}`)).toEqual(['w1>w2 http://10.244.2.2:4318/', 'w2>w1 http://10.244.1.2:4318/']);
});

test('a TCP edge (the database) opens a connection to each of the callee pods, which must be made', () => {
  const postgres = [{ ...pod('postgres-0', 'postgres', 'cp', '10.244.0.9', false), ports: { postgres: 5432 } }];
  const { probes } = planProbes([...activities, ...postgres], [{ caller: 'activities', callee: 'postgres', variable: 'PGHOST', protocol: 'tcp', targetPort: 'postgres' }]);
  const connects = probes.filter((p) => p.kind === 'connect');
  expect(connects.map((p) => p.target)).toEqual([
    { id: 'activities-a>postgres-0', tcp: '10.244.0.9:5432' },
    { id: 'activities-b>postgres-0', tcp: '10.244.0.9:5432' },
  ]);
  expect(judge(connects[0]!, { id: 'x', status: 0, ms: 1 }).ok).toBe(true);
  expect(judge(connects[0]!, { id: 'x', error: 'ECONNREFUSED', ms: 1 }).ok).toBe(false);
});

test('an edge with no pod behind it cannot pass', () => {
  expect(planProbes(activities, EDGES).unprobed).toEqual(['activities → users: no running pod of users']);
});

const results = (fail: (from: string, to: string | undefined) => { status?: number; error?: string } | undefined): ProbeResult[] =>
  planProbes(PODS, EDGES).probes.map((p) => judge(p, { id: p.target.id, ms: 3, ...(fail(p.from.node, p.to?.node) ?? { status: p.kind === 'call' ? 200 : 404 }) }));

test('all answered: no cause; an app call must be ready, other probes need only an answer', () => {
  expect(results(() => undefined).every((r) => r.ok)).toBe(true);
  expect(likelyCauses(results(() => undefined))).toEqual([]);
});

test('every probe from one node to another failing, each node reaching its own pods: routing between the nodes', () => {
  const broken = results((from, to) => (from === 'w1' && to === 'w2' ? { error: 'ECONNREFUSED' } : undefined));
  const failed = broken.filter((r) => !r.ok);
  expect(failed.map(describeFailure)).toEqual([
    'activities → users: activities-a on w1 → users-b on w2 ECONNREFUSED after 3 ms',
    'pods on w1 → pods on w2: activities-a on w1 → collector-b on w2 ECONNREFUSED after 3 ms',
  ]);
  expect(likelyCauses(broken)).toEqual([expect.stringMatching(/^no pod on w1 reaches a pod on w2: routing between the nodes is broken.*make down && make up/)]);
});

test('one app call refused where other traffic between the same nodes works: a NetworkPolicy or the callee', () => {
  const refused = planProbes(PODS, EDGES).probes.map((p) =>
    judge(p, { id: p.target.id, ms: 2, ...(p.target.id === 'activities-a>users-b' ? { error: 'ECONNREFUSED' } : { status: p.kind === 'call' ? 200 : 405 }) }),
  );
  expect(likelyCauses(refused)).toEqual([expect.stringMatching(/activities → users fails while other traffic from w1 to w2 works: a NetworkPolicy refusing activities/)]);
});

test('a callee answering 503 is not ready; a pod that cannot reach its collector names its node', () => {
  const notReady = results((_from, to) => (to === 'w2' ? { status: 503 } : undefined));
  expect(likelyCauses(notReady)).toEqual(['users-b answers 503: the pod itself is not ready']);
  const noCollector = planProbes(PODS, EDGES).probes.map((p) => judge(p, { id: p.target.id, ms: 1, ...(p.kind === 'telemetry' && p.from.node === 'w2' ? { error: 'ECONNREFUSED' } : { status: 200 }) }));
  expect(likelyCauses(noCollector)).toEqual([
    expect.stringMatching(/^w2: activities-b cannot reach the collector its spans go to/),
    expect.stringMatching(/^w2: users-b cannot reach the collector/),
  ]);
});
