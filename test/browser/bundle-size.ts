import { REPO_ROOT } from '@cruddur/testkit';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const FRONTEND = join(REPO_ROOT, 'services', 'frontend');

/** The JavaScript of a Vite build (its assets/*.js), in bytes as a server gzips it (level 6, compression's default). */
export function gzippedJs(webRoot: string): number {
  const assets = join(webRoot, 'assets');
  return readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .reduce((sum, file) => sum + gzipSync(readFileSync(join(assets, file)), { level: 6 }).length, 0);
}

/** The shipped build: what `make build` put in services/frontend/dist/web. */
export const shippedWebRoot = join(FRONTEND, 'dist', 'web');

/**
 * The gzipped JavaScript of the same app built without tracing (CRUDDUR_WEB_TRACING=off:
 * `#tracing` does nothing), into a folder removed afterwards.
 */
export function untracedGzippedJs(): number {
  const out = mkdtempSync(join(tmpdir(), 'cruddur-web-untraced-'));
  try {
    const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const build = spawnSync(process.execPath, [vite, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: FRONTEND,
      // NODE_ENV as `make build` has it (jest sets "test", which would bring React's development build).
      env: { ...process.env, NODE_ENV: 'production', CRUDDUR_WEB_TRACING: 'off' },
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`the build without tracing failed:\n${build.stdout}${build.stderr}`);
    return gzippedJs(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
