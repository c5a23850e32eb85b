/**
 * The six service images `make images` built, each run as the chart runs its pod (uid 1000,
 * read-only root with a tmpfs /tmp, every capability dropped, no privilege escalation, the
 * chart's memory and CPU limits and environment), wired together on loopback (host network,
 * the addresses the cluster would give replaced by loopback ports). The spans go to an OTLP
 * receiver in the test, as OTLP/JSON (the one setting changed: the chart's protobuf path is
 * proven through the collector image in observability-images.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isStoreService } from '@cruddur/store-kit';
import {
  CALLS,
  createTestDatabase,
  freePort,
  SERVICE_NAMES,
  serverSpan,
  SpanKind,
  spansOfTrace,
  startOtlpReceiver,
  waitFor,
  type OtlpReceiver,
  type ServiceName,
  type TestDatabase,
} from '@cruddur/testkit';
import { chartEnv, chartPod, chartSecurityFlags, envFlags, sigtermBudgetSeconds, type ChartPod } from './chart-pod';
import { removeLeftovers, runContainer, serviceImage, uniqueName, type Container } from './engine';

/** One route of each service's own, called directly as the gateway calls it. */
const OWN_ROUTE: Record<ServiceName, string> = {
  gateway: '/api/health-check',
  activities: '/api/activities/home',
  notifications: '/api/activities/notifications',
  messages: '/api/message_groups',
  users: '/api/users/@worf/short',
  search: '/api/activities/search?term=fun',
};
const ACTING_USER = { 'x-cruddur-user': 'andrewbrown' };

interface Running {
  pod: ChartPod;
  container: Container;
  url: string;
  readyMs: number;
}

let receiver: OtlpReceiver;
let database: TestDatabase;
const running = {} as Record<ServiceName, Running>;

async function readyWithin(url: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200, { timeoutMs, what: `${url}/readyz` });
  return Math.round(performance.now() - started);
}

beforeAll(async () => {
  await removeLeftovers();
  receiver = await startOtlpReceiver();
  // The local PostgreSQL server stands in for the chart's: a database of this run's, set up as
  // the store-setup Job sets it up.
  database = await createTestDatabase();
  const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (name) => [name, await freePort()]))) as Record<ServiceName, number>;
  // Leaves first, so each caller finds its upstreams ready (as readiness gates traffic in the cluster).
  const order: ServiceName[] = ['users', 'notifications', 'activities', 'messages', 'search', 'gateway'];
  for (const name of order) {
    const pod = chartPod('Deployment', `cruddur-${name}`);
    const containerName = uniqueName(name);
    const store = isStoreService(name) ? database.envFor(name) : {};
    const env = {
      ...chartEnv(pod, {
        ...(isStoreService(name) ? { secrets: { [`cruddur-postgres/${name}-password`]: store.PGPASSWORD! } } : {}),
        fieldRefs: {
          'metadata.name': containerName,
          'metadata.namespace': 'cruddur',
          'metadata.uid': randomUUID(),
          'spec.nodeName': hostname(),
          'status.podIP': '127.0.0.1',
          'status.hostIP': '127.0.0.1',
        },
      }),
      // What the cluster's network gives, on loopback instead.
      ...store,
      HOST: '127.0.0.1',
      PORT: String(ports[name]),
      ...Object.fromEntries(CALLS[name].map((callee) => [`${callee.toUpperCase()}_URL`, `http://127.0.0.1:${ports[callee]}`])),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    const container = await runContainer(containerName, [...chartSecurityFlags(pod), '--network=host', ...envFlags(env)], serviceImage(name));
    const url = `http://127.0.0.1:${ports[name]}`;
    let readyMs: number;
    try {
      readyMs = await readyWithin(url, 30_000);
    } catch (error) {
      throw new Error(`${name} never became ready: ${(error as Error).message}\n${await container.logs()}`);
    }
    running[name] = { pod, container, url, readyMs };
  }
  console.log(`time from run to ready (ms): ${SERVICE_NAMES.map((n) => `${n} ${running[n].readyMs}`).join(', ')}`);
}, 180_000);

afterAll(async () => {
  await Promise.all(Object.values(running).map((r) => r.container.remove()));
  await receiver?.close();
  await database?.drop();
});

