import { callApi, serveRoutes } from '@cruddur/testkit';
import { type Serving } from '@cruddur/service-kit';
import type { Request, Response } from 'express';
import { gatewayRoutes } from '../src/routes';
import { createUpstreams } from '../src/upstreams';

const serveApp = (routes: Parameters<typeof serveRoutes>[0]) => serveRoutes(routes, { shutdownTimeoutMs: 3000 });

const TIMEOUT_MS = 250;

/** A domain service that fails as its `?fail=` query says (the gateway forwards the query as it came). */
function failingService(req: Request, res: Response) {
  switch (req.query.fail) {
    case '422':
      res.status(422).json(['message_blank', 'ttl_blank']);
      return;
    case '404':
      res.status(404).json({ error: 'not_found', message: 'no user @nobody' });
      return;
    case '500':
      res.status(500).json({ error: 'internal', message: 'internal error' });
      return;
    case 'store':
      res.status(503).json({ error: 'store_unavailable', message: 'activities cannot reach its database (ECONNREFUSED); try again' });
      return;
    case 'unavailable':
      res.status(503).json({ error: 'unavailable', message: 'messages is unavailable: injected' });
      return;
    case 'slow':
      setTimeout(() => res.json([]), TIMEOUT_MS * 3);
      return;
    default:
      res.json([]); // an empty list: what a search that found nothing answers
  }
}

let domain: Serving;
let gateway: Serving;
let closedUrl: string;

beforeAll(async () => {
  domain = await serveApp((app) => app.use(failingService));
  const closed = await serveApp(() => {});
  closedUrl = closed.url;
  await closed.stop();

  // Every upstream is the failing service, but users, which refuses connections.
  const config: Record<string, unknown> = {};
  for (const name of ['ACTIVITIES', 'NOTIFICATIONS', 'MESSAGES', 'SEARCH', 'USERS']) {
    config[`${name}_URL`] = name === 'USERS' ? closedUrl : domain.url;
    config[`${name}_TIMEOUT_MS`] = TIMEOUT_MS;
  }
  gateway = await serveApp(gatewayRoutes(createUpstreams(config), 'andrewbrown'));
});

afterAll(async () => {
  await gateway.stop();
  await domain.stop();
});

async function call(path: string, init?: RequestInit) {
  const { status, body } = await callApi(`${gateway.url}${path}`, init);
  return { status, body: body as unknown };
}

const healthy = async () => expect(await call('/api/health-check')).toEqual({ status: 200, body: { success: true } });

describe('gateway upstream errors', () => {
  it('passes an upstream 422 list through', async () => {
    expect(await call('/api/activities?fail=422', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).toEqual({
      status: 422,
      body: ['message_blank', 'ttl_blank'],
    });
  });

  it('passes an upstream 404 through with its message', async () => {
    expect(await call('/api/messages/@nobody?fail=404')).toEqual({ status: 404, body: { error: 'not_found', message: 'no user @nobody' } });
  });

  it('answers 502 upstream_unavailable when the upstream refuses connections', async () => {
    const { status, body } = await call('/api/users/@worf/short');
    expect(status).toBe(502);
    expect(body).toEqual({ error: 'upstream_unavailable', message: 'users is unavailable (ECONNREFUSED)' });
    await healthy();
  });

  it('answers 504 upstream_timeout when the upstream is slower than its timeout', async () => {
    const started = Date.now();
    const { status, body } = await call('/api/activities/home?fail=slow');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 3);
    expect(status).toBe(504);
    expect(body).toEqual({ error: 'upstream_timeout', message: `activities did not answer within ${TIMEOUT_MS} ms` });
    await healthy();
  });

  it('answers 502 upstream_error for an upstream 500, leaking nothing of it', async () => {
    expect(await call('/api/activities/notifications?fail=500')).toEqual({
      status: 502,
      body: { error: 'upstream_error', message: 'notifications answered 500' },
    });
    await healthy();
  });

  it("passes an upstream's 503 store_unavailable through as it is: the client can tell a data outage from a broken service", async () => {
    expect(await call('/api/activities/home?fail=store')).toEqual({
      status: 503,
      body: { error: 'store_unavailable', message: 'activities cannot reach its database (ECONNREFUSED); try again' },
    });
    await healthy();
  });

  it('answers 502 for any other upstream 503 (a service refusing work on purpose, as the messagesUnavailable fault)', async () => {
    expect(await call('/api/message_groups?fail=unavailable')).toEqual({ status: 502, body: { error: 'upstream_error', message: 'messages answered 503' } });
  });

  it('keeps routing to an upstream after it failed', async () => {
    await call('/api/activities/search?fail=500');
    await call('/api/activities/search?fail=slow');
    expect(await call('/api/activities/search?term=cloud')).toEqual({ status: 200, body: [] });
  });

  it('answers many failures at once and stays healthy', async () => {
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => call('/api/users/@worf/short')),
      ...Array.from({ length: 5 }, () => call('/api/message_groups?fail=500')),
      ...Array.from({ length: 5 }, () => call('/api/message_groups?fail=slow')),
    ]);
    expect(answers.map((a) => a.status)).toEqual([...Array(10).fill(502), ...Array(5).fill(504)]);
    await healthy();
  });
});
