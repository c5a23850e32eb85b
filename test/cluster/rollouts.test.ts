/**
 * Rollouts under steady load through kind's port mapping, bounded in rate and time: a rolling
 * restart of domain services loses no request (readiness and the preStop drain), a restart of
 * the collector DaemonSet loses no request, and afterwards every service's SDK counters
 * account for every span it ended: exported, or dropped or failed and counted.
 */
import { REQUESTS } from '@cruddur/loadtests';
import { drive, type LoadResult } from '@cruddur/testkit';
import { GATEWAY, kubectl, nodeInPod, podsOf, PORTS, SERVICES } from './cluster';

/** What each service's /telemetryz answers (service-kit's TelemetryStats). */
interface TelemetryStats {
  spansEnded: number;
  spansExported: number;
  spansDropped: number;
  spansFailed: number;
  queued: number;
}

const RATE = 20;
// The reads of the traffic profile: a restarted service starts from the mock data again,
// so the checks stay independent of what earlier writes left.
const READS = REQUESTS.filter((r) => r.method === 'GET').map((r) => ({ method: r.method, path: r.path }));

/** Drives the gateway at RATE req/s while `during` runs, and for `settleSeconds` after it. */
async function underLoad(seconds: number, during: () => Promise<void>): Promise<LoadResult> {
  const load = drive({ url: GATEWAY, seconds, connections: 4, rate: RATE, requests: READS });
  await during();
  return load;
}

/** What the gateway logged as errors in the last `seconds`, counted by message: why requests failed. */
async function gatewayErrors(seconds: number): Promise<Record<string, number>> {
  const logs = await kubectl(['logs', '-l', 'app.kubernetes.io/component=gateway', '--since', `${seconds}s`, '--tail', '-1', '--prefix=false']).catch((e: Error) => e.message);
  const counts: Record<string, number> = {};
  for (const line of logs.split('\n')) {
    if (!line.includes('"level":"error"')) continue;
    const message = /"message":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 120);
    counts[message] = (counts[message] ?? 0) + 1;
  }
  return counts;
}

async function restart(kind: 'deployment' | 'daemonset', names: string[]): Promise<void> {
  await kubectl(['rollout', 'restart', ...names.map((n) => `${kind}/${n}`)]);
  for (const name of names) await kubectl(['rollout', 'status', `${kind}/${name}`, '--timeout', '120s'], 130_000);
}

test('a rolling restart of users and activities under load loses no request', async () => {
  const result = await underLoad(45, () => restart('deployment', ['cruddur-users', 'cruddur-activities']));
  console.log(
    `domain rollout: ${result.requests} requests, ${result.failures} failed ${JSON.stringify(result.failedBy)}, p99 ${result.p99Ms.toFixed(1)} ms` +
      (result.failures ? `; the gateway's errors: ${JSON.stringify(await gatewayErrors(120))}` : ''),
  );
  expect(result.requests).toBeGreaterThan(RATE * 30);
  expect(result.failedBy).toEqual({});
}, 180_000);

test('a restart of the collector DaemonSet under load loses no request, and the SDK counters account for every span', async () => {
  const result = await underLoad(40, () => restart('daemonset', ['cruddur-collector']));
  console.log(`collector rollout: ${result.requests} requests, ${result.failures} failed ${JSON.stringify(result.failedBy)}`);
  expect(result.failedBy).toEqual({});

  // An export in flight (or being retried: up to the exporter's timeout per attempt, with
  // backoff) is in none of the counters yet: read each pod's counters until they add up or
  // 90 s pass, then assert once.
  for (const service of SERVICES) {
    for (const pod of await podsOf(service)) {
      const read = async (): Promise<TelemetryStats> =>
        JSON.parse(await nodeInPod(pod.metadata.name, `fetch('http://127.0.0.1:${PORTS[service]}/telemetryz').then((r) => r.text()).then(console.log)`));
      const accounted = (s: TelemetryStats) => s.spansExported + s.spansDropped + s.spansFailed + s.queued;
      let stats = await read();
      const deadline = Date.now() + 90_000;
      while (accounted(stats) !== stats.spansEnded && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        stats = await read();
      }
      console.log(`${pod.metadata.name}: ${JSON.stringify(stats)}`);
      expect(stats.spansEnded).toBeGreaterThan(0);
      expect(accounted(stats)).toBe(stats.spansEnded);
    }
  }
}, 600_000);
