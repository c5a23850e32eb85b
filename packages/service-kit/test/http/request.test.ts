import { ACTING_USER_HEADER, actingUser, AppError, bodyFields, createApp, createLogger, serve, type Serving } from '@cruddur/service-kit';
import type { Request } from 'express';

/** Just enough of an Express request for the two helpers. */
function fakeRequest({ headers = {}, body }: { headers?: Record<string, string>; body?: unknown }): Request {
  return { body, get: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
}

describe('bodyFields', () => {
  it('gives the fields of a JSON object body', () => {
    expect(bodyFields(fakeRequest({ body: { message: 'hi', ttl: '7-days' } }))).toEqual({ message: 'hi', ttl: '7-days' });
  });

  it.each([
    ['a list', ['message', 'hi']],
    ['a string', 'hi'],
    ['a number', 42],
    ['null', null],
    ['no body', undefined],
  ])('gives no fields for %s', (_what, body) => {
    expect(bodyFields(fakeRequest({ body }))).toEqual({});
  });
});

describe('actingUser', () => {
  it('reads the handle from the x-cruddur-user header, trimmed', () => {
    expect(ACTING_USER_HEADER).toBe('x-cruddur-user');
    expect(actingUser(fakeRequest({ headers: { 'x-cruddur-user': ' andrewbrown ' } }))).toBe('andrewbrown');
  });

  it.each([
    ['missing', {}],
    ['blank', { 'x-cruddur-user': '   ' }],
  ])('throws unauthenticated (401) when the header is %s', (_what, headers) => {
    let thrown: unknown;
    try {
      actingUser(fakeRequest({ headers }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ kind: 'unauthenticated', status: 401 });
  });

  describe('over HTTP', () => {
    const logger = createLogger('request-test', 'silent');
    let serving: Serving;

    beforeAll(async () => {
      const app = createApp({
        logger,
        bodyLimit: '1kb',
        routes: (a) => a.get('/me', (req, res) => res.json({ handle: actingUser(req) })),
      });
      serving = await serve(app, { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000, handleSignals: false });
    });
    afterAll(() => serving.stop());

    it('answers 401 without the header', async () => {
      const response = await fetch(`${serving.url}/me`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'unauthenticated' });
    });

    it('answers with the handle when the header is there', async () => {
      const response = await fetch(`${serving.url}/me`, { headers: { 'x-cruddur-user': 'worf' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ handle: 'worf' });
    });
  });
});
