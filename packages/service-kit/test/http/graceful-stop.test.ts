import { createApp, createLogger, serve } from '@cruddur/service-kit';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';

const logger = createLogger('graceful-stop-test', 'silent');

/** A service whose GET /slow answers only once `release` is called. */
async function startSlowService(shutdownTimeoutMs = 5000) {
  let arrived!: () => void;
  const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const app = createApp({
    logger,
    bodyLimit: '1kb',
    routes: (a) =>
      a.get('/slow', async (_req, res) => {
        arrived();
        await released;
        res.json({ done: true });
      }),
  });
  const serving = await serve(app, { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs, handleSignals: false });
  return { serving, requestArrived, release };
}

/** GET over node:http with a keep-alive agent, so the connection outlives the response. */
function keepAliveGet(url: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Writes raw HTTP/1.1 to one socket and collects every byte the server sends until it closes. */
function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  socket.on('error', () => {});
  const ready = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { ready, send: (text: string) => socket.write(text), closed };
}

const elapsedMs = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

describe('serve → stop()', () => {
  it('lets an in-flight request finish with 200 after the stop begins', async () => {
    const { serving, requestArrived, release } = await startSlowService();
    const answer = fetch(`${serving.url}/slow`);
    await requestArrived;

    let stopped = false;
    const stopping = serving.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 150));
    expect(stopped).toBe(false); // the stop waits for the request

    release();
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await stopping;
    expect(stopped).toBe(true);
  });

  it('answers /readyz with 503 once the stop begins', async () => {
    const { serving, requestArrived, release } = await startSlowService();
    // One connection: a slow request in flight keeps it open, a readiness probe queued behind it.
    const connection = rawConnection(serving.url);
    await connection.ready;
    connection.send('GET /slow HTTP/1.1\r\nhost: test\r\n\r\n');
    await requestArrived;
    const stopping = serving.stop();
    connection.send('GET /readyz HTTP/1.1\r\nhost: test\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    release();

    const received = await connection.closed;
    await stopping;
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(received).toContain('HTTP/1.1 503 Service Unavailable');
    expect(received).toContain('{"status":"draining"}');
  });

  it('is not held up by an idle keep-alive connection', async () => {
    const { serving } = await startSlowService(10_000);
    const agent = new Agent({ keepAlive: true });
    try {
      const answer = await keepAliveGet(`${serving.url}/healthz`, agent);
      expect(answer.status).toBe(200);
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1); // the connection stays open, idle

      const started = process.hrtime.bigint();
      await serving.stop();
      expect(elapsedMs(started)).toBeLessThan(1000); // far below the 10 s deadline
    } finally {
      agent.destroy();
    }
  });

  it('refuses new connections after the stop', async () => {
    const { serving } = await startSlowService();
    await serving.stop();
    await expect(fetch(`${serving.url}/healthz`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });

  it('cuts a request still running at the shutdown deadline', async () => {
    const { serving, requestArrived, release } = await startSlowService(200);
    const answer = fetch(`${serving.url}/slow`);
    await requestArrived;
    const started = process.hrtime.bigint();
    await serving.stop();
    expect(elapsedMs(started)).toBeLessThan(1500);
    await expect(answer).rejects.toThrow();
    release();
  });

  it('resolves every stop() call with the same stop', async () => {
    const { serving } = await startSlowService();
    const first = serving.stop();
    expect(serving.stop()).toBe(first);
    await first;
  });
});
