/**
 * The flag file read through the real flagd provider (in-process mode), in this process: how
 * a flag's value follows the file, and what a file that is missing or wrong does.
 */
import { FAULT_FLAGS, faultFlag, FLAG_FILE_POLL_MS, flagFileFromEnv, startFeatureFlags, stopFeatureFlags } from '@cruddur/service-kit';
import { REPO_ROOT, SHIPPED_FLAG_FILE, shippedFlagsWith, waitFor } from '@cruddur/testkit';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';

const SHIPPED = JSON.parse(readFileSync(SHIPPED_FLAG_FILE, 'utf8')) as {
  flags: Record<string, { variants: Record<string, unknown>; defaultVariant: string }>;
};

let dir: string;
let file: string;
let lines: Array<{ level: number; msg: string; flag?: string }>;

/** A logger whose lines the test reads. */
function captureLogger() {
  lines = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}
const errors = () => lines.filter((l) => l.level >= 50);

const env = () => ({ FLAGD_RESOLVER: 'in-process', FLAGD_OFFLINE_FLAG_SOURCE_PATH: file });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flags-'));
  file = join(dir, 'flags.json');
});

afterEach(async () => {
  await stopFeatureFlags();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until the flag has `value`, and says how long that took. */
async function until(key: keyof typeof FAULT_FLAGS, value: unknown, timeoutMs = 2.5 * FLAG_FILE_POLL_MS): Promise<number> {
  const started = performance.now();
  await waitFor(async () => (await faultFlag(key)) === value, { timeoutMs, intervalMs: 20, what: `${key} to be ${String(value)}` });
  return performance.now() - started;
}

describe('fault flags from the flag file', () => {
  it('are all off in the shipped file, which defines exactly the flags the services know, each with its type', () => {
    expect(Object.keys(SHIPPED.flags).sort()).toEqual(Object.keys(FAULT_FLAGS).sort());
    for (const [key, flag] of Object.entries(SHIPPED.flags)) {
      const { off, schema } = FAULT_FLAGS[key as keyof typeof FAULT_FLAGS];
      expect({ key, value: flag.variants[flag.defaultVariant] }).toEqual({ key, value: off });
      for (const value of Object.values(flag.variants)) expect({ key, value, valid: schema.safeParse(value).success }).toEqual({ key, value, valid: true });
    }
  });

  it('are off without a flag file, and then nothing of OpenFeature is even loaded', () => {
    const script = `
      const kit = require('@cruddur/service-kit');
      kit.startFeatureFlags(kit.createLogger('t', 'silent'), {});
      kit.faultFlag('usersLatencyMs').then((v) => console.log(JSON.stringify({ v, loaded: Object.keys(require.cache).some((k) => k.includes('@openfeature')) })));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual({ v: 0, loaded: false });
  });

  it('say why when the path is set without the in-process resolver', () => {
    expect(flagFileFromEnv({ FLAGD_OFFLINE_FLAG_SOURCE_PATH: '/x/flags.json' }).problem).toMatch(/FLAGD_RESOLVER is "", not in-process/);
    expect(flagFileFromEnv({ FLAGD_OFFLINE_FLAG_SOURCE_PATH: '/x/flags.json', FLAGD_RESOLVER: 'in-process' })).toEqual({ file: '/x/flags.json' });
  });

  it('follow edits of the file within two polls, whichever way the file is rewritten', async () => {
    writeFileSync(file, shippedFlagsWith());
    startFeatureFlags(captureLogger(), env());
    await waitFor(() => lines.some((l) => l.msg.includes('reading the flag file')), { timeoutMs: 10_000, what: 'the provider to be ready' });
    expect(await faultFlag('usersLatencyMs')).toBe(0);
    const seen: number[] = [];
    for (const value of [300, 25, 0]) {
      writeFileSync(file, shippedFlagsWith(value ? { usersLatencyMs: value } : {}));
      seen.push(await until('usersLatencyMs', value));
    }
    // Replaced by a rename, as editors and Kubernetes' ConfigMap updates do.
    writeFileSync(join(dir, 'next.json'), shippedFlagsWith({ messagesUnavailable: true }));
    renameSync(join(dir, 'next.json'), file);
    seen.push(await until('messagesUnavailable', true));
    expect(seen.every((ms) => ms < 2.5 * FLAG_FILE_POLL_MS)).toBe(true);
    expect(errors()).toEqual([]);
  });

  it('keep the last good flags through a broken file, a wrong type and a value out of range, saying so once each', async () => {
    writeFileSync(file, shippedFlagsWith({ usersLatencyMs: 300, activitiesErrorRate: 0.5 }));
    startFeatureFlags(captureLogger(), env());
    await until('usersLatencyMs', 300, 10_000);

    writeFileSync(file, '{ "flags": { not json');
    await new Promise((resolve) => setTimeout(resolve, 3 * FLAG_FILE_POLL_MS));
    expect(await faultFlag('usersLatencyMs')).toBe(300);
    expect(errors().map((l) => l.msg)).toEqual([expect.stringMatching(/^feature flags: .*; keeping the last good flags$/)]);

    writeFileSync(file, shippedFlagsWith({ usersLatencyMs: 'fast', activitiesErrorRate: 2 }));
    await waitFor(() => errors().length === 3, { timeoutMs: 3 * FLAG_FILE_POLL_MS, what: 'the two flags to be refused' });
    for (let i = 0; i < 5; i++) {
      expect(await faultFlag('usersLatencyMs')).toBe(300);
      expect(await faultFlag('activitiesErrorRate')).toBe(0.5);
    }
    const refused = errors().slice(1);
    expect(refused.map((l) => l.flag).sort()).toEqual(['activitiesErrorRate', 'usersLatencyMs']);
    expect(refused.find((l) => l.flag === 'usersLatencyMs')!.msg).toMatch(/TYPE_MISMATCH.*keeping its last good value, 300$/);
    expect(refused.find((l) => l.flag === 'activitiesErrorRate')!.msg).toMatch(/keeping its last good value, 0.5$/);

    writeFileSync(file, shippedFlagsWith({ usersLatencyMs: 40 }));
    await until('usersLatencyMs', 40);
    expect(await until('activitiesErrorRate', 0)).toBeLessThan(2.5 * FLAG_FILE_POLL_MS);
    expect(errors()).toHaveLength(3);
  });

  it('start off when the file is missing, say so once, and follow it once it appears', async () => {
    startFeatureFlags(captureLogger(), env());
    await waitFor(() => errors().length > 0, { timeoutMs: 10_000, what: 'the missing file to be reported' });
    expect(errors().map((l) => l.msg)).toEqual([`feature flags: cannot read the flag file (File not found: ${file}); every flag is off until it is fixed`]);
    expect(await faultFlag('messagesUnavailable')).toBe(false);
    writeFileSync(file, shippedFlagsWith({ messagesUnavailable: true }));
    await until('messagesUnavailable', true, 3 * FLAG_FILE_POLL_MS);
    expect(errors()).toHaveLength(1);
  });

  it('start off when the file is not valid, saying what is wrong', async () => {
    writeFileSync(file, '{ "flags": [');
    startFeatureFlags(captureLogger(), env());
    await waitFor(() => errors().length > 0, { timeoutMs: 10_000, what: 'the broken file to be reported' });
    expect(errors().map((l) => l.msg)).toEqual([expect.stringMatching(/^feature flags: cannot read the flag file \(invalid flagd flag configuration: .+\); every flag is off until it is fixed$/)]);
    writeFileSync(file, shippedFlagsWith({ searchSlowTermMs: 1500 }));
    await until('searchSlowTermMs', 1500, 3 * FLAG_FILE_POLL_MS);
  });
});
