// The frontend in a real browser, against what `make run` runs: Debian's headless Chromium,
// driven by playwright-core, uses the pages of services/frontend served by its own server,
// while the six services and the real collector (local overlays, file sink) run as processes.
// Asserts what the browser shows and what the collector holds: one trace from the browser's
// span to the last service, the browser's fetch span around the gateway's SERVER span, the
// faults shown as "try again", sampling parent-based; prints the budgets of issue 23.
import { callGraph } from '@cruddur/service-map';
import { childrenOf, rootsOf, StatusCode, waitFor, type FlatSpan } from '@cruddur/testkit';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { gzippedJs, shippedWebRoot, untracedGzippedJs } from './bundle-size';
import { launchChromium, type RunningBrowser } from './chromium';
import { startFrontendStack, type FrontendStack } from './frontend-stack';
import { callDuring as callOn, firstFeedMs, traceOf, watchPage, type PageWatch } from './page-probes';
import { browserCall, completeTrace, durationMs } from './trace-wait';

/** The budgets: the first feed on screen within a second of navigation, at most 150 KB of gzipped JavaScript. */
const FIRST_FEED_BUDGET_MS = 1000;
const JS_BUDGET_BYTES = 150 * 1024;
/** How late the gateway's SERVER span may end after the browser's fetch span, both clocks' lag together (see the test). */
const SERVER_END_LAG_NS = 20_000_000n;

let env: FrontendStack;
let chrome: RunningBrowser;
let context: BrowserContext;
let page: Page;
/** Uncaught errors and CSP / Trusted Types refusals seen on any page (none may happen), and how the scripts came. */
const seen: PageWatch = { problems: [], scriptEncodings: [] };
const watch = (p: Page) => watchPage(p, seen);

beforeAll(async () => {
  env = await startFrontendStack();
  chrome = await launchChromium();
  context = await chrome.browser.newContext();
  // Within jest's 30 s per test, so a wait that fails says what it waited for.
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  watch(page);
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await env?.stop();
});

const url = (path: string, frontend = env.frontend) => `${frontend.url}${path}`;

/** The browser's next call to this stack's gateway on `path`, once `act` has triggered it. */
const callDuring = (p: Page, path: string, act: () => Promise<unknown>): Promise<Request> => callOn(p, env.stack.gatewayUrl, path, act);

/** The text of the page's first failure notice, once it shows one. */
const alertText = (p: Page) => p.getByRole('alert').first().textContent({ timeout: 10_000 });

let homeCall: Request;

