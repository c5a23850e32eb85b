/**
 * `make dev` (skaffold dev) on the cluster, as a user runs it in a terminal (`script` gives it
 * one): the first round deploys the dev images over the release `make up` installed; an edit
 * saved during that round is not lost; an edit of the gateway, of a domain service and of the
 * frontend is each answered through skaffold's port-forwards; the data written before the loop
 * is still there (no wipe, no re-seed), and a migration added during the loop runs once; then
 * Ctrl-C ends it with exit 0, the dev release uninstalled and nothing left behind. Ctrl-C
 * while the first round still builds the images ends it with exit 0 too, deploying nothing. Runs last
 * (sequencer.js): it leaves the cluster without a release, for `make down`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { REPO_ROOT, waitFor } from '@cruddur/testkit';
import { gateway, helm, kubectl, psql, RELEASE } from './cluster';

/** skaffold.yaml's port-forwards (kind's own mappings hold 4567 and 3000). */
const DEV_GATEWAY = 'http://127.0.0.1:4568';
const DEV_FRONTEND = 'http://127.0.0.1:3001';
/**
 * The loop's budgets (each edit answered within 10 s; the first round, images built, within 3
 * minutes): printed against the figures, not asserted; a timed test would fail on a slow
 * machine, not on a broken loop. What is asserted is that every edit is answered at all.
 */
const EDIT_BUDGET_MS = 10_000;
const FIRST_ROUND_BUDGET_MS = 180_000;
const within = (ms: number, budget: number) => `${(ms / 1000).toFixed(1)} s (budget ${budget / 1000} s${ms <= budget ? '' : ', over'})`;

/** A source file changed for the test and put back afterwards, whatever happens. */
class Edit {
  private readonly original: string;
  constructor(readonly path: string) {
    this.original = readFileSync(join(REPO_ROOT, path), 'utf8');
  }
  replace(from: string, to: string): void {
    if (!this.original.includes(from)) throw new Error(`${this.path} no longer contains ${JSON.stringify(from)}: update the dev-loop check`);
    writeFileSync(join(REPO_ROOT, this.path), this.original.replace(from, to));
  }
  restore(): void {
    writeFileSync(join(REPO_ROOT, this.path), this.original);
  }
}

const token = randomUUID().slice(0, 8);
const gatewayEdit = new Edit('services/gateway/src/routes.ts');
const usersEdit = new Edit('services/users/src/lookup.ts');
const frontendEdit = new Edit('services/frontend/web/index.html');
const migration = join(REPO_ROOT, 'services', 'notifications', 'src', 'migrations', '9000_dev-loop-check.ts');

let loop: ChildProcess;
let output = '';
let exit: Promise<number | null>;
const seen = (text: string) => output.includes(text);

afterAll(async () => {
  for (const edit of [gatewayEdit, usersEdit, frontendEdit]) edit.restore();
  rmSync(migration, { force: true });
  if (loop && loop.exitCode === null) {
    loop.stdin?.write('\x03');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exit, new Promise((resolve) => (timer = setTimeout(resolve, 120_000)))]).finally(() => clearTimeout(timer));
  }
}, 180_000);

