import type { BrowserConfig } from '../src/browser-config';

export type { BrowserConfig };

/** The settings the server gives the app (GET /config.json): where the gateway is, where spans go. */
export async function loadBrowserConfig(): Promise<BrowserConfig> {
  const response = await fetch('/config.json');
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  return (await response.json()) as BrowserConfig;
}