describe('the pages', () => {
  it('render the home feed from the API, within the budget of a second after navigation', async () => {
    await page.goto(url('/'));
    const firstVisit = await firstFeedMs(page);
    await expect(page.locator('[data-feed="home"]').textContent()).resolves.toContain('Cloud is very fun!');
    // "Refresh several times": each reload is a navigation of its own; the median is held to the budget.
    const reloads: number[] = [];
    for (let i = 0; i < 3; i++) {
      homeCall = await callDuring(page, '/api/activities/home', () => page.reload());
      reloads.push(await firstFeedMs(page));
    }
    // The page stays until the last call's trace is in: a reload within 300 ms of an answer
    // loses that call's fetch span, which the instrumentation ends only then (docs/tracing.md).
    await completeTrace(env.collector, (await traceOf(homeCall)).traceId, ['frontend-web', 'gateway', 'activities', 'users']);
    const median = [...reloads].sort((a, b) => a - b)[1]!;
    console.log(
      `first feed on screen after navigation: ${firstVisit.toFixed(0)} ms on the first visit (services and browser cold), ` +
        `${reloads.map((ms) => ms.toFixed(0)).join(', ')} ms on three reloads (median ${median.toFixed(0)}; budget ${FIRST_FEED_BUDGET_MS} ms)`,
    );
    expect(median).toBeLessThan(FIRST_FEED_BUDGET_MS);
    // The cold visit pays the processes' first requests and the browser's first start: bounded, not budgeted.
    expect(firstVisit).toBeLessThan(3 * FIRST_FEED_BUDGET_MS);
  });

  it('post an activity (message and lifetime) and show it first in the feed, where a reload still finds it', async () => {
    const message = `Posted from Chromium ${Date.now()}`;
    const form = page.getByRole('form', { name: 'Post an activity' });
    await form.locator('textarea[name="message"]').fill(message);
    await form.locator('select[name="ttl"]').selectOption('1-hour');
    await form.getByRole('button', { name: 'Crud' }).click();
    const newest = page.locator('[data-feed="home"] article.activity').first();
    await newest.filter({ hasText: message }).waitFor();
    await page.reload();
    await newest.filter({ hasText: message }).waitFor();
    await expect(newest.textContent()).resolves.toMatch(/expires in (59|60)m/);
  });

  it("show the API's 422 codes as what to fix", async () => {
    const form = page.getByRole('form', { name: 'Post an activity' });
    await form.locator('textarea[name="message"]').fill('   ');
    await form.getByRole('button', { name: 'Crud' }).click();
    await expect(alertText(page)).resolves.toContain('Write something first: the message is empty.');
    await form.locator('textarea[name="message"]').fill('x'.repeat(281));
    await expect(form.locator('.counter-over').textContent()).resolves.toBe('281/280');
    await form.getByRole('button', { name: 'Crud' }).click();
    await expect(form.getByRole('alert').textContent()).resolves.toContain('That message is too long');
  });

  it('show an activity with its replies, and take a reply', async () => {
    await page.goto(url('/activities/68f126b0-1ceb-4a33-88be-d90fa7109eee'));
    const card = page.locator('article.activity');
    await expect(card.textContent()).resolves.toContain('This post has no honor!');
    await card.getByRole('button', { name: 'Reply' }).click();
    const reply = `Qapla' ${Date.now()}`;
    await page.getByRole('form', { name: 'Reply' }).locator('textarea').fill(reply);
    await page.getByRole('form', { name: 'Reply' }).getByRole('button', { name: 'Reply' }).click();
    await card.locator('.replies li').last().filter({ hasText: reply }).waitFor();
  });

  it("show a user's page, reached from a handle", async () => {
    await page.goto(url('/'));
    await page.locator('[data-feed="home"] a.post-author', { hasText: '@worf' }).first().click();
    await page.locator('[data-feed="user"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/@worf');
    await expect(page.locator('h1').textContent()).resolves.toBe('@worf');
  });

  it('show the notifications', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Notifications' }).click();
    await expect(page.locator('[data-feed="notifications"] article').first().textContent()).resolves.toMatch(/\S/);
  });

  it('show the message groups, a conversation, and send a message into it', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Messages' }).click();
    await page.locator('[data-feed="message-groups"] a', { hasText: '@worf' }).click();
    await expect(page.locator('[data-feed="conversation"]').textContent()).resolves.toContain('This platform is great!');
    const message = `Hello Worf ${Date.now()}`;
    const form = page.getByRole('form', { name: 'Message @worf' });
    await form.locator('textarea').fill(message);
    await form.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-feed="conversation"] li').last().filter({ hasText: message }).waitFor();
  });

  it('show a page for a path the app does not have, with a way back', async () => {
    await page.goto(url('/no/such/page'));
    await expect(page.locator('h1').textContent()).resolves.toBe('Not found');
    await page.getByRole('main').getByRole('link', { name: 'Back to the home feed' }).click();
    await page.locator('[data-feed="home"]').waitFor();
  });
});

let searchCall: Request;

