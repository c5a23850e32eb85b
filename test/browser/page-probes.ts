import type { Page, Request } from 'playwright-core';
import { parseTraceparent } from './trace-wait';

/** What a page did wrong (uncaught errors, CSP and Trusted Types refusals) and how its scripts came (Content-Encoding). */
export interface PageWatch {
  problems: string[];
  scriptEncodings: string[];
}

/** Records into `watch` what `page` does wrong and the encoding of each script it loads. */
export function watchPage(page: Page, watch: PageWatch): void {
  page.on('pageerror', (error) => watch.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Trusted Type|Refused to/i.test(message.text())) watch.problems.push(`console: ${message.text()}`);
  });
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script') watch.scriptEncodings.push((await response.allHeaders())['content-encoding'] ?? 'identity');
  });
}

/** When the home feed was first on screen, in ms from the navigation's start (the app's performance mark). */
export async function firstFeedMs(page: Page): Promise<number> {
  await page.locator('[data-feed="home"] article.activity').first().waitFor();
  const ms = await page.evaluate(() => performance.getEntriesByName('cruddur:first-feed')[0]?.startTime);
  if (ms === undefined) throw new Error('the home feed is on screen but its performance mark is missing');
  return ms;
}

/** The page's next call to the gateway at `gatewayUrl` on `path` (not its preflight), once `act` has triggered it. */
export async function callDuring(page: Page, gatewayUrl: string, path: string, act: () => Promise<unknown>): Promise<Request> {
  const request = page.waitForRequest((r) => r.url().startsWith(`${gatewayUrl}${path}`) && r.method() !== 'OPTIONS');
  await act();
  return request;
}

/** The trace a call to the gateway carried (traceparent), and whether it was sampled. */
export const traceOf = async (request: Request) => parseTraceparent((await request.allHeaders()).traceparent);