describe.each(SERVICE_NAMES)('the %s image, run as the chart runs it', (name) => {
  test('runs as uid/gid 1000, with no capabilities, no new privileges, and only /tmp writable', async () => {
    const probe = `
      const fs = require('node:fs');
      const status = fs.readFileSync('/proc/self/status', 'utf8');
      const field = (key) => status.match(new RegExp('^' + key + ':\\\\s*(.*)$', 'm'))[1].trim();
      const writable = (path) => { try { fs.writeFileSync(path, 'x'); fs.rmSync(path); return 'yes'; } catch (e) { return e.code; } };
      console.log(JSON.stringify({
        uid: process.getuid(), gid: process.getgid(), capEff: field('CapEff'), noNewPrivs: field('NoNewPrivs'),
        app: writable('/app/probe'), root: writable('/probe'), tmp: writable('/tmp/probe'),
      }));`;
    const seen = JSON.parse(await running[name].container.exec(['node', '-e', probe]));
    expect(seen).toEqual({ uid: 1000, gid: 1000, capEff: '0000000000000000', noNewPrivs: '1', app: 'EROFS', root: 'EROFS', tmp: 'yes' });
  });

  test("carries the services' production dependencies, the preload's NodeSDK and instrumentation bundle among them, and no build, test or bench tool", async () => {
    const probe = `
      const present = (name) => require('node:fs').existsSync('/app/node_modules/' + name + '/package.json');
      console.log(JSON.stringify(Object.fromEntries(process.argv.slice(1).map((name) => [name, present(name)]))));`;
    const tooling = ['typescript', 'jest', 'ts-jest', 'autocannon'];
    // What the preload loads (NodeSDK and auto-instrumentations-node), and instrumentations a
    // library a user adds is traced by: fetch, the logger, Postgres.
    const runtime = ['express', '@opentelemetry/sdk-node', '@opentelemetry/auto-instrumentations-node', '@opentelemetry/instrumentation-undici', '@opentelemetry/instrumentation-pino', '@opentelemetry/instrumentation-pg'];
    const seen = JSON.parse(await running[name].container.exec(['node', '-e', probe, ...tooling, ...runtime]));
    expect(seen).toEqual({ ...Object.fromEntries(tooling.map((t) => [t, false])), ...Object.fromEntries(runtime.map((r) => [r, true])) });
  });

  test("sizes its heap from the chart's memory limit: the same old space as --max-old-space-size at that share of it", async () => {
    // Node reads the container's cgroup limit for the chart's --max-old-space-size-percentage;
    // without the limit it would take that share of the machine's memory instead.
    const probe = `
      const { spawnSync } = require('node:child_process');
      const limit = () => require('node:v8').getHeapStatistics().heap_size_limit;
      const mib = Math.floor(process.constrainedMemory() / 1048576);
      const percent = Number(/--max-old-space-size-percentage=(\\d+)/.exec(process.env.NODE_OPTIONS)[1]);
      const sized = Math.floor(mib * percent / 100);
      const explicit = spawnSync(process.execPath, ['--max-old-space-size=' + sized, '-p', 'require("node:v8").getHeapStatistics().heap_size_limit'],
        { env: { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8' }).stdout.trim();
      console.log(JSON.stringify({ mib, percent, heap: limit(), explicit: Number(explicit) }));`;
    const seen = JSON.parse(await running[name].container.exec(['node', '-e', probe]));
    const limitMib = Number(running[name].pod.container.resources.limits.memory.replace(/Mi$/, ''));
    expect(seen.mib).toBe(limitMib);
    expect(seen.percent).toBe(60);
    expect(seen.heap).toBe(seen.explicit);
    expect(seen.heap).toBeLessThan(limitMib * 1048576);
  });

  test('answers its probes and its own route', async () => {
    const { url } = running[name];
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const response = await fetch(`${url}${OWN_ROUTE[name]}`, { headers: ACTING_USER });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  test("reads the chart's fault flags from the mounted ConfigMap, every flag off", async () => {
    const { container } = running[name];
    await waitFor(async () => (await container.logs()).includes('feature flags: reading the flag file'), { timeoutMs: 15_000, what: `${name} to read its flag file` });
    const logs = await container.logs();
    expect(logs).toContain('"flagFile":"/etc/cruddur/fault-flags/flags.json"');
    expect(logs).not.toMatch(/feature flags: .*(cannot read|not a valid value|is now)/);
  });

  test("exports its spans over OTLP, with the chart's resource attributes", async () => {
    const { url, container } = running[name];
    await fetch(`${url}${OWN_ROUTE[name]}`, { headers: ACTING_USER });
    const spans = await receiver.waitForSpans((all) => all.some((s) => s.service === name && s.kind === SpanKind.SERVER));
    const server = spans.find((s) => s.service === name && s.kind === SpanKind.SERVER)!;
    expect(server.resource).toMatchObject({
      'service.namespace': 'cruddur',
      'k8s.pod.name': container.name,
      'k8s.namespace.name': 'cruddur',
      'deployment.environment.name': 'kind',
    });
    // No /etc/machine-id in a container: host.id is simply absent, not a warning at start-up.
    expect(await container.logs()).not.toMatch(/invalid resource attribute/);
  });
});

test('the gateway serves the API end to end from the six images, as one connected trace', async () => {
  const traceId = randomUUID().replaceAll('-', '');
  const response = await fetch(`${running.gateway.url}/api/activities/search?term=fun`, {
    headers: { traceparent: `00-${traceId}-${'1'.repeat(16)}-01` },
  });
  expect(response.status).toBe(200);
  // display_name comes from the users service, two hops down.
  expect(await response.json()).toEqual(expect.arrayContaining([expect.objectContaining({ message: 'Cloud is very fun!', display_name: 'Andrew Brown' })]));
  const spans = await receiver.waitForSpans((all) => {
    const services = new Set(spansOfTrace(all, traceId).map((s) => s.service));
    return ['gateway', 'search', 'activities', 'users'].every((s) => services.has(s));
  });
  const trace = spansOfTrace(spans, traceId);
  // Each hop's server span is a child of a span of its caller: one tree, no orphans.
  const ids = new Set(trace.map((s) => s.spanId));
  for (const span of trace) {
    if (span.parentSpanId !== '1'.repeat(16)) expect(ids.has(span.parentSpanId!)).toBe(true);
  }
  expect(serverSpan(trace, 'search')).toBeDefined();
  expect(trace.some((s) => s.attributes['app.search.term'] === 'fun')).toBe(true);
});

// Last: the chart's grace period less its preStop sleep is what SIGTERM gets in the cluster.
test.each(SERVICE_NAMES)('the %s container drains and exits 0 on stop within what SIGTERM gets in the cluster', async (name) => {
  const { pod, container } = running[name];
  const budget = sigtermBudgetSeconds(pod);
  const { exitCode, seconds } = await container.stop(budget);
  console.log(`${name}: stopped in ${seconds.toFixed(2)} s (budget ${budget} s)`);
  expect(exitCode).toBe(0);
  expect(seconds).toBeLessThan(budget);
});
