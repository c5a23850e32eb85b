/**
 * The chart's store-setup hook Job, step by step, in the images it runs: each data-keeping
 * service's image sets up that service's role, schema and migrations on a database of the
 * local PostgreSQL server (standing in for the chart's), with the Job's security settings
 * (read-only root, uid 1000, no capabilities) and environment; a second run changes nothing.
 * Then the PostgreSQL image the chart names (the official one, or its stand-in here) starts as
 * the StatefulSet runs it and takes a password login.
 */
import { randomBytes } from 'node:crypto';
import { localCredentials, STORE_SERVICES } from '@cruddur/store-kit';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@cruddur/testkit';
import { Client } from 'pg';
import { chartEnv, chartPod, chartSecurityFlags, envFlags, type ChartPod } from './chart-pod';
import { engine, ENGINE, removeLeftovers, runContainer, serviceImage, TEST_LABEL, uniqueName } from './engine';

let database: TestDatabase;

beforeAll(async () => {
  await removeLeftovers();
  // A database with nothing of the services' yet: the Job's steps make their schemas.
  database = await createTestDatabase([]);
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

/** Runs one step of the Job, as rendered, to completion; resolves with its output. */
async function runStep(service: string): Promise<string> {
  const pod = chartPod('Job', 'cruddur-store-setup', [], `setup-${service}`);
  const credentials = localCredentials();
  const secrets: Record<string, string> = { 'cruddur-postgres/admin-password': credentials.admin.password };
  for (const name of STORE_SERVICES) secrets[`cruddur-postgres/${name}-password`] = database.envFor(name).PGPASSWORD!;
  const env = { ...chartEnv(pod, { secrets }), PGHOST: '127.0.0.1', PGPORT: String(credentials.port), PGDATABASE: database.name, PGUSER: credentials.admin.user };
  const [program, ...args] = pod.container.command as string[];
  // In the foreground, removed when it ends; the container's command replaces the image's
  // entrypoint, as a pod's `command` does.
  return engine(['run', '--rm', '--name', uniqueName(`setup-${service}`), '--label', TEST_LABEL, ...chartSecurityFlags(pod), '--network=host', ...envFlags(env), '--entrypoint', program!, serviceImage(service), ...args], 120_000);
}

/** The reference an image the chart names short (postgres:15-bookworm) has in the engine's store. */
const qualified = (image: string) => (image.includes('/') ? image : `docker.io/library/${image}`);

test.each([...STORE_SERVICES])("the %s image sets up that service's store as the Job's step, and again changes nothing", async (service) => {
  const first = await runStep(service);
  expect(first).toMatch(new RegExp(`schema ${service}`));
  expect(first).toMatch(new RegExp(`migrations ${service}: ran `));
  const tables = await database.adminQuery<{ n: string }>('SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1', [service]);
  expect(Number(tables[0]!.n)).toBeGreaterThan(1);
  const again = await runStep(service);
  expect(again).toContain(`migrations ${service}: up to date`);
}, 180_000);

test('the PostgreSQL image starts as the StatefulSet runs it and takes the admin password over the network', async () => {
  const rendered = chartPod('StatefulSet', 'cruddur-postgres');
  // The volume claim (no volume of the pod's own) is a tmpfs here, owned as fsGroup makes it.
  const claim = '/var/lib/postgresql/data';
  const pod: ChartPod = { ...rendered, container: { ...rendered.container, volumeMounts: rendered.container.volumeMounts.filter((m: { mountPath: string }) => m.mountPath !== claim) } };
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const env = chartEnv(pod, { secrets: { 'cruddur-postgres/admin-password': password } });
  // Podman's tmpfs takes U (owned by the container's user) where Docker's takes uid and gid.
  const owner = ENGINE === 'podman' ? 'U' : 'uid=999,gid=999';
  const container = await runContainer(
    uniqueName('postgres'),
    [...chartSecurityFlags(pod), '--network=host', '--tmpfs', `${claim}:rw,mode=0770,${owner}`, ...envFlags(env)],
    qualified(pod.container.image),
    ['postgres', '-p', String(port)],
  );
  try {
    let version = '';
    await waitFor(
      async () => {
        const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'cruddur', connectionTimeoutMillis: 1000 });
        try {
          await client.connect();
          version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
          return true;
        } catch {
          return false;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'PostgreSQL to take a password login' },
    ).catch(async (error) => {
      throw new Error(`${(error as Error).message}\n${await container.logs()}`);
    });
    expect(version).toMatch(/^15\./);
    // A wrong password is refused: password logins over the network, not trust.
    const wrong = new Client({ host: '127.0.0.1', port, user: 'postgres', password: 'wrong', database: 'cruddur' });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
    await wrong.end().catch(() => undefined);
  } finally {
    await container.remove();
  }
}, 120_000);
