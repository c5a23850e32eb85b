/**
 * The release `make up` installed, as a user meets it: every pod Ready under the restricted
 * Pod Security profile, spread over the nodes, `helm test` green, and the whole Cruddur API
 * answering on the host through kind's port mapping.
 */
import { gateway, getJson, helm, NAMESPACE, podReady, podsOf, RELEASE, SERVICES, type K8sObject } from './cluster';


test('the namespace enforces the restricted Pod Security profile', async () => {
  const namespace = await getJson(['get', 'namespace', NAMESPACE]);
  expect(namespace.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
});

test('every pod of the release is Running and Ready: two of each of the seven services, one per worker, PostgreSQL, a collector on every node that runs them, Jaeger', async () => {
  const pods = (await getJson(['get', 'pods', '--selector', `app.kubernetes.io/instance=${RELEASE}`])).items as K8sObject[];
  const collectors = await getJson(['get', 'daemonset', 'cruddur-collector']);
  const byComponent = (c: string) => pods.filter((p) => p.metadata.labels['app.kubernetes.io/component'] === c && !p.metadata.annotations?.['helm.sh/hook']);
  // Two of each (k8s/kind-values.yaml), one on each worker.
  for (const service of SERVICES) {
    const running = byComponent(service).filter(podReady);
    expect({ service, ready: running.length, nodes: new Set(running.map((p) => p.spec.nodeName)).size }).toEqual({ service, ready: 2, nodes: 2 });
  }
  expect(byComponent('postgres').filter(podReady)).toHaveLength(1);
  // The DaemonSet schedules a collector wherever services can run (not on the tainted control plane).
  const serviceNodes = new Set(pods.filter((p) => SERVICES.includes(p.metadata.labels['app.kubernetes.io/component'])).map((p) => p.spec.nodeName));
  const collectorNodes = new Set(byComponent('collector').filter(podReady).map((p) => p.spec.nodeName));
  expect(collectors.status.numberReady).toBe(collectors.status.desiredNumberScheduled);
  for (const node of serviceNodes) expect(collectorNodes).toContain(node);
  expect(byComponent('jaeger').filter(podReady)).toHaveLength(1);
});

test('the services run on more than one node, so traces cross nodes', async () => {
  const nodes = new Set<string>();
  for (const service of SERVICES) for (const pod of await podsOf(service)) nodes.add(pod.spec.nodeName);
  expect(nodes.size).toBeGreaterThan(1);
});

test('helm test passes', async () => {
  const output = await helm(['test', RELEASE, '--logs']);
  expect(output).toMatch(/Phase:\s+Succeeded/);
});

describe('the Cruddur API on localhost:4567 (kind port mapping → NodePort → gateway)', () => {
  test.each([
    ['/api/health-check', (b: unknown) => expect(b).toEqual({ success: true })],
    ['/api/activities/home', (b: unknown) => expect((b as unknown[]).length).toBeGreaterThan(0)],
    ['/api/activities/@worf', (b: unknown) => expect((b as { handle: string }[]).every((a) => a.handle === 'worf')).toBe(true)],
    ['/api/activities/68f126b0-1ceb-4a33-88be-d90fa7109eee', (b: unknown) => expect(b).toMatchObject({ handle: 'andrewbrown' })],
    ['/api/activities/notifications', (b: unknown) => expect(Array.isArray(b)).toBe(true)],
    ['/api/activities/search?term=cloud', (b: unknown) => expect((b as unknown[]).length).toBeGreaterThan(0)],
    ['/api/message_groups', (b: unknown) => expect((b as unknown[]).length).toBeGreaterThan(0)],
    ['/api/messages/@worf', (b: unknown) => expect(Array.isArray(b)).toBe(true)],
    ['/api/users/@worf/short', (b: unknown) => expect(b).toMatchObject({ handle: 'worf', display_name: 'Worf' })],
  ])('GET %s', async (path, check) => {
    const { status, body } = await gateway('GET', path);
    expect(status).toBe(200);
    check(body);
  });

  test('writes: an activity, a reply to it, a message', async () => {
    const created = await gateway('POST', '/api/activities', { message: 'Hello from the cluster checks', ttl: '1-hour' });
    expect(created.status).toBe(200);
    const uuid = (created.body as { uuid: string }).uuid;
    const reply = await gateway('POST', `/api/activities/${uuid}/reply`, { message: 'And a reply' });
    expect(reply.status).toBe(200);
    const shown = await gateway('GET', `/api/activities/${uuid}`);
    expect(shown.body).toMatchObject({ message: 'Hello from the cluster checks', replies: [expect.objectContaining({ message: 'And a reply' })] });
    const message = await gateway('POST', '/api/messages', { message: 'Hello Worf', user_receiver_handle: 'worf' });
    expect(message.status).toBe(200);
  });

  test('bad input is a 422 with Cruddur codes, an unknown route a 404', async () => {
    const invalid = await gateway('POST', '/api/activities', { message: '', ttl: '' });
    expect(invalid.status).toBe(422);
    expect(JSON.stringify(invalid.body)).toMatch(/message_blank/);
    expect((await gateway('GET', '/api/nothing-here')).status).toBe(404);
  });
});
