import { createApp, createLogger, serve, type Serving } from '@cruddur/service-kit';
import { gatewayMiddleware } from '../src/middleware';
import { gatewayRoutes } from '../src/routes';
import { createUpstreams } from '../src/upstreams';

const FRONTEND_URL = 'http://localhost:3000';
/** The same page opened by address: `make run` lets both in. */
const FRONTEND_BY_ADDRESS = 'http://127.0.0.1:3000';
const logger = createLogger('gateway-middleware-test', 'silent');

let gateway: Serving;
let upstreamCalls = 0;
let upstream: Serving;

beforeAll(async () => {
  const opts = { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000, handleSignals: false };
  upstream = await serve(
    createApp({
      logger,
      bodyLimit: '1kb',
      routes: (app) =>
        app.use((_req, res) => {
          upstreamCalls++;
          res.json([]);
        }),
    }),
    opts,
  );
  const config: Record<string, unknown> = {};
  for (const name of ['ACTIVITIES', 'NOTIFICATIONS', 'MESSAGES', 'SEARCH', 'USERS']) {
    config[`${name}_URL`] = upstream.url;
    config[`${name}_TIMEOUT_MS`] = 1000;
  }
  // Composed as the gateway's main.ts composes it.
  const app = createApp({
    logger,
    bodyLimit: '100kb',
    before: gatewayMiddleware({ FRONTEND_URL: [FRONTEND_URL, FRONTEND_BY_ADDRESS] }),
    routes: gatewayRoutes(createUpstreams(config), 'andrewbrown'),
  });
  gateway = await serve(app, opts);
});

afterAll(async () => {
  await gateway.stop();
  await upstream.stop();
});

beforeEach(() => {
  upstreamCalls = 0;
});

const preflight = (origin: string, method = 'POST', headers = 'content-type,traceparent') =>
  fetch(`${gateway.url}/api/activities`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

/** A header's comma-separated values, lower-cased. */
const listOf = (value: string | null) => (value ?? '').split(',').map((v) => v.trim().toLowerCase());

describe('CORS', () => {
  it('allows a preflight from the frontend origin: POST with content-type and traceparent', async () => {
    const response = await preflight(FRONTEND_URL);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONTEND_URL);
    expect(listOf(response.headers.get('access-control-allow-methods'))).toContain('post');
    expect(listOf(response.headers.get('access-control-allow-headers'))).toEqual(
      expect.arrayContaining(['content-type', 'traceparent', 'tracestate', 'baggage']),
    );
    expect(listOf(response.headers.get('vary'))).toContain('origin');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(upstreamCalls).toBe(0); // a preflight never reaches a domain service
  });

  it('allows each of the frontend origins it is given, naming only the one that asked', async () => {
    const response = await preflight(FRONTEND_BY_ADDRESS);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONTEND_BY_ADDRESS);
  });

  it.each(['http://evil.example', 'http://localhost:3001', 'https://localhost:3000', 'null'])(
    'gives a preflight from %s no Access-Control-Allow-Origin',
    async (origin) => {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(upstreamCalls).toBe(0);
    },
  );

  it('lets the frontend read an answer, and no other origin', async () => {
    const mine = await fetch(`${gateway.url}/api/activities/home`, { headers: { origin: FRONTEND_URL } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('access-control-allow-origin')).toBe(FRONTEND_URL);
    expect(listOf(mine.headers.get('access-control-expose-headers'))).toEqual(['location', 'link']);

    const theirs = await fetch(`${gateway.url}/api/activities/home`, { headers: { origin: 'http://evil.example' } });
    expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("lets the frontend's fetch spans read the call's network timings (Timing-Allow-Origin), and no other origin", async () => {
    const mine = await fetch(`${gateway.url}/api/activities/home`, { headers: { origin: FRONTEND_BY_ADDRESS } });
    expect(mine.headers.get('timing-allow-origin')).toBe(FRONTEND_BY_ADDRESS);
    const theirs = await fetch(`${gateway.url}/api/activities/home`, { headers: { origin: 'http://evil.example' } });
    expect(theirs.headers.get('timing-allow-origin')).toBeNull();
  });
});

describe('security headers', () => {
  it.each(['/api/health-check', '/api/activities/home', '/api/nowhere'])('are on the answer to %s', async (path) => {
    const response = await fetch(`${gateway.url}${path}`);
    const header = (name: string) => response.headers.get(name);
    expect(header('x-content-type-options')).toBe('nosniff');
    expect(header('x-frame-options')).toBe('SAMEORIGIN');
    expect(header('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(header('content-security-policy')).toContain("default-src 'self'");
    expect(header('cross-origin-resource-policy')).toBe('cross-origin');
    expect(header('referrer-policy')).toBe('no-referrer');
    expect(header('x-powered-by')).toBeNull();
  });
});
