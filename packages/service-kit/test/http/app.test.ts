import { AppError, createApp, createLogger, serve, type Serving } from '@cruddur/service-kit';
import type { Express } from 'express';

const logger = createLogger('http-server-test', 'silent');

// A secret that must never reach a client, even when a handler throws it.
const SECRET = 'db password hunter2 at /srv/app/secret.js';

function testRoutes(app: Express) {
  app.post('/echo', (req, res) => {
    res.json({ received: req.body ?? null });
  });
  app.get('/invalid', () => {
    throw AppError.invalid(['message_blank', 'ttl_blank']);
  });
  app.get('/missing', () => {
    throw AppError.notFound('no such thing');
  });
  app.get('/throws', () => {
    throw new Error(SECRET);
  });
  app.get('/rejects', async () => {
    await Promise.resolve();
    throw new TypeError(SECRET);
  });
  app.get('/throws-a-string', () => {
    throw SECRET;
  });
}

let serving: Serving;

beforeAll(async () => {
  const app = createApp({ logger, bodyLimit: '1kb', routes: testRoutes });
  serving = await serve(app, { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000, handleSignals: false });
});

afterAll(() => serving.stop());

const postJson = (path: string, body: string) =>
  fetch(`${serving.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('createApp', () => {
  it('parses a JSON body within the limit', async () => {
    const response = await postJson('/echo', JSON.stringify({ message: 'hi' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: { message: 'hi' } });
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await postJson('/echo', '{"message": "hi"');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ error: 'malformed', message: 'the request body is not valid JSON' });
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await postJson('/echo', JSON.stringify({ message: 'x'.repeat(2048) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too_large', message: 'the request body is too large' });
  });

  it('answers a JSON 404 for an unknown route', async () => {
    const response = await fetch(`${serving.url}/nowhere?x=1`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found', message: 'no route for GET /nowhere' });
  });

  it('answers 405 with Allow for a known path asked with a method it does not take', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${serving.url}/invalid`, { method });
      expect({ method, status: response.status, allow: response.headers.get('allow') }).toEqual({ method, status: 405, allow: 'GET, HEAD, OPTIONS' });
      expect(await response.json()).toEqual({ error: 'method_not_allowed', message: `${method} is not allowed on /invalid (allowed: GET, HEAD, OPTIONS)` });
    }
    const echo = await fetch(`${serving.url}/echo`, { method: 'GET' });
    expect([echo.status, echo.headers.get('allow')]).toEqual([405, 'OPTIONS, POST']);
  });

  it('keeps HEAD and OPTIONS working on a known path', async () => {
    const head = await fetch(`${serving.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const options = await fetch(`${serving.url}/echo`, { method: 'OPTIONS' });
    expect([options.status, options.headers.get('allow')]).toEqual([204, 'OPTIONS, POST']);
    expect((await fetch(`${serving.url}/nowhere`, { method: 'OPTIONS' })).status).toBe(404);
  });

  it('answers 422 with the list of codes for AppError.invalid', async () => {
    const response = await fetch(`${serving.url}/invalid`);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual(['message_blank', 'ttl_blank']);
  });

  it('answers an AppError with its own status and message', async () => {
    const response = await fetch(`${serving.url}/missing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found', message: 'no such thing' });
  });

  it.each(['/throws', '/rejects', '/throws-a-string'])('answers 500 {error: internal} for %s, leaking nothing', async (path) => {
    const response = await fetch(`${serving.url}${path}`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: 'internal', message: 'internal error' });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret.js');
    expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+/); // no stack frames
  });

  it('sends no x-powered-by header', async () => {
    const response = await fetch(`${serving.url}/healthz`);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('answers /healthz and /readyz while serving', async () => {
    const health = await fetch(`${serving.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${serving.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('reports telemetry disabled on /telemetryz without the preload', async () => {
    const response = await fetch(`${serving.url}/telemetryz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ enabled: false });
  });

  it('runs the `before` middleware ahead of the body parser and the routes', async () => {
    const seen: Array<unknown> = [];
    const app = createApp({
      logger,
      bodyLimit: '1kb',
      before: [
        (req, res, next) => {
          seen.push(req.body);
          res.setHeader('x-before', 'yes');
          next();
        },
      ],
      routes: testRoutes,
    });
    const other = await serve(app, { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000, handleSignals: false });
    try {
      const response = await fetch(`${other.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(response.headers.get('x-before')).toBe('yes');
      expect(await response.json()).toEqual({ received: { a: 1 } });
      expect(seen).toEqual([undefined]); // the body was not parsed yet
    } finally {
      await other.stop();
    }
  });
});
