/**
 * `make deploy` with HONEYCOMB_API_KEY in the environment: the key reaches the chart (and so
 * the Secret the collector reads), and never the recipe make prints or Helm's command line.
 * Checked with make's dry run (-n), with every tool the targets look for stood in by a stub
 * on PATH: only the printed recipe is read, nothing runs.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { find, helm, ROOT, type K8sObject } from './chart';
import { parseAllDocuments } from 'yaml';

const KEY = 'hcaik_dry-run-key-0123456789';
let stubs: string;

beforeAll(() => {
  stubs = mkdtempSync(join(tmpdir(), 'cruddur-stubs-'));
  for (const tool of ['kind', 'kubectl', 'podman']) {
    writeFileSync(join(stubs, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(join(stubs, tool), 0o755);
  }
});
afterAll(() => rmSync(stubs, { recursive: true, force: true }));

function dryRun(target: string, env: Record<string, string>): string {
  const result = spawnSync('make', ['--no-print-directory', '-n', target], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${stubs}:${process.env.PATH}`, CONTAINER_ENGINE: 'podman', HELM: join(stubs, 'helm'), ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`make -n ${target} failed: ${result.stderr}`);
  return result.stdout;
}

test('make deploy passes the key to Helm in a values file on a pipe, never on a command line', () => {
  const recipe = dryRun('deploy', { HONEYCOMB_API_KEY: KEY });
  expect(recipe).not.toContain(KEY);
  const upgrade = recipe.split('\n').find((line) => line.includes('upgrade --install'))!;
  expect(upgrade).toBeDefined();
  const pipe = /-f <\((printf .*?"\$HONEYCOMB_API_KEY")\)/.exec(recipe);
  expect(pipe).not.toBeNull();

  // What the pipe gives Helm, rendered: Honeycomb on, the Secret holding exactly the key.
  const values = spawnSync('bash', ['-c', pipe![1]!], { env: { HONEYCOMB_API_KEY: KEY }, encoding: 'utf8' }).stdout;
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-values-'));
  try {
    writeFileSync(join(dir, 'honeycomb.yaml'), values);
    const rendered = helm(['template', 'cruddur', join(ROOT, 'charts', 'cruddur'), '-f', join(dir, 'honeycomb.yaml')]);
    expect(rendered.status).toBe(0);
    const objects = parseAllDocuments(rendered.stdout).map((d) => d.toJS() as K8sObject).filter(Boolean);
    const secret = find({ text: rendered.stdout, objects, documents: [] }, 'Secret', 'cruddur-honeycomb');
    expect(secret?.stringData?.['api-key'] ?? Buffer.from(secret?.data?.['api-key'] ?? '', 'base64').toString()).toBe(KEY);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without HONEYCOMB_API_KEY, make deploy adds no Honeycomb values', () => {
  const recipe = dryRun('deploy', { HONEYCOMB_API_KEY: '' });
  expect(recipe).not.toMatch(/honeycomb/i);
});
