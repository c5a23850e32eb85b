import type { Serving } from '@cruddur/service-kit';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeBuiltApp, type BuiltApp } from './built-app';
import { rawGet } from './raw-get';
import { serveFrontend } from './serve-frontend';

let built: BuiltApp;
let frontend: Serving;

beforeAll(async () => {
  built = writeBuiltApp();
  frontend = await serveFrontend({ WEB_ROOT: built.root, GATEWAY_PUBLIC_URL: 'http://gateway.example:4567' });
});

afterAll(async () => {
  await frontend.stop();
  built.remove();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${frontend.url}${path}`, { headers });

/** The CSP's directives by name. */
function cspOf(response: Response): Map<string, string[]> {
  const header = response.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('the page', () => {
  it.each(['/', '/@worf', '/messages/@garek', '/activities/68f126b0-1ceb-4a33-88be-d90fa7109eee', '/search?term=cloud', '/no/such/page'])(
    'is index.html at %s, asked again on every load',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<title>Cruddur</title>');
    },
  );

  it('answers 304 to a browser that has it', async () => {
    const etag = (await get('/')).headers.get('etag')!;
    expect((await rawGet(`${frontend.url}/`, { 'if-none-match': etag })).status).toBe(304);
  });

  it('is the build on disk now: a rebuild while the server runs (the dev loop) is what the next load gets', async () => {
    const index = join(built.root, 'index.html');
    const before = readFileSync(index, 'utf8');
    try {
      writeFileSync(index, before.replace('index-abc123.js', 'index-def456.js'));
      await expect((await get('/')).text()).resolves.toContain('/assets/index-def456.js');
    } finally {
      writeFileSync(index, before);
    }
  });

  it('comes with a strict Content-Security-Policy: scripts and styles only from this origin, calls only here and to the gateway', async () => {
    const csp = cspOf(await get('/'));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://gateway.example:4567']);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('require-trusted-types-for')).toEqual(["'script'"]);
    expect([...csp.values()].flat().filter((v) => /unsafe|data:|\*/.test(v))).toEqual([]);
  });

  it('comes with the other security headers, and no HSTS (TLS ends in front of this server)', async () => {
    const response = await get('/');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('permissions-policy')).toContain('camera=()');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

describe('the bundles', () => {
  it('are kept a year by the browser (their names change with their content), and sent compressed', async () => {
    const { status, headers, body } = await rawGet(`${frontend.url}${built.bundlePath}`, { 'accept-encoding': 'gzip' });
    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(headers['content-type']).toMatch(/javascript/);
    expect(headers['content-encoding']).toBe('gzip');
    expect(headers['content-security-policy']).toBeTruthy();
    expect(body.length).toBeLessThan(built.bundle.length / 4);
    expect(gunzipSync(body).toString()).toBe(built.bundle);
  });

  it.each(['/assets/index-gone.js', '/api/activities/home', '/v1/metrics'])('%s is a 404, not the page', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });

  it('serves the build’s other files for an hour', async () => {
    const response = await get('/favicon.svg');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
  });
});

describe('/config.json', () => {
  it('tells the app where the gateway and the span relay are, how to sample, and its version', async () => {
    const response = await get('/config.json');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.json()).toEqual({ gatewayUrl: 'http://gateway.example:4567', tracesUrl: '/v1/traces', sampleRatio: 1, serviceVersion: '1.2.3' });
  });
});

describe('probes', () => {
  it('answers /healthz and /readyz as every service does', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect(await (await get('/readyz')).json()).toEqual({ status: 'ready' });
  });
});

it('refuses to start without a built app, saying how to build one', async () => {
  await expect(serveFrontend({ WEB_ROOT: '/nonexistent/web' })).rejects.toThrow(/no built web app at \/nonexistent\/web.*make build/);
});
