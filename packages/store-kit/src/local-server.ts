import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { passwordVariable, STORE_SERVICES, type StoreService } from './services';
import { LOCAL_PG_PORT } from './settings';

/**
 * The local PostgreSQL server of `make run` and the tests, as scripts/local-postgres.sh keeps
 * it: started on demand, its credentials in <its folder>/credentials.json. Tooling only: no
 * service reads this; they take the PG* variables.
 */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const SCRIPT = join(REPO_ROOT, 'scripts', 'local-postgres.sh');
/** The built CLI, from the sources too (a test loads them through ts-jest): it runs as a process of its own. */
const CLI = join(__dirname, '..', 'dist', 'cli.js');

/** What <folder>/credentials.json holds. */
export interface LocalCredentials {
  host: string;
  port: number;
  database: string;
  admin: { user: string; password: string };
  passwords: Record<StoreService, string>;
}

/** One server the script manages: its folder and port. */
export interface LocalServer {
  dir: string;
  port: number;
  /** Starts it unless it runs; true when this call started it (so the caller stops it after). */
  start(): boolean;
  stop(): void;
  running(): boolean;
  /** Stops it and deletes its data. */
  reset(): void;
  credentials(): LocalCredentials;
}

/**
 * A server kept by scripts/local-postgres.sh: by default the one of `make run` and the tests
 * (.run/postgres, CRUDDUR_PG_DIR and CRUDDUR_PG_PORT as the script reads them); a test that
 * stops its server under load gives a folder and a port of its own, so it stops no one else's.
 */
export function localServer({ dir = process.env.CRUDDUR_PG_DIR || join(REPO_ROOT, '.run', 'postgres'), port = Number(process.env.CRUDDUR_PG_PORT || LOCAL_PG_PORT) } = {}): LocalServer {
  const script = (command: 'start' | 'stop' | 'status' | 'reset') => {
    const result = spawnSync('bash', [SCRIPT, command], {
      cwd: REPO_ROOT,
      env: { ...process.env, CRUDDUR_PG_DIR: dir, CRUDDUR_PG_PORT: String(port) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (result.error) throw result.error;
    return { ok: result.status === 0, lastLine: result.stdout.trim().split('\n').at(-1) ?? '' };
  };
  const must = (command: 'stop' | 'reset') => {
    if (!script(command).ok) throw new Error(`the PostgreSQL server in ${dir} did not ${command} (scripts/local-postgres.sh says why, above)`);
  };
  return {
    dir,
    port,
    start: () => {
      const { ok, lastLine } = script('start');
      if (!ok) throw new Error(`the PostgreSQL server in ${dir} did not start (scripts/local-postgres.sh says why, above)`);
      return lastLine === 'started';
    },
    stop: () => must('stop'),
    running: () => script('status').ok,
    reset: () => must('reset'),
    credentials: () => JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')) as LocalCredentials,
  };
}

/** The default server's credentials. */
export function localCredentials(): LocalCredentials {
  return localServer().credentials();
}

/** The environment of the store CLI as the local admin: the server, a database, every role's password. */
export function adminEnv(credentials: LocalCredentials, database = credentials.database): Record<string, string> {
  return {
    PGHOST: credentials.host,
    PGPORT: String(credentials.port),
    PGDATABASE: database,
    PGUSER: credentials.admin.user,
    PGPASSWORD: credentials.admin.password,
    ...Object.fromEntries(STORE_SERVICES.map((service) => [passwordVariable(service), credentials.passwords[service]])),
  };
}

/** A service's store variables (PG*) for a database on a local server, as its own role. */
export function serviceStoreEnv(credentials: LocalCredentials, service: StoreService, database = credentials.database): Record<string, string> {
  return { PGHOST: credentials.host, PGPORT: String(credentials.port), PGDATABASE: database, PGUSER: service, PGPASSWORD: credentials.passwords[service] };
}

/**
 * Runs the store CLI (dist/cli.js) in a process of its own, as the Helm hook Job does: `setup`
 * for `make run`, bootstrap and migrate for a test's database. Its output goes to ours when
 * `echo`, and is returned; a failure throws with it.
 */
export function runStoreCli(args: string[], env: Record<string, string>, { echo = false } = {}): string {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (echo) process.stdout.write(result.stdout);
  if (result.status !== 0) throw new Error(`store ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}
