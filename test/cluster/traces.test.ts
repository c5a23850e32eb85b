/**
 * Traces in the cluster's own Jaeger, read through kind's port mapping: one trace across the
 * services a request touched, crossing nodes, every span carrying the Kubernetes metadata the
 * collector's k8sattributes processor asked the API server for; and Jaeger's dependency graph
 * is the real call graph.
 */
import { gateway, JAEGER, jaegerTrace, newTraceparent, tagsOf, type JaegerTrace } from './cluster';
const servicesOf = (trace: JaegerTrace) => new Set(trace.spans.map((s) => trace.processes[s.processID]!.serviceName));

test('a search is one trace across gateway, search, activities and users, with k8s metadata on every span', async () => {
  const { traceId, traceparent } = newTraceparent();
  const { status } = await gateway('GET', '/api/activities/search?term=cloud', undefined, { traceparent });
  expect(status).toBe(200);
  // gateway SERVER+CLIENTs, search SERVER+domain+CLIENT, activities SERVER+domain+CLIENT, users SERVER+domain.
  const trace = await jaegerTrace(traceId, 10);
  expect([...servicesOf(trace)].sort()).toEqual(['activities', 'gateway', 'search', 'users']);

  // Every span but the root has its parent in the trace: nothing orphaned across hops.
  const ids = new Set(trace.spans.map((s) => s.spanID));
  const orphans = trace.spans.filter((s) => s.references.some((r) => r.refType === 'CHILD_OF' && !ids.has(r.spanID)));
  expect(orphans.map((s) => s.operationName)).toHaveLength(1); // the gateway's SERVER span, child of the caller's traceparent

  const nodes = new Set<unknown>();
  for (const span of trace.spans) {
    const process = trace.processes[span.processID]!;
    const tags = tagsOf(process.tags);
    expect({ service: process.serviceName, ...tags }).toMatchObject({
      'k8s.namespace.name': 'cruddur',
      'k8s.deployment.name': `cruddur-${process.serviceName}`,
      'k8s.node.name': expect.any(String),
      'k8s.pod.name': expect.stringMatching(new RegExp(`^cruddur-${process.serviceName}-`)),
      'k8s.cluster.name': 'kind-cruddur',
    });
    nodes.add(tags['k8s.node.name']);
  }
  expect(nodes.size).toBeGreaterThan(1);
});

test("Jaeger's dependency graph is the real call graph", async () => {
  // Traffic over every edge first.
  for (const path of ['/api/activities/home', '/api/activities/notifications', '/api/message_groups', '/api/users/@worf/short', '/api/activities/search?term=cloud']) {
    expect((await gateway('GET', path)).status).toBe(200);
  }
  const expected = [
    'gateway→activities',
    'gateway→notifications',
    'gateway→messages',
    'gateway→users',
    'gateway→search',
    'search→activities',
    'activities→users',
    'messages→users',
    // The browser's calls (browser.test.ts runs first): its fetch spans are the gateway's callers.
    'frontend-web→gateway',
  ].sort();
  let edges: string[] = [];
  const deadline = Date.now() + 30_000;
  do {
    const response = await fetch(`${JAEGER}/api/dependencies?endTs=${Date.now()}&lookback=3600000`);
    const links = ((await response.json()) as { data: { parent: string; child: string }[] }).data ?? [];
    // Jaeger also counts calls within a service (a SERVER span's own CLIENT span): not edges of the map.
    edges = [...new Set(links.filter((l) => l.parent !== l.child).map((l) => `${l.parent}→${l.child}`))].sort();
    if (expected.every((e) => edges.includes(e))) break;
    await new Promise((r) => setTimeout(r, 1000));
  } while (Date.now() < deadline);
  expect(edges).toEqual(expected);
});
