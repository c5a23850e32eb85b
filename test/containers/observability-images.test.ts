/**
 * The collector and Jaeger images the chart names (official, or this machine's stand-ins),
 * run as the chart runs them, carrying spans the chart's way: a service image exports
 * OTLP/protobuf to the collector image running the chart's rendered configuration, which
 * exports OTLP/gRPC to the Jaeger image, whose query API then serves the trace.
 *
 * The one part of the chart's configuration left out is the k8s overlay (k8sattributes asks
 * the API server about pods; there is none here): the live cluster checks cover it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, freePort, REPO_ROOT, waitFor, type TestDatabase } from '@cruddur/testkit';
import { find, render } from '../chart/chart';
import { chartEnv, chartPod, chartSecurityFlags, envFlags, KIND_VALUES, sigtermBudgetSeconds, type ChartPod } from './chart-pod';
import { removeLeftovers, runContainer, serviceImage, uniqueName, type Container } from './engine';

/** The engine's reference for the chart's collector or Jaeger image (official or stand-in), as `make standins` names it. */
function chartImage(name: 'collector' | 'jaeger'): string {
  const ref = execFileSync(join(REPO_ROOT, 'containers', 'standins.sh'), ['--present', name], { encoding: 'utf8' }).trim();
  if (!ref) throw new Error(`the engine has no ${name} image: run \`make standins\``);
  return ref;
}

