import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Profile } from './profiles';

export interface SchemathesisRun {
  exitCode: number;
  /** The NDJSON event stream the run wrote (report.ts reads it). */
  ndjsonPath: string;
  seed: number;
  timedOut: boolean;
}

export interface SchemathesisOptions {
  bin: string;
  configFile: string;
  /** Where the run writes its reports and Hypothesis its scratch files (never the repository). */
  workDir: string;
  gatewayUrl: string;
  profile: Profile;
  seed: number;
}

/**
 * Runs Schemathesis against the document the gateway serves, with every check, its output
 * passed through as it goes (the progress indication of a long run). One worker and no
 * example database, so a seed repeats the same requests in the same order.
 */
export async function runSchemathesis({ bin, configFile, workDir, gatewayUrl, profile, seed }: SchemathesisOptions): Promise<SchemathesisRun> {
  if (!existsSync(bin)) throw new Error(`no Schemathesis at ${bin}: run "make schemathesis"`);
  const reportDir = join(workDir, 'report');
  const ndjsonPath = join(reportDir, 'events.ndjson');
  mkdirSync(reportDir, { recursive: true });
  const args = [
    '--config-file', configFile,
    'run', `${gatewayUrl}/api/openapi.json`,
    '--url', gatewayUrl,
    '--checks', 'all',
    '--max-examples', String(profile.maxExamples),
    '--seed', String(seed),
    '--workers', '1',
    '--generation-database', 'none',
    '--report', 'ndjson,junit',
    '--report-dir', reportDir,
    '--report-ndjson-path', ndjsonPath,
    '--no-color',
  ];
  const child = spawn(bin, args, {
    cwd: workDir,
    // The project's own check (fuzz/hooks.py, beside the config file): a write reads back exactly.
    env: { ...process.env, HYPOTHESIS_STORAGE_DIRECTORY: join(workDir, 'hypothesis'), SCHEMATHESIS_HOOKS: join(dirname(configFile), 'hooks.py') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    child.kill('SIGINT');
  }, profile.deadlineMs);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  }).finally(() => clearTimeout(deadline));
  return { exitCode, ndjsonPath, seed, timedOut };
}
