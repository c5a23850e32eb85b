import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`make chromium` installs it); no test tool downloads a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Flags for a headless Chromium on a machine with no network but loopback: without the
 * background-networking ones it keeps trying Google's hosts, and as root it needs
 * --no-sandbox. (Playwright adds --headless and a fresh --user-data-dir of its own.)
 */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface RunningBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Starts Debian's headless Chromium, driven by playwright-core. */
export async function launchChromium(): Promise<RunningBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run "make chromium" (Debian's package), or set CHROMIUM_PATH`);
  // Its crash reports and caches go to a folder of its own, removed afterwards.
  const home = mkdtempSync(join(tmpdir(), 'cruddur-chromium-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, env: { ...process.env, HOME: home } });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
