import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A stand-in for Vite's output: an index.html, a hashed bundle big enough to be compressed, an icon. */
export interface BuiltApp {
  root: string;
  bundlePath: string;
  bundle: string;
  remove(): void;
}

export function writeBuiltApp(): BuiltApp {
  const root = mkdtempSync(join(tmpdir(), 'cruddur-web-'));
  mkdirSync(join(root, 'assets'));
  const bundle = `console.log(${JSON.stringify('cruddur '.repeat(400))});\n`;
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Cruddur</title><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), bundle);
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return { root, bundlePath: '/assets/index-abc123.js', bundle, remove: () => rmSync(root, { recursive: true, force: true }) };
}