describe('a search', () => {
  it('shows the activities that match', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Search' }).click();
    await page.getByRole('search').locator('input').fill('Cloud');
    searchCall = await callDuring(page, '/api/activities/search', () => page.getByRole('search').getByRole('button', { name: 'Search' }).click());
    const results = page.locator('[data-feed="search"]');
    await expect(results.textContent()).resolves.toContain('Cloud is very fun!');
    await expect(results.textContent()).resolves.toContain('Cloud is fun!');
    expect(new URL(page.url()).search).toBe('?term=Cloud');
  });

  it("is one trace from the browser's span through the gateway, search and activities to users", async () => {
    const { traceId, sampled } = await traceOf(searchCall);
    expect(sampled).toBe(true);
    const trace = await completeTrace(env.collector, traceId, ['frontend-web', 'gateway', 'search', 'activities', 'users']);
    const [root] = rootsOf(trace);
    expect(root).toMatchObject({ service: 'frontend-web', name: 'searchActivities', attributes: { 'app.operation': 'searchActivities' } });
    expect(root!.resource).toMatchObject({ 'service.name': 'frontend-web', 'service.namespace': 'cruddur', 'service.version': '1.0.0' });
    const { fetchSpan, gateway } = browserCall(trace, 'searchActivities');
    expect(fetchSpan).toMatchObject({ name: 'GET', attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200 } });
    expect(String(fetchSpan.attributes['url.full'])).toBe(`${env.stack.gatewayUrl}/api/activities/search?term=Cloud`);
    expect(gateway.name).toBe('GET /api/activities/search');
    expect(trace.filter((s) => s.status.code === StatusCode.ERROR)).toEqual([]);
  });

  it("has the browser's fetch span enclose the gateway's SERVER span: the network time between them shows", async () => {
    for (const [label, call, operation, services] of [
      ['home feed', homeCall, 'homeActivities', ['frontend-web', 'gateway', 'activities', 'users']],
      ['search', searchCall, 'searchActivities', ['frontend-web', 'gateway', 'search', 'activities', 'users']],
    ] as const) {
      const trace = await completeTrace(env.collector, (await traceOf(call)).traceId, [...services]);
      const { fetchSpan, gateway } = browserCall(trace, operation);
      // The request leaves the browser before the gateway sees it: strictly. At the other end the
      // clocks read late on both sides (the fetch span's end is Date.now(), whole milliseconds;
      // the SERVER span ends on the answer's 'close' event, after Node has written it, which a
      // loaded machine delays past the browser's read), so "after" is held within SERVER_END_LAG.
      expect(fetchSpan.startTimeUnixNano).toBeLessThanOrEqual(gateway.startTimeUnixNano);
      expect(fetchSpan.endTimeUnixNano + SERVER_END_LAG_NS).toBeGreaterThanOrEqual(gateway.endTimeUnixNano);
      // The gateway lets the page read the call's timings (Timing-Allow-Origin), so the fetch span carries them.
      const events = fetchSpan.events.map((e) => e.name);
      expect(events).toEqual(expect.arrayContaining(['fetchStart', 'requestStart', 'responseStart', 'responseEnd']));
      console.log(
        `${label}: browser fetch ${durationMs(fetchSpan).toFixed(1)} ms, gateway SERVER ${durationMs(gateway).toFixed(1)} ms, ` +
          `network and browser between them ${(durationMs(fetchSpan) - durationMs(gateway)).toFixed(1)} ms ` +
          `(before: ${(Number(gateway.startTimeUnixNano - fetchSpan.startTimeUnixNano) / 1e6).toFixed(1)} ms, after: ${(Number(fetchSpan.endTimeUnixNano - gateway.endTimeUnixNano) / 1e6).toFixed(1)} ms)`,
      );
    }
  });
});

describe("the browser's own spans", () => {
  it("trace the page's load: documentLoad, with the document's fetch and each file's under it", async () => {
    let load: FlatSpan | undefined;
    let spans: FlatSpan[] = [];
    await waitFor(
      async () => {
        spans = await env.collector.readSpans();
        load = spans.find((s) => s.service === 'frontend-web' && s.name === 'documentLoad');
        return load !== undefined && childrenOf(spans, load).some((s) => s.name === 'resourceFetch');
      },
      { timeoutMs: 15_000, what: 'a documentLoad span with its resourceFetch spans' },
    );
    const children = childrenOf(spans, load!);
    expect(children.map((s) => s.name)).toContain('documentFetch');
    expect(children.filter((s) => s.name === 'resourceFetch').map((s) => String(s.attributes['url.full']))).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/assets\/index-[\w-]+\.js$/), expect.stringMatching(/\/config\.json$/)]),
    );
  });

  it('send the trace context to the gateway only, never to another origin', async () => {
    // The CSP would refuse the call to another origin outright; bypassed here, so that what the
    // fetch instrumentation would send there shows.
    const open = await chrome.browser.newContext({ bypassCSP: true });
    const p = await open.newPage();
    const elsewhere: Array<Record<string, string>> = [];
    await p.route('http://third-party.example/**', (route) => {
      elsewhere.push(route.request().headers());
      return route.fulfill({ status: 200, body: '{}', headers: { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' } });
    });
    const toGateway = await callDuring(p, '/api/activities/home', () => p.goto(url('/')));
    await p.locator('[data-feed="home"]').waitFor();
    await p.evaluate(() => fetch('http://third-party.example/api/activities/home', { headers: { 'content-type': 'application/json' } }).then((r) => r.text()));
    expect((await toGateway.allHeaders()).traceparent).toMatch(/^00-/);
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const headers of elsewhere) expect(Object.keys(headers).filter((h) => ['traceparent', 'tracestate', 'baggage'].includes(h))).toEqual([]);
    await open.close();
  });

  it('are sampled parent-based: a browser trace not kept is not kept by the backend either', async () => {
    const unsampled = await context.newPage();
    watch(unsampled);
    const dropped = await traceOf(await callDuring(unsampled, '/api/activities/home', () => unsampled.goto(url('/', env.unsampledFrontend))));
    await unsampled.locator('[data-feed="home"] article.activity').first().waitFor();
    expect(dropped.sampled).toBe(false);
    // A kept trace made after it: once it is in the file, the dropped one would be too.
    const kept = await traceOf(await callDuring(page, '/api/activities/notifications', () => page.goto(url('/notifications'))));
    expect(kept.sampled).toBe(true);
    await completeTrace(env.collector, kept.traceId, ['frontend-web', 'gateway', 'notifications']);
    expect((await env.collector.readSpans()).filter((s) => s.traceId === dropped.traceId)).toEqual([]);
    await unsampled.close();
  });
});

