/**
 * The container engine the container tests drive: the one `make test-containers` chose and
 * exported (CONTAINER_ENGINE, with CONTAINERS_CONF for Podman where it needs it), and the
 * images it built (IMAGE_REPO_PREFIX, IMAGE_TAG).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests with \`make test-containers\``);
  return value;
}

export const ENGINE = required('CONTAINER_ENGINE');
/** Every container a test starts carries this label, so leftovers of a killed run can go. */
export const TEST_LABEL = 'io.cruddur.test=containers';

/** The image `make images` built for a service. */
export const serviceImage = (service: string) => `${required('IMAGE_REPO_PREFIX')}/${service}:${required('IMAGE_TAG')}`;

/** Runs one engine command; rejects with its stderr. */
export async function engine(args: string[], timeoutMs = 60_000): Promise<string> {
  try {
    const { stdout } = await execFileAsync(ENGINE, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`${ENGINE} ${args.slice(0, 2).join(' ')} failed: ${failure.stderr?.trim() || failure.message}`);
  }
}

export interface StopResult {
  exitCode: number;
  seconds: number;
}

export interface Container {
  name: string;
  /** Runs a command inside the running container, as its own user; resolves with stdout. */
  exec(command: string[]): Promise<string>;
  logs(): Promise<string>;
  /** The container's address on the engine's network (not for host-network containers). */
  address(): Promise<string>;
  /** `stop -t grace`: SIGTERM, then SIGKILL after grace seconds. */
  stop(graceSeconds: number): Promise<StopResult>;
  remove(): Promise<void>;
}

export async function runContainer(name: string, flags: string[], image: string, args: string[] = []): Promise<Container> {
  await engine(['run', '--detach', '--name', name, '--label', TEST_LABEL, ...flags, image, ...args]);
  return {
    name,
    exec: (command) => engine(['exec', name, ...command]),
    logs: async () => {
      const { stdout, stderr } = await execFileAsync(ENGINE, ['logs', name], { maxBuffer: 16 * 1024 * 1024 }).catch((e) => e);
      return `${stdout ?? ''}${stderr ?? ''}`;
    },
    address: async () => {
      const networks = JSON.parse(await engine(['inspect', '--format', '{{json .NetworkSettings.Networks}}', name])) as Record<string, { IPAddress?: string }>;
      const ip = Object.values(networks).map((n) => n.IPAddress).find(Boolean);
      if (!ip) throw new Error(`${name} has no address on any network`);
      return ip;
    },
    stop: async (graceSeconds) => {
      const started = process.hrtime.bigint();
      await engine(['stop', '--time', String(graceSeconds), name], (graceSeconds + 30) * 1000);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const exitCode = Number(await engine(['inspect', '--format', '{{.State.ExitCode}}', name]));
      return { exitCode, seconds };
    },
    remove: async () => {
      await engine(['rm', '--force', name]).catch(() => undefined);
    },
  };
}

/** Removes the containers a killed earlier run may have left behind. */
export async function removeLeftovers(): Promise<void> {
  const ids = (await engine(['ps', '--all', '--quiet', '--filter', `label=${TEST_LABEL}`])).split('\n').filter(Boolean);
  if (ids.length) await engine(['rm', '--force', ...ids]);
}

/** A name no other run uses at the same time. */
export const uniqueName = (what: string) => `cruddur-test-${what}-${process.pid}-${Date.now().toString(36)}`;