/** `make dev` in a terminal of its own (script), where Ctrl-C is what a user types. */
function startLoop(): void {
  output = '';
  loop = spawn('script', ['-qfec', 'make --no-print-directory dev', '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, MAKEFLAGS: '', MFLAGS: '', MAKELEVEL: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  exit = new Promise((resolve) => loop.on('exit', (code) => resolve(code)));
  loop.stdout!.on('data', (chunk) => (output += chunk));
  loop.stderr!.on('data', (chunk) => (output += chunk));
}

/** Resolves with the loop's exit code, or fails after `ms` with its last lines. */
async function exitWithin(ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    exit,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`make dev still running ${ms / 1000} s after Ctrl-C; its last lines:\n${output.trim().split('\n').slice(-15).join('\n')}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Polls `url` until its answer contains `text`; resolves with how long that took from `since`. */
async function answeredWithin(url: string, text: string, since: number): Promise<number> {
  await waitFor(async () => ((await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.text(), () => '')) as string).includes(text), {
    timeoutMs: 60_000,
    intervalMs: 250,
    what: `${url} to answer with ${text}`,
  });
  return Date.now() - since;
}

test('Ctrl-C while the first round builds the dev images ends make dev with exit 0, the release as make up left it', async () => {
  const revisions = await helm(['history', RELEASE, '--output', 'json']);
  startLoop();
  await waitFor(async () => seen('make dev: first round: building'), { timeoutMs: 120_000, intervalMs: 100, what: `the first round to start (output so far:\n${output.slice(-2000)})` });
  // A second for the build (a few seconds even when cached) to own the terminal.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  loop.stdin!.write('\x03');
  expect(await exitWithin(60_000)).toBe(0);
  expect(output).toMatch(/make dev: stopped before the first deploy: nothing was deployed/);
  expect(await helm(['history', RELEASE, '--output', 'json'])).toBe(revisions);
}, 240_000);

test('make dev: an edit saved in the first round is taken, each kind of service answers its edit (times printed), the data stays, a new migration runs once', async () => {
  // A database kept from an earlier run (PostgreSQL's claim outlives the release) may hold this
  // check's migration already: without it, "runs once" is measured from nothing.
  await psql("DELETE FROM notifications.pgmigrations WHERE name = '9000_dev-loop-check'; DROP TABLE IF EXISTS notifications.dev_loop_check");
  const kept = `written before the loop ${token}`;
  expect((await gateway('POST', '/api/activities', { message: kept, ttl: '1-hour' })).status).toBe(200);

  const started = Date.now();
  startLoop();

  // During the first round's deploy (the images built, Helm waiting for the pods): an edit
  // skaffold, not watching yet, would miss.
  await waitFor(async () => seen('make dev: deploying'), { timeoutMs: 600_000, intervalMs: 200, what: `the first round's deploy (output so far:\n${output.slice(-2000)})` });
  gatewayEdit.replace('res.json({ success: true });', `res.json({ success: true, edit: '${token}' });`);
  const gatewaySaved = Date.now();

  await waitFor(async () => seen('make dev: watching'), { timeoutMs: 600_000, intervalMs: 500, what: `the loop to take edits (output so far:\n${output.slice(-2000)})` });
  const firstRound = Date.now() - started;
  const lost = await answeredWithin(`${DEV_GATEWAY}/api/health-check`, token, gatewaySaved);

  usersEdit.replace('no user @${handle}', `no user @\${handle} [${token}]`);
  const usersMs = await answeredWithin(`${DEV_GATEWAY}/api/users/@nobody-${token}/short`, `[${token}]`, Date.now());

  frontendEdit.replace('<title>Cruddur</title>', `<title>Cruddur ${token}</title>`);
  const frontendMs = await answeredWithin(`${DEV_FRONTEND}/`, `Cruddur ${token}`, Date.now());

  // A schema change during the loop: a migration of the notifications service, synced and
  // compiled in its pods, which run their pending migrations as they restart.
  writeFileSync(
    migration,
    `import type { MigrationBuilder } from '@cruddur/store-kit';\n\n/** Added by the dev-loop check: a table it can look for. */\nexport function up(pgm: MigrationBuilder): void {\n  pgm.createTable('dev_loop_check', { id: 'id' });\n}\n`,
  );
  const migrationSaved = Date.now();
  const runs = () => psql("SELECT count(*) FROM notifications.pgmigrations WHERE name = '9000_dev-loop-check'");
  await waitFor(async () => (await runs()) === '1', { timeoutMs: 60_000, intervalMs: 1000, what: 'the new migration to have run' });
  const migrationMs = Date.now() - migrationSaved;
  // Both replicas restarted on it, one ran it (the other found it done): once.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  expect(await runs()).toBe('1');

  console.log(
    `make dev: first round ${within(firstRound, FIRST_ROUND_BUDGET_MS)}; gateway edit saved during its deploy answered ${(lost / 1000).toFixed(1)} s after saving; ` +
      `users edit ${within(usersMs, EDIT_BUDGET_MS)}, frontend edit ${within(frontendMs, EDIT_BUDGET_MS)}, a new migration run ${(migrationMs / 1000).toFixed(1)} s after saving`,
  );
  // The data written before the loop is still there: the loop neither wipes nor re-seeds.
  const feed = (await (await fetch(`${DEV_GATEWAY}/api/activities/home`)).json()) as { message: string }[];
  expect(feed.map((a) => a.message)).toContain(kept);
  const seeds = await psql("SELECT count(*) FROM activities.pgmigrations WHERE name LIKE '%seed%'");
  expect(seeds).toBe('1');
}, 900_000);

test('Ctrl-C ends make dev with exit 0: the dev release uninstalled, no port-forward, Podman API socket or skaffold left', async () => {
  for (const edit of [gatewayEdit, usersEdit, frontendEdit]) edit.restore();
  rmSync(migration, { force: true });
  const stopping = Date.now();
  loop.stdin!.write('\x03');
  const code = await exitWithin(180_000);
  console.log(`make dev stopped ${((Date.now() - stopping) / 1000).toFixed(0)} s after Ctrl-C; its last lines:\n${output.trim().split('\n').slice(-4).join('\n')}`);
  expect(code).toBe(0);
  expect(output).toMatch(/make dev: stopped: the release is uninstalled/);
  await expect(helm(['history', RELEASE])).rejects.toThrow(/not found/);
  // The workloads go at once; their pods a moment later (the garbage collector deletes them
  // after their ReplicaSets), so they are given a minute to be gone or terminating.
  let left: string[] = [];
  await waitFor(
    async () => {
      const listed = await kubectl(['get', 'deployments,statefulsets,pods', '--no-headers']).catch(() => '');
      left = listed.split('\n').filter((l) => l.trim() && !/Terminating|Completed/.test(l));
      return left.length === 0;
    },
    { timeoutMs: 60_000, intervalMs: 1000, what: 'the dev release\'s workloads and pods to be gone' },
  ).catch(() => undefined);
  expect(left).toEqual([]);
  const processes = await new Promise<string>((resolve) => {
    const ps = spawn('ps', ['-eo', 'args'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    ps.stdout.on('data', (c) => (text += c));
    ps.on('close', () => resolve(text));
  });
  expect(processes.split('\n').filter((p) => /skaffold (dev|.*port-forward)|kubectl .*port-forward|podman system service/.test(p))).toEqual([]);
}, 240_000);
