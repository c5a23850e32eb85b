import { AppError, CLIENT_LIMITS, createApp, createLogger, createUpstream, serve, UPSTREAM_IDLE_MS, type Serving } from '@cruddur/service-kit';
import type { Express } from 'express';
import { Agent } from 'node:http';
import { createServer as createNetServer, Socket, type AddressInfo } from 'node:net';

const logger = createLogger('http-client-test', 'silent');

const startService = async (routes: (app: Express) => void): Promise<Serving> =>
  serve(createApp({ logger, bodyLimit: '10kb', routes }), { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000, handleSignals: false });

/** What a promise rejected with; fails the test when it resolved. */
async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the call to fail');
}

/** An upstream that answers as the tests need. */
function fakeUpstreamRoutes(app: Express) {
  app.get('/echo', (req, res) => {
    res.json({ query: req.query, user: req.get('x-cruddur-user') ?? null, accept: req.get('accept') });
  });
  app.post('/echo', (req, res) => {
    res.json({ body: req.body });
  });
  app.get('/invalid', (_req, res) => {
    res.status(422).json(['message_blank', 'message_exceed_max_chars']);
  });
  app.get('/invalid-not-a-list', (_req, res) => {
    res.status(422).json({ error: 'invalid' });
  });
  app.get('/missing', (_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no user @nobody' });
  });
  app.get('/broken', (_req, res) => {
    res.status(500).json({ error: 'internal', message: 'internal error' });
  });
  app.get('/unavailable', (_req, res) => {
    res.status(503).send('try later');
  });
  app.get('/timed-out-below', (_req, res) => {
    res.status(504).json({ error: 'upstream_timeout', message: 'users did not answer within 2000 ms' });
  });
  app.get('/slow', async (_req, res) => {
    await new Promise((r) => setTimeout(r, 400));
    res.json({ late: true });
  });
}

let upstreamService: Serving;
let closedPortUrl: string;

beforeAll(async () => {
  upstreamService = await startService(fakeUpstreamRoutes);
  const closed = await startService(() => {});
  closedPortUrl = closed.url;
  await closed.stop();
});

afterAll(() => upstreamService.stop());

const upstream = (timeoutMs = 2000) => createUpstream({ name: 'fake', baseURL: upstreamService.url, timeoutMs });

