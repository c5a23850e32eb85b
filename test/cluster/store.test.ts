/**
 * Writes that survive, on the cluster: PostgreSQL behind the services that keep data. A post
 * outlives a rolling restart of every Deployment and the deletion of PostgreSQL's pod (the
 * StatefulSet brings it back on its volume); with PostgreSQL gone for 30 s under load, the
 * routes that need it answer 503 store_unavailable within their timeout while every service
 * stays up and ready, and every request after it returns is answered.
 */
import { randomUUID } from 'node:crypto';
import { waitFor } from '@cruddur/testkit';
import { gateway, getJson, kubectl, pacedReads, podReady, podsOf, RELEASE, SERVICES, tally } from './cluster';

const POSTGRES = `${RELEASE}-postgres`;
/** Reads through every data-keeping service (and search, through activities). */
const READS = ['/api/activities/home', '/api/message_groups', '/api/activities/notifications', '/api/users/@worf/short', '/api/activities/search?term=cloud'];


async function postgresReady(timeoutMs = 180_000): Promise<void> {
  await waitFor(async () => (await getJson(['get', 'statefulset', POSTGRES])).status.readyReplicas === 1, { timeoutMs, intervalMs: 1000, what: 'PostgreSQL ready' });
  // The services' pools reconnect on the next request: wait for a read to come back.
  await waitFor(async () => (await gateway('GET', '/api/activities/home')).status === 200, { timeoutMs: 60_000, intervalMs: 1000, what: 'the home feed answered again' });
}

const homeHas = async (message: string) => ((await gateway('GET', '/api/activities/home')).body as { message: string }[]).some((a) => a.message === message);

test('a post survives a rolling restart of every Deployment and the deletion of the PostgreSQL pod', async () => {
  const message = `survives ${randomUUID()}`;
  expect((await gateway('POST', '/api/activities', { message, ttl: '1-hour' })).status).toBe(200);

  const deployments = SERVICES.map((s) => `deployment/${RELEASE}-${s}`);
  await kubectl(['rollout', 'restart', ...deployments]);
  for (const d of deployments) await kubectl(['rollout', 'status', d, '--timeout', '180s'], 190_000);
  expect(await homeHas(message)).toBe(true);

  const before = (await getJson(['get', 'pod', `${POSTGRES}-0`])).metadata.uid;
  await kubectl(['delete', 'pod', `${POSTGRES}-0`, '--wait=true'], 120_000);
  await postgresReady();
  expect((await getJson(['get', 'pod', `${POSTGRES}-0`])).metadata.uid).not.toBe(before);
  expect(await homeHas(message)).toBe(true);
}, 600_000);

test('PostgreSQL gone for 30 s under load: 503 store_unavailable within the timeout, every service up and ready, every request answered once it is back', async () => {
  const podsBefore = new Map<string, number>();
  for (const service of SERVICES) for (const pod of await podsOf(service)) podsBefore.set(pod.metadata.name, pod.status.containerStatuses[0].restartCount);

  // 20 reads a second for 70 s: 10 s before, 30 s without PostgreSQL, then its return.
  const load = pacedReads(READS, 70, 20, 5000);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const gone = performance.now();
  await kubectl(['scale', 'statefulset', POSTGRES, '--replicas=0']);
  await waitFor(async () => (await getJson(['get', 'pods', '--selector', 'app.kubernetes.io/component=postgres'])).items.length === 0, { timeoutMs: 60_000, what: 'PostgreSQL stopped' });
  const stopped = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 30_000));
  // Until this moment no PostgreSQL pod exists. Its readiness is seen a poll after it is ready,
  // and reads in between rightly find it there: they are neither "during" nor "after".
  const restoring = performance.now();
  await kubectl(['scale', 'statefulset', POSTGRES, '--replicas=1']);
  await waitFor(async () => (await getJson(['get', 'statefulset', POSTGRES])).status.readyReplicas === 1, { timeoutMs: 180_000, intervalMs: 500, what: 'PostgreSQL back' });
  const back = performance.now();
  const results = await load;
  const t0 = gone - 10_000; // the load's start, on the same clock
  const during = results.filter((r) => r.at + t0 > stopped && r.at + t0 < restoring);
  const after = results.filter((r) => r.at + t0 > back + 5_000);
  console.log(`PostgreSQL down ${((restoring - stopped) / 1000).toFixed(0)} s, ready again ${((back - restoring) / 1000).toFixed(1)} s after its scale-up: during ${JSON.stringify(tally(during))}, slowest ${Math.max(...during.map((r) => r.ms)).toFixed(0)} ms; after (from 5 s on) ${JSON.stringify(tally(after))}; all ${JSON.stringify(tally(results))}`);

  // While it is gone: a clear 503 from the services that need it (never a 502 or 504), fast.
  expect(during.length).toBeGreaterThan(200);
  expect(Object.keys(tally(during))).toEqual(['503']);
  expect(during.filter((r) => !r.body?.includes('"store_unavailable"'))).toEqual([]);
  expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(3000);
  // Once it is back (the pools reconnect on their next call), everything is answered.
  expect(after.length).toBeGreaterThan(0);
  expect(tally(after)).toEqual({ 200: after.length });
  // No service restarted or went unready meanwhile.
  for (const service of SERVICES) {
    for (const pod of await podsOf(service)) {
      expect({ pod: pod.metadata.name, ready: podReady(pod), restarts: pod.status.containerStatuses[0].restartCount }).toEqual({
        pod: pod.metadata.name,
        ready: true,
        restarts: podsBefore.get(pod.metadata.name),
      });
    }
  }
}, 300_000);
