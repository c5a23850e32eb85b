/**
 * The store CLI on a real database: bootstrap and migrate are idempotent, a new migration runs
 * exactly once, and each service's role reaches its own schema and nothing else.
 */
import { adminEnv, localCredentials, runStoreCli, STORE_SERVICES, type StoreService } from '@cruddur/store-kit';
import { createTestDatabase, REPO_ROOT, type TestDatabase } from '@cruddur/testkit';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** A table of each service's schema, to try reading as every role. */
const TABLE: Record<StoreService, string> = {
  activities: 'activities.activities',
  notifications: 'notifications.notifications',
  messages: 'messages.messages',
  users: 'users.users',
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function asRole<T>(service: StoreService, fn: (client: Client) => Promise<T>): Promise<T> {
  const env = db.envFor(service);
  const client = new Client({ host: env.PGHOST, port: Number(env.PGPORT), database: env.PGDATABASE, user: env.PGUSER, password: env.PGPASSWORD });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: { code?: string }) => error.code);

test('setup run again changes nothing, and says so', async () => {
  const before = await db.adminQuery("SELECT schemaname, relname FROM pg_catalog.pg_stat_user_tables ORDER BY 1, 2");
  const out = runStoreCli(['setup', '--schemas-only'], adminEnv(localCredentials(), db.name));
  for (const service of STORE_SERVICES) {
    expect(out).toContain(`store: schema ${service}: exists`);
    expect(out).toContain(`store: migrations ${service}: up to date`);
    const ran = await db.adminQuery<{ name: string }>(`SELECT name FROM ${service}.pgmigrations ORDER BY id`);
    expect(ran.map((r) => r.name)).toEqual([expect.stringMatching(/^0001_/), '0002_seed-week-2']);
  }
  expect(await db.adminQuery("SELECT schemaname, relname FROM pg_catalog.pg_stat_user_tables ORDER BY 1, 2")).toEqual(before);
});

test("each service's role reaches its own schema and nothing else", async () => {
  for (const service of STORE_SERVICES) {
    const reach = await asRole(service, async (client) => {
      const codes: Record<string, string | undefined> = {};
      for (const other of STORE_SERVICES) codes[other] = await codeOf(client.query(`SELECT count(*) FROM ${TABLE[other]}`));
      return codes;
    });
    // 42501: insufficient privilege.
    expect(reach).toEqual(Object.fromEntries(STORE_SERVICES.map((other) => [other, other === service ? 'ok' : '42501'])));
    expect(await asRole(service, (client) => codeOf(client.query('CREATE TABLE public.intruder (id int)')))).toBe('42501');
  }
});

test('a new migration file runs exactly once, as the service role, in its schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  try {
    cpSync(join(REPO_ROOT, 'services', 'users', 'dist', 'migrations'), dir, { recursive: true });
    writeFileSync(join(dir, '0003_extra.js'), "exports.up = (pgm) => { pgm.sql('CREATE TABLE users.extra (id int)'); };\n");
    const env = db.envFor('users');
    // node-pg-migrate is an ES module jest's loader cannot run: the migration runs in a process of its own, as the CLI's do.
    const run = () => {
      const script = `require(${JSON.stringify(join(REPO_ROOT, 'packages', 'store-kit', 'dist', 'migrate.js'))})
        .migrate('users', ${JSON.stringify({ host: env.PGHOST, port: Number(env.PGPORT), database: env.PGDATABASE, user: 'users', password: env.PGPASSWORD })}, () => {}, ${JSON.stringify(dir)})
        .then((ran) => console.log(JSON.stringify(ran)))`;
      const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(result.stderr);
      return JSON.parse(result.stdout) as string[];
    };
    expect(run()).toEqual(['0003_extra']);
    expect(run()).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return db.adminQuery<{ owner: string }>("SELECT tableowner AS owner FROM pg_catalog.pg_tables WHERE schemaname = 'users' AND tablename = 'extra'").then((rows) => {
    expect(rows).toEqual([{ owner: 'users' }]);
  });
});
