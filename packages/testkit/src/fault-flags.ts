import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './stack';

/** The flag file the project ships (every flag off): what `make run` and the chart read. */
export const SHIPPED_FLAG_FILE = join(REPO_ROOT, 'charts', 'cruddur', 'files', 'flags.json');

interface FlagFile {
  flags: Record<string, { variants: Record<string, unknown>; defaultVariant: string }>;
}

/**
 * The shipped flag file's text with the given flags switched on at the given values (each
 * one's `on` variant set and made the default), every other flag as shipped.
 */
export function shippedFlagsWith(on: Record<string, unknown> = {}): string {
  const { flags } = JSON.parse(readFileSync(SHIPPED_FLAG_FILE, 'utf8')) as FlagFile;
  for (const [key, value] of Object.entries(on)) {
    const flag = flags[key];
    if (!flag) throw new Error(`no flag ${key} in ${SHIPPED_FLAG_FILE}`);
    flags[key] = { ...flag, variants: { ...flag.variants, on: value }, defaultVariant: 'on' };
  }
  return JSON.stringify({ flags });
}
