/**
 * The database under the services fails while they are loaded, on real processes over
 * loopback, bounded in rate and time. The suite runs a PostgreSQL server of its own (its own
 * folder and port, through scripts/local-postgres.sh), so stopping it stops no other suite's.
 * - stopped: every route that needs the store answers 503 store_unavailable, fast and well
 *   within the gateway's timeout; every service stays up and ready; once the server is back,
 *   the pools reconnect by themselves and every request is answered again;
 * - too slow (a table locked): the statement timeout answers 503 within its bound, never a 504;
 * - writes during the outage: each one answered 200 is stored exactly once, and none twice.
 */
import { STORE_SERVICES, localServer, type LocalServer } from '@cruddur/store-kit';
import { checkAnswer, createTestDatabase, drive, freePort, startStack, startWithRoles, waitFor, type LoadResult, type Stack, type TestDatabase } from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** Every route a client reaches that reads a store, each behind another service. */
const STORE_ROUTES = [
  '/api/activities/home',
  '/api/activities/notifications',
  '/api/message_groups',
  '/api/users/@worf/short',
  '/api/activities/search?term=cloud',
  '/api/activities/@worf',
  '/api/messages/@worf',
];
const MIX = STORE_ROUTES.map((path) => ({ method: 'GET' as const, path }));
/** The gateway's own timeout for each service (the default); a 503 must come well before it. */
const GATEWAY_TIMEOUT_MS = 3000;
const STATEMENT_TIMEOUT_MS = 1500;

let server: LocalServer;
let database: TestDatabase;
let stack: Stack;

beforeAll(async () => {
  server = localServer({ dir: mkdtempSync(join(tmpdir(), 'cruddur-outage-')), port: await freePort() });
  startWithRoles(server);
  database = await createTestDatabase(STORE_SERVICES, server.credentials());
  stack = await startStack({ database, env: { PG_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) } });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  if (server) {
    server.start();
    await database?.drop();
    server.reset();
  }
}, 60_000);

/** One request's status and how long it took; its answer is held to the contract after the clock stops. */
async function timed(path: string, init: RequestInit = {}): Promise<{ status: number; ms: number; body: any }> {
  const url = `${stack.gatewayUrl}${path}`;
  const started = performance.now();
  const response = await fetch(url, init);
  const body: unknown = await response.json();
  const ms = performance.now() - started;
  checkAnswer(init.method ?? 'GET', url, response.status, response.headers.get('content-type'), body);
  return { status: response.status, ms, body };
}

const load = (seconds: number, rate: number): Promise<LoadResult> => drive({ url: stack.gatewayUrl, seconds, connections: 4, rate, requests: MIX });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const everyoneReady = async () =>
  (await Promise.all(Object.values(stack.services).map((s) => fetch(`${s.url}/readyz`).then((r) => r.status, () => 0)))).every((status) => status === 200);

const post = (message: string) =>
  timed('/api/activities', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, ttl: '1-hour' }) });

test('PostgreSQL stopped under load: 503 store_unavailable at once on every store route, everyone stays up, and all is answered again once it is back', async () => {
  const tag = randomBytes(4).toString('hex');
  const during = load(9, 40);
  await sleep(1500);
  server.stop();
  const stoppedAt = performance.now();

  const answers = await Promise.all(STORE_ROUTES.map((path) => timed(path)));
  for (const [i, answer] of answers.entries()) {
    expect([STORE_ROUTES[i], answer.status, answer.body]).toEqual([STORE_ROUTES[i], 503, { error: 'store_unavailable', message: expect.stringMatching(/cannot reach its database \(.+\); try again$/) }]);
    expect(answer.ms).toBeLessThan(GATEWAY_TIMEOUT_MS / 2);
  }
  // Writes meanwhile: refused, or (in flight as it stopped) stored; never stored twice.
  const writes = await Promise.all(Array.from({ length: 5 }, (_, i) => post(`outage ${tag} ${i}`)));
  expect(writes.filter((w) => w.status !== 503 && w.status !== 200)).toEqual([]);
  expect(await everyoneReady()).toBe(true);
  expect((await fetch(`${stack.gatewayUrl}/api/health-check`)).status).toBe(200);
  expect(Object.values(stack.services).filter((s) => s.child.exitCode !== null).map((s) => s.name)).toEqual([]);

  await sleep(1500);
  server.start();
  const restartedAt = performance.now();
  await waitFor(async () => (await Promise.all(STORE_ROUTES.map((path) => timed(path)))).every((a) => a.status === 200), {
    timeoutMs: 10_000,
    intervalMs: 100,
    what: 'every store route answering 200 again',
  });
  const recoveredMs = performance.now() - restartedAt;
  const outage = await during;
  // Once it is back, everything is answered: a second load meets no failure at all.
  const after = await load(3, 40);
  const stored = await database.adminQuery<{ message: string; copies: string }>(
    'SELECT message, count(*) AS copies FROM activities.activities WHERE message LIKE $1 GROUP BY message',
    [`outage ${tag} %`],
  );
  console.log(
    `store outage: 503 in ${Math.max(...answers.map((a) => a.ms)).toFixed(0)} ms at most (gateway timeout ${GATEWAY_TIMEOUT_MS} ms); ` +
      `under load ${outage.requests} requests, failed by ${JSON.stringify(outage.failedBy)}; all routes back ${recoveredMs.toFixed(0)} ms after the server started ` +
      `(${((restartedAt - stoppedAt) / 1000).toFixed(1)} s down); ${after.requests} requests after it, failed by ${JSON.stringify(after.failedBy)}; ` +
      `writes during the outage: ${writes.map((w) => w.status).join(', ')}`,
  );
  expect(Object.keys(outage.failedBy).filter((status) => status !== '503')).toEqual([]);
  expect(after.failedBy).toEqual({});
  expect(after.requests).toBeGreaterThan(60);
  expect(stored.filter((row) => Number(row.copies) !== 1)).toEqual([]);
  expect(stored.map((row) => row.message).sort()).toEqual(writes.flatMap((w, i) => (w.status === 200 ? [`outage ${tag} ${i}`] : [])).sort());
}, 60_000);

test('PostgreSQL too slow (a table locked): 503 store_unavailable after the statement timeout, never the gateway 504; the rest unaffected', async () => {
  const { host, port, admin } = server.credentials();
  const locker = new Client({ host, port, database: database.name, user: admin.user, password: admin.password });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE activities.activities IN ACCESS EXCLUSIVE MODE');
    const [home, notifications] = await Promise.all([timed('/api/activities/home'), timed('/api/activities/notifications')]);
    expect(home.status).toBe(503);
    expect(home.body).toEqual({ error: 'store_unavailable', message: 'activities cannot reach its database (statement timeout); try again' });
    expect(home.ms).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 50);
    expect(home.ms).toBeLessThan(GATEWAY_TIMEOUT_MS);
    expect(notifications.status).toBe(200);
    console.log(`locked table: 503 in ${home.ms.toFixed(0)} ms (statement timeout ${STATEMENT_TIMEOUT_MS} ms); notifications meanwhile in ${notifications.ms.toFixed(0)} ms`);
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
  expect((await timed('/api/activities/home')).status).toBe(200);
}, 30_000);
