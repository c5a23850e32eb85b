import { callApi, serveRoutes } from '@cruddur/testkit';
import { loadConfig, z, type Serving } from '@cruddur/service-kit';
import { API_ROUTES, gatewayRoutes } from '../src/routes';
import { createUpstreams, UPSTREAM_DEFAULTS, upstreamConfig, type UpstreamName } from '../src/upstreams';

const serveApp = (routes: Parameters<typeof serveRoutes>[0]) => serveRoutes(routes);

interface Hit {
  service: UpstreamName;
  method: string;
  url: string;
  user: string | null;
  body: unknown;
  /** The bytes as they arrived. */
  raw: string | null;
}

/** Every request any fake upstream received. */
const hits: Hit[] = [];

/** A domain service that records and echoes whatever reaches it. */
const echoService = (service: UpstreamName) =>
  serveApp((app) =>
    app.use((req, res) => {
      const raw = (req as { rawBody?: Buffer }).rawBody?.toString('utf8') ?? null;
      const hit: Hit = { service, method: req.method, url: req.originalUrl, user: req.get('x-cruddur-user') ?? null, body: req.body ?? null, raw };
      hits.push(hit);
      try {
        res.json(hit);
      } catch {
        // A body nested too deep to serialize again: answer without echoing it.
        res.json({ service, raw: raw?.length ?? 0 });
      }
    }),
  );

const upstreamNames = Object.keys(UPSTREAM_DEFAULTS) as UpstreamName[];
const upstreams: Serving[] = [];
let gateway: Serving;

beforeAll(async () => {
  const env: Record<string, string> = {};
  for (const name of upstreamNames) {
    const service = await echoService(name);
    upstreams.push(service);
    env[`${name.toUpperCase()}_URL`] = `${service.url}/`; // the trailing slash is trimmed by the config
  }
  const config = loadConfig(z.object(upstreamConfig), env);
  gateway = await serveApp(gatewayRoutes(createUpstreams(config), 'andrewbrown'));
});

afterAll(async () => {
  await gateway.stop();
  await Promise.all(upstreams.map((u) => u.stop()));
});

beforeEach(() => {
  hits.length = 0;
});

/** A concrete path for a route pattern. */
const concrete = (pattern: string) => pattern.replace(':handle', 'worf').replace(':uuid', '68f126b0-1ceb-4a33-88be-d90fa7109eee');

describe('gateway routing', () => {
  it('covers the Cruddur API', () => {
    expect(API_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/activities/home',
      'GET /api/activities/notifications',
      'GET /api/activities/search',
      'GET /api/activities/@:handle',
      'POST /api/activities',
      'GET /api/activities/:uuid',
      'POST /api/activities/:uuid/reply',
      'GET /api/message_groups',
      'GET /api/messages/@:handle',
      'POST /api/messages',
      'GET /api/users/@:handle/short',
    ]);
  });

  it.each(API_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s reaches its upstream with the same path and query and the acting user',
    async (_name, route) => {
      const url = `${concrete(route.path)}?term=cloud%20fun&page=2`;
      const body = route.method === 'POST' ? { message: 'hi', ttl: '1-day', user_receiver_handle: 'worf' } : undefined;
      const response = await fetch(`${gateway.url}${url}`, {
        method: route.method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(response.status).toBe(200);
      const expected: Hit = {
        service: route.upstream,
        method: route.method,
        url,
        user: 'andrewbrown',
        body: body ?? null,
        raw: body ? JSON.stringify(body) : null,
      };
      expect(await response.json()).toEqual(expected);
      expect(hits).toEqual([expected]);
    },
  );

  it('sends its own acting user, never the one a client claims', async () => {
    await fetch(`${gateway.url}/api/message_groups`, { headers: { 'x-cruddur-user': 'garek' } });
    expect(hits.map((h) => h.user)).toEqual(['andrewbrown']);
  });

  it('forwards a POST body as it came, a JSON list included', async () => {
    const post = (body: unknown) =>
      fetch(`${gateway.url}/api/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post({ message: 'x'.repeat(1000), ttl: '30-days', extra: { nested: [1, 2] } });
    await post(['not', 'an', 'object']);
    expect(hits.map((h) => h.body)).toEqual([{ message: 'x'.repeat(1000), ttl: '30-days', extra: { nested: [1, 2] } }, ['not', 'an', 'object']]);
  });

  it('forwards a POST without a body as an empty object', async () => {
    await fetch(`${gateway.url}/api/messages`, { method: 'POST' });
    expect(hits).toEqual([expect.objectContaining({ service: 'messages', body: {} })]);
  });

  it('answers /api/health-check itself', async () => {
    const { status, body } = await callApi(`${gateway.url}/api/health-check`);
    expect(status).toBe(200);
    expect(body).toEqual({ success: true });
    expect(hits).toEqual([]);
  });

  it('answers a JSON 404 for paths outside the API without asking anyone', async () => {
    for (const [method, path] of [
      ['GET', '/api/users'],
      ['GET', '/api/activities/x/y'],
      ['GET', '//evil.example/api/activities/home'],
    ] as const) {
      const response = await fetch(`${gateway.url}${path}`, { method });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(await response.json()).toMatchObject({ error: 'not_found' });
    }
    expect(hits).toEqual([]);
  });

  it('answers 405 with Allow for an API path asked with a method it does not take, without asking anyone', async () => {
    for (const [method, path, allow] of [
      ['GET', '/api/activities', 'OPTIONS, POST'],
      ['POST', '/api/activities/home', 'GET, HEAD, OPTIONS'],
      ['PUT', '/api/activities/home', 'GET, HEAD, OPTIONS'],
      ['DELETE', '/api/activities/home', 'GET, HEAD, OPTIONS'],
      ['DELETE', '/api/messages', 'OPTIONS, POST'],
    ] as const) {
      const response = await fetch(`${gateway.url}${path}`, { method });
      expect({ method, path, status: response.status, allow: response.headers.get('allow') }).toEqual({ method, path, status: 405, allow });
      expect(await response.json()).toMatchObject({ error: 'method_not_allowed' });
    }
    expect(hits).toEqual([]);
  });

  it('answers malformed JSON with 400 itself', async () => {
    const { status, body } = await callApi(`${gateway.url}/api/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'malformed' });
    expect(hits).toEqual([]);
  });
});

describe('request bodies', () => {
  it('forwards a POST body byte for byte, however deep it nests', async () => {
    // Deep enough that re-serializing it would overflow the stack; passed on as bytes, it is fine.
    const deep = `{"message":"hi","nested":${'['.repeat(6000)}${']'.repeat(6000)}}`;
    const response = await fetch(`${gateway.url}/api/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
    expect(response.status).toBe(200);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.raw).toBe(deep);
  });

  it('sends {} for a POST without a body', async () => {
    const response = await fetch(`${gateway.url}/api/messages`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(hits[0]!.raw).toBe('{}');
  });
});