describe('with a fault flag on', () => {
  afterAll(() => env.setFlags({}));

  it('shows "try again", marks the browser\'s spans ERROR, and recovers when the service is back', async () => {
    env.setFlags({ messagesUnavailable: true });
    await waitFor(async () => (await fetch(`${env.stack.gatewayUrl}/api/message_groups`)).status === 502, { timeoutMs: 10_000, what: 'the gateway to answer 502 for messages' });
    const call = await callDuring(page, '/api/message_groups', () => page.goto(url('/messages')));
    await expect(alertText(page)).resolves.toContain('Cruddur could not reach one of its services. Try again.');
    await expect(page.locator('[data-failure="retry"]').count()).resolves.toBe(1);

    const trace = await completeTrace(env.collector, (await traceOf(call)).traceId, ['frontend-web', 'gateway', 'messages']);
    const { action, fetchSpan, gateway } = browserCall(trace, 'messageGroups');
    expect(fetchSpan.status.code).toBe(StatusCode.ERROR);
    expect(fetchSpan.attributes['http.response.status_code']).toBe(502);
    expect(action.status).toEqual({ code: StatusCode.ERROR, message: 'messageGroups: 502' });
    expect(gateway.attributes['http.response.status_code']).toBe(502);

    env.setFlags({});
    await waitFor(async () => (await fetch(`${env.stack.gatewayUrl}/api/message_groups`)).status === 200, { timeoutMs: 10_000, what: 'messages to be back' });
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('[data-feed="message-groups"] li').first().waitFor();
  });
});

describe('the budgets', () => {
  it('ship at most 150 KB of gzipped JavaScript with the tracing included, sent compressed', () => {
    const traced = gzippedJs(shippedWebRoot);
    const untraced = untracedGzippedJs();
    console.log(
      `JavaScript shipped: ${(traced / 1024).toFixed(1)} KB gzipped (budget ${JS_BUDGET_BYTES / 1024} KB); ` +
        `without tracing ${(untraced / 1024).toFixed(1)} KB: tracing adds ${((traced - untraced) / 1024).toFixed(1)} KB`,
    );
    expect(traced).toBeLessThanOrEqual(JS_BUDGET_BYTES);
    expect(untraced).toBeLessThan(traced);
    expect(seen.scriptEncodings.length).toBeGreaterThan(0);
    expect(seen.scriptEncodings.filter((e) => e !== 'gzip' && e !== 'br')).toEqual([]);
  }, 60_000);
});

describe('the service map', () => {
  it('draws frontend-web → gateway from the browser\'s fetch spans and the gateway\'s SERVER spans', async () => {
    const edges = callGraph(await env.collector.readSpans());
    const browserEdge = edges.find((e) => e.caller === 'frontend-web');
    expect(browserEdge).toMatchObject({ callee: 'gateway' });
    console.log(`service map: frontend-web → gateway ${browserEdge!.requests} calls, ${browserEdge!.errors} failed, p50 ${browserEdge!.p50Ms.toFixed(1)} ms`);
    expect(browserEdge!.requests).toBeGreaterThanOrEqual(5);
    expect(browserEdge!.errors).toBeGreaterThanOrEqual(1);
    expect(edges.filter((e) => e.caller === 'frontend-web').map((e) => e.callee)).toEqual(['gateway']);
  });
});

describe('all along', () => {
  it('met no page error, Content-Security-Policy or Trusted Types refusal on any page', () => {
    expect(seen.scriptEncodings.length).toBeGreaterThan(0);
    expect(seen.problems).toEqual([]);
  });
});