describe('createUpstream', () => {
  it('returns the JSON of a 2xx answer, sending params and headers', async () => {
    const data = await upstream().get('/echo', { term: 'cloud', limit: 20, skipped: undefined }, { 'x-cruddur-user': 'andrewbrown' });
    expect(data).toEqual({ query: { term: 'cloud', limit: '20' }, user: 'andrewbrown', accept: 'application/json' });
  });

  it('posts a JSON body', async () => {
    expect(await upstream().post('/echo', { message: 'hi' })).toEqual({ body: { message: 'hi' } });
  });

  it('turns a refused connection into upstream_unavailable (502)', async () => {
    const refused = createUpstream({ name: 'users', baseURL: closedPortUrl, timeoutMs: 2000 });
    const error = await rejectionOf(refused.get('/anything'));
    expect(error).toMatchObject({ kind: 'upstream_unavailable', status: 502 });
    expect(error.message).toContain('users');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('turns a server slower than timeoutMs into upstream_timeout (504)', async () => {
    const started = Date.now();
    const error = await rejectionOf(upstream(100).get('/slow'));
    expect(error).toMatchObject({ kind: 'upstream_timeout', status: 504 });
    expect(error.message).toBe('fake did not answer within 100 ms');
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('passes a 422 list on as invalid with the same codes', async () => {
    const error = await rejectionOf(upstream().get('/invalid'));
    expect(error).toMatchObject({ kind: 'invalid', status: 422, codes: ['message_blank', 'message_exceed_max_chars'] });
    expect(error.body()).toEqual(['message_blank', 'message_exceed_max_chars']);
  });

  it('treats a 422 that is not a list of codes as an upstream error (502)', async () => {
    expect(await rejectionOf(upstream().get('/invalid-not-a-list'))).toMatchObject({ kind: 'upstream_error', status: 502 });
  });

  it('passes a 404 on with the upstream message', async () => {
    const error = await rejectionOf(upstream().get('/missing'));
    expect(error).toMatchObject({ kind: 'not_found', status: 404, message: 'no user @nobody' });
  });

  it('passes an unknown upstream route (the kit 404) on as 404', async () => {
    expect(await rejectionOf(upstream().get('/no-such-route'))).toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('passes a timeout further down on as upstream_timeout (504), with its message', async () => {
    const error = await rejectionOf(upstream().get('/timed-out-below'));
    expect(error).toMatchObject({ kind: 'upstream_timeout', status: 504, message: 'users did not answer within 2000 ms' });
  });

  it('lets an error that is not a transport failure through as it is', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const error: unknown = await upstream().post('/echo', circular).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AppError);
  });

  it.each(['/broken', '/unavailable'])('turns a 5xx from %s into upstream_error (502)', async (path) => {
    const error = await rejectionOf(upstream().get(path));
    expect(error).toMatchObject({ kind: 'upstream_error', status: 502 });
    expect(error.body()).toEqual({ error: 'upstream_error', message: expect.stringMatching(/^fake answered 5\d\d$/) });
  });
});

describe('AppError.fromUpstreamAnswer', () => {
  it.each([
    [400, 'malformed', 400, { message: 'bad' }],
    [401, 'unauthenticated', 401, { message: 'who?' }],
    [413, 'too_large', 413, { message: 'big' }],
    [418, 'upstream_error', 502, {}],
    [504, 'upstream_timeout', 504, { error: 'upstream_timeout', message: 'users did not answer within 2000 ms' }],
    [502, 'upstream_error', 502, null],
  ])('maps an upstream %i to %s (%i)', (status, kind, clientStatus, body) => {
    expect(AppError.fromUpstreamAnswer('x', status, body)).toMatchObject({ kind, status: clientStatus });
  });
});

describe('kept-alive connections to an upstream', () => {
  it('are served with the keep-alive timeout the kit states', async () => {
    const service = await startService(fakeUpstreamRoutes);
    try {
      expect(service.server.keepAliveTimeout).toBe(CLIENT_LIMITS.keepAliveTimeout);
    } finally {
      await service.stop();
    }
  });

  it('are closed by the caller once idle, before the upstream would close them', async () => {
    expect(UPSTREAM_IDLE_MS).toBeLessThan(CLIENT_LIMITS.keepAliveTimeout);
    const service = await startService(fakeUpstreamRoutes);
    const closes: Array<{ byCaller: boolean; idleMs: number }> = [];
    let lastAnswer = 0;
    service.server.on('connection', (socket) => {
      let byCaller = false;
      socket.once('end', () => (byCaller = true)); // the caller's FIN arrived
      socket.once('close', () => closes.push({ byCaller, idleMs: performance.now() - lastAnswer }));
    });
    try {
      const client = createUpstream({ name: 'fake', baseURL: service.url, timeoutMs: 2000 });
      await client.get('/echo');
      await client.get('/echo'); // the same connection, kept alive
      lastAnswer = performance.now();
      await new Promise((resolve) => setTimeout(resolve, UPSTREAM_IDLE_MS + 500));
      expect(closes).toHaveLength(1);
      expect(closes[0]!.byCaller).toBe(true);
      expect(closes[0]!.idleMs).toBeGreaterThanOrEqual(UPSTREAM_IDLE_MS - 50);
      expect(closes[0]!.idleMs).toBeLessThan(CLIENT_LIMITS.keepAliveTimeout);
    } finally {
      await service.stop();
    }
  }, 10_000);
});

/**
 * An upstream that loses the race a draining server loses: it answers the first request on
 * each connection (keeping it alive), then closes the connection without an answer the moment
 * a second request arrives on it, as a server closing its idle connections does when a call
 * is already on the wire. Counts connections and requests.
 */
async function startClosingUpstream(): Promise<{ url: string; connections: () => number; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    let answered = false;
    socket.on('error', () => {});
    socket.on('data', () => {
      requests += 1;
      if (answered) return socket.destroy();
      answered = true;
      const body = '{"ok":true}';
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => sockets.size,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy(); // the client's kept-alive one too
      }),
  };
}

describe('a call sent on a connection the upstream has just closed', () => {
  it('is sent again on a new connection when it is a read, and answers', async () => {
    const upstream = await startClosingUpstream();
    try {
      const client = createUpstream({ name: 'fake', baseURL: upstream.url, timeoutMs: 2000 });
      await expect(client.get('/a')).resolves.toEqual({ ok: true });
      await expect(client.get('/b')).resolves.toEqual({ ok: true }); // reused, reset, sent again
      expect(upstream.requests()).toBe(3);
      expect(upstream.connections()).toBe(2);
    } finally {
      await upstream.close();
    }
  });

  it('is sent again on a connection of its own, not on another idle one the upstream is closing too', async () => {
    const upstream = await startClosingUpstream();
    try {
      const client = createUpstream({ name: 'fake', baseURL: upstream.url, timeoutMs: 2000 });
      // Two calls at once leave two idle kept-alive connections, both closing at the upstream.
      await Promise.all([client.get('/a'), client.get('/b')]);
      expect(upstream.connections()).toBe(2);
      await expect(client.get('/c')).resolves.toEqual({ ok: true });
      expect(upstream.requests()).toBe(4);
      expect(upstream.connections()).toBe(3);
    } finally {
      await upstream.close();
    }
  });

  it('is a 502 when it is a write, sent once', async () => {
    const upstream = await startClosingUpstream();
    try {
      const client = createUpstream({ name: 'fake', baseURL: upstream.url, timeoutMs: 2000 });
      await client.get('/a');
      const error = await rejectionOf(client.post('/b', { text: 'hello' }));
      expect(error).toMatchObject({ kind: 'upstream_unavailable', status: 502 });
      expect(upstream.requests()).toBe(2);
    } finally {
      await upstream.close();
    }
  });

  it('is a 502 when the connection was new (the upstream is broken, not draining)', async () => {
    let requests = 0;
    const server = createNetServer((socket) => {
      socket.on('error', () => {});
      socket.on('data', () => {
        requests += 1;
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = createUpstream({ name: 'fake', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 2000 });
      const error = await rejectionOf(client.get('/a'));
      expect(error).toMatchObject({ kind: 'upstream_unavailable', status: 502 });
      expect(requests).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('a call that was never sent', () => {
  it('is sent once more on a new connection when its connection was refused, a write too, and answers when that one gets through', async () => {
    let refused = 0;
    const upstream = await startService(fakeUpstreamRoutes);
    // Refuse the first connection attempt only: what a Service sending to a pod that just went away looks like.
    const original = Agent.prototype.createConnection;
    const spy = jest.spyOn(Agent.prototype, 'createConnection').mockImplementation(function (this: Agent, options, callback) {
      if (refused++ === 0) return original.call(this, { ...options, port: 1 }, callback);
      return original.call(this, options, callback);
    });
    try {
      const client = createUpstream({ name: 'fake', baseURL: upstream.url, timeoutMs: 2000 });
      await expect(client.post('/echo', { text: 'once' })).resolves.toEqual({ body: { text: 'once' } });
      expect(refused).toBe(2);
    } finally {
      spy.mockRestore();
      await upstream.stop();
    }
  });

  it('gives up on a connection not made within the connect timeout, tries once more, and is a 502 naming it, well within the call timeout', async () => {
    // A socket that never connects: a peer on a node that is gone (loopback cannot drop a SYN).
    const attempts: Socket[] = [];
    const spy = jest.spyOn(Agent.prototype, 'createConnection').mockImplementation(() => {
      const socket = new Socket();
      Object.defineProperty(socket, 'connecting', { value: true });
      attempts.push(socket);
      return socket;
    });
    try {
      const client = createUpstream({ name: 'fake', baseURL: 'http://127.0.0.1:9', timeoutMs: 5000, connectTimeoutMs: 100 });
      const started = Date.now();
      const error = await rejectionOf(client.post('/echo', { text: 'never sent' }));
      expect(error).toMatchObject({ kind: 'upstream_unavailable', status: 502 });
      expect(error.message).toContain('ECONNECTTIMEOUT');
      expect(attempts).toHaveLength(2);
      expect(attempts.every((socket) => socket.destroyed)).toBe(true);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      spy.mockRestore();
    }
  });
});
