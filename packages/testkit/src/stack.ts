import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { isStoreService } from '@cruddur/store-kit';
import { createTestDatabase, type TestDatabase } from './database';
import { holdsListeningPort } from './proc';
import { waitFor } from './wait';

export const SERVICE_NAMES = ['gateway', 'activities', 'notifications', 'messages', 'users', 'search'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Who calls whom: the call graph the traces and the service map must show. */
export const CALLS: Readonly<Record<ServiceName, readonly ServiceName[]>> = {
  gateway: ['activities', 'notifications', 'messages', 'users', 'search'],
  activities: ['users'],
  messages: ['users'],
  search: ['activities'],
  users: [],
  notifications: [],
};

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** A process started from a built entry script, ready on its PORT. */
export interface RunningProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts the same entry again, with the same environment (the same port), once this one has stopped. */
  restart(): Promise<RunningProcess>;
}

/** One of the six services, started as a real process. */
export interface RunningService extends RunningProcess {
  name: ServiceName;
  restart(): Promise<RunningService>;
}

export interface Stack {
  services: Record<ServiceName, RunningService>;
  gatewayUrl: string;
  /** The database the services' stores live in (dropped by stop() when the stack made it). */
  database: TestDatabase;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT for every service; tracing is off without it. */
  otlpEndpoint?: string;
  /** Extra environment for every service (OTEL_*, timeouts, …). */
  env?: Record<string, string>;
  /** Per-service environment, applied last. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Start without the telemetry preload (the untraced baseline of the benchmark). */
  untraced?: boolean;
  /** Node or V8 flags for every process, before the preload (e.g. `--trace-gc`, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  /**
   * The database for the services' stores; by default a new one on the local server, made
   * (bootstrapped, migrated, seeded) for this stack and dropped when it stops.
   */
  database?: TestDatabase;
}

export interface ServiceOptions {
  /** Without the telemetry preload. */
  untraced?: boolean;
  /** How often readiness is polled during start-up. */
  pollMs?: number;
  /** Node or V8 flags, before the preload. */
  nodeArgs?: string[];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export function entryOf(name: ServiceName): string {
  const entry = join(REPO_ROOT, 'services', name, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (make build)`);
  return entry;
}

/** Starts one built service as a real process, as `npm start` does, and waits until it is ready. */
export async function startService(name: ServiceName, env: Record<string, string>, options: ServiceOptions = {}): Promise<RunningService> {
  return asService(name, await startEntry(name, entryOf(name), env, options));
}

/** A started process as the service `name`, its restarts included. */
function asService(name: ServiceName, process: RunningProcess): RunningService {
  return { ...process, name, restart: async () => asService(name, await process.restart()) };
}

/**
 * Starts a built entry script as a real process, with the telemetry preload unless
 * `untraced`, from the repository's root (where `--require @cruddur/service-kit/register`
 * resolves), and waits until `/readyz` on its PORT answers from it.
 */
export async function startEntry(name: string, entry: string, env: Record<string, string>, options: ServiceOptions = {}): Promise<RunningProcess> {
  const { untraced = false, pollMs = 50, nodeArgs = [] } = options;
  const args = [...nodeArgs, ...(untraced ? [] : ['--require', '@cruddur/service-kit/register']), entry];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': by then the output is all read, a bind error's message included.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('close', (code, signal) => done({ code, signal })),
  );
  const url = `http://127.0.0.1:${env.PORT}`;
  let ended = false;
  void exited.then(() => (ended = true));
  try {
    await waitFor(
      async () => {
        if (ended) throw new Error(`${name} exited during start-up:\n${output}`);
        const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
        // Count the answer only when it came from this child, not from whoever took its port first.
        return ready && holdsListeningPort(child.pid!, Number(env.PORT));
      },
      { timeoutMs: 20_000, intervalMs: pollMs, what: `${name} to be ready` },
    );
  } catch (error) {
    // Leave no process behind that never became ready.
    if (!ended) child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    name,
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (!ended) child.kill(signal);
      return exited;
    },
    restart: async () => {
      if (!ended) throw new Error(`${name} still runs: stop it first`);
      return startEntry(name, entry, env, options);
    },
  };
}

/** How many times a stack start is tried again when a port it was given was taken before its service could bind it. */
export const PORT_RACE_RETRIES = 3;

/** Whether a start-up failed because another process had taken the port first. */
export function lostPortRace(error: unknown): boolean {
  return error instanceof Error && /EADDRINUSE|address already in use/.test(error.message);
}

/** Starts all six services on free loopback ports, wired to each other. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const database = options.database ?? (await createTestDatabase());
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const stack = await startStackOnce(options, database);
        if (options.database) return stack;
        return { ...stack, stop: () => stack.stop().finally(() => database.drop()) };
      } catch (error) {
        if (attempt > PORT_RACE_RETRIES || !lostPortRace(error)) throw error;
      }
    }
  } catch (error) {
    if (!options.database) await database.drop();
    throw error;
  }
}

async function startStackOnce({ otlpEndpoint, env = {}, serviceEnv = {}, untraced = false, nodeArgs = [] }: StackOptions, database: TestDatabase): Promise<Stack> {
  const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (name) => [name, await freePort()] as const))) as Record<ServiceName, number>;
  const telemetry: Record<string, string> = otlpEndpoint
    ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint }
    : { OTEL_SDK_DISABLED: 'true' };
  const outcomes = await Promise.allSettled(
    SERVICE_NAMES.map((name) => {
      const wiring = Object.fromEntries(CALLS[name].map((callee) => [`${callee.toUpperCase()}_URL`, `http://127.0.0.1:${ports[callee]}`]));
      const store = isStoreService(name) ? database.envFor(name) : {};
      return startService(
        name,
        { HOST: '127.0.0.1', PORT: String(ports[name]), LOG_LEVEL: 'warn', ...telemetry, ...wiring, ...store, ...env, ...serviceEnv[name] },
        { untraced, nodeArgs },
      );
    }),
  );
  const started = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o] : []));
  // A lost port race is retried by startStack only when it is the only kind of failure.
  const failure = failures.find((f) => !lostPortRace(f.reason)) ?? failures[0];
  if (failure) {
    // Leave no process behind when one service fails to start.
    await Promise.all(started.map((s) => s.stop()));
    throw failure.reason;
  }
  const services = Object.fromEntries(started.map((s) => [s.name, s])) as Record<ServiceName, RunningService>;
  return {
    services,
    gatewayUrl: services.gateway.url,
    database,
    stop: async () => {
      await Promise.all(started.map((s) => s.stop()));
    },
  };
}