interface JaegerTrace {
  traceID: string;
  spans: { operationName: string; processID: string }[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

let configDir: string;
let jaeger: { pod: ChartPod; container: Container; queryUrl: string };
let collector: { pod: ChartPod; container: Container; otlpHttp: number; health: number };
let users: { container: Container; url: string };
let database: TestDatabase;

beforeAll(async () => {
  await removeLeftovers();
  // The collector's ConfigMap, as the chart renders it, as the folder the pod mounts.
  const configMap = find(render([KIND_VALUES]), 'ConfigMap', 'cruddur-collector');
  if (!configMap) throw new Error('the chart renders no ConfigMap cruddur-collector');
  configDir = mkdtempSync(join(tmpdir(), 'cruddur-collector-config-'));
  chmodSync(configDir, 0o755);
  for (const [file, text] of Object.entries(configMap.data as Record<string, string>)) writeFileSync(join(configDir, file), text, { mode: 0o644 });

  // Jaeger in the engine's own network, its query port published on loopback.
  const jaegerPod = chartPod('Deployment', 'cruddur-jaeger');
  const queryPort = await freePort();
  const jaegerContainer = await runContainer(
    uniqueName('jaeger'),
    [...chartSecurityFlags(jaegerPod), '--publish', `127.0.0.1:${queryPort}:16686`],
    chartImage('jaeger'),
    jaegerPod.container.args,
  );
  jaeger = { pod: jaegerPod, container: jaegerContainer, queryUrl: `http://127.0.0.1:${queryPort}` };
  await waitFor(async () => (await fetch(`${jaeger.queryUrl}/api/services`).catch(() => null))?.ok === true, {
    timeoutMs: 30_000,
    what: 'the Jaeger query API',
  }).catch(async (error) => {
    throw new Error(`${(error as Error).message}\n${await jaegerContainer.logs()}`);
  });

  // The collector on the host's network, on free loopback ports, exporting to Jaeger's address.
  const collectorPod = chartPod('DaemonSet', 'cruddur-collector');
  const [otlpHttp, otlpGrpc, health] = await Promise.all([freePort(), freePort(), freePort()]);
  const collectorEnv = {
    ...chartEnv(collectorPod, { fieldRefs: { 'spec.nodeName': 'kind-worker' } }),
    OTLP_HTTP_ENDPOINT: `127.0.0.1:${otlpHttp}`,
    OTLP_GRPC_ENDPOINT: `127.0.0.1:${otlpGrpc}`,
    HEALTH_CHECK_ENDPOINT: `127.0.0.1:${health}`,
    JAEGER_ENDPOINT: `${await jaegerContainer.address()}:4317`,
  };
  const args = (collectorPod.container.args as string[]).filter((arg) => !arg.endsWith('/k8s.yaml'));
  const collectorContainer = await runContainer(
    uniqueName('collector'),
    [...chartSecurityFlags(collectorPod, { configMaps: { config: configDir } }), '--network=host', ...envFlags(collectorEnv)],
    chartImage('collector'),
    args,
  );
  collector = { pod: collectorPod, container: collectorContainer, otlpHttp, health };
  await waitFor(async () => (await fetch(`http://127.0.0.1:${health}/`).catch(() => null))?.status === 200, {
    timeoutMs: 30_000,
    what: "the collector's health check",
  }).catch(async (error) => {
    throw new Error(`${(error as Error).message}\n${await collectorContainer.logs()}`);
  });

  // One service image exporting the chart's way (OTLP/protobuf) to the collector, its store a
  // database of this run's on the local PostgreSQL server.
  database = await createTestDatabase(['users']);
  const store = database.envFor('users');
  const usersPod = chartPod('Deployment', 'cruddur-users');
  const usersPort = await freePort();
  const usersName = uniqueName('users');
  const usersEnv = {
    ...chartEnv(usersPod, {
      secrets: { 'cruddur-postgres/users-password': store.PGPASSWORD! },
      fieldRefs: { 'metadata.name': usersName, 'metadata.namespace': 'cruddur', 'spec.nodeName': 'kind-worker' },
    }),
    ...store,
    HOST: '127.0.0.1',
    PORT: String(usersPort),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpHttp}`,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  const usersContainer = await runContainer(usersName, [...chartSecurityFlags(usersPod), '--network=host', ...envFlags(usersEnv)], serviceImage('users'));
  users = { container: usersContainer, url: `http://127.0.0.1:${usersPort}` };
  await waitFor(async () => (await fetch(`${users.url}/readyz`).catch(() => null))?.status === 200, { timeoutMs: 30_000, what: 'the users service' });
}, 120_000);

afterAll(async () => {
  await Promise.all([users?.container.remove(), collector?.container.remove(), jaeger?.container.remove()]);
  await database?.drop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

test("a service's spans reach Jaeger through the collector image, with the chart's resource attributes", async () => {
  const response = await fetch(`${users.url}/api/users/@worf/short`, { headers: { 'x-cruddur-user': 'andrewbrown' } });
  expect(response.status).toBe(200);
  let traces: JaegerTrace[] = [];
  await waitFor(
    async () => {
      const answer = await fetch(`${jaeger.queryUrl}/api/traces?service=users&limit=20`);
      traces = ((await answer.json()) as { data: JaegerTrace[] }).data ?? [];
      return traces.length > 0;
    },
    { timeoutMs: 20_000, what: 'a users trace in Jaeger' },
  );
  const [trace] = traces;
  const process = trace!.processes[trace!.spans[0]!.processID]!;
  expect(process.serviceName).toBe('users');
  const tags = Object.fromEntries(process.tags.map((t) => [t.key, t.value]));
  expect(tags).toMatchObject({ 'service.namespace': 'cruddur', 'k8s.pod.name': users.container.name, 'k8s.namespace.name': 'cruddur' });
  expect(trace!.spans.map((s) => s.operationName)).toEqual(expect.arrayContaining([expect.stringMatching(/GET/)]));
});

test('Jaeger answers its query API as the chart probes it (the UI port)', async () => {
  expect((await fetch(`${jaeger.queryUrl}/`)).status).toBe(200);
  const services = ((await (await fetch(`${jaeger.queryUrl}/api/services`)).json()) as { data: string[] }).data;
  expect(services).toContain('users');
});

test('the collector and Jaeger stop cleanly on SIGTERM within their grace periods', async () => {
  await users.container.stop(5);
  for (const { pod, container } of [collector, jaeger]) {
    const budget = sigtermBudgetSeconds(pod);
    const { exitCode, seconds } = await container.stop(budget);
    expect({ name: container.name, exitCode }).toEqual({ name: container.name, exitCode: 0 });
    expect(seconds).toBeLessThan(budget);
  }
});
