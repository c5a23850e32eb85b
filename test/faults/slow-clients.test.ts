/**
 * A slowloris against the gateway, on loopback and bounded: 200 clients that trickle their
 * request headers one line a second. The gateway keeps serving everyone else, and cuts each
 * slow client off with 408 once CLIENT_LIMITS.headersTimeout has passed.
 */
import { connect, type Socket } from 'node:net';
import { CLIENT_LIMITS } from '@cruddur/service-kit';
import { freePort, startService, type RunningService } from '@cruddur/testkit';

const SLOW_CLIENTS = 200;
const { headersTimeout, connectionsCheckingInterval } = CLIENT_LIMITS;

let gateway: RunningService;
beforeAll(async () => {
  gateway = await startService('gateway', { HOST: '127.0.0.1', PORT: String(await freePort()), LOG_LEVEL: 'warn', OTEL_SDK_DISABLED: 'true' }, { untraced: true });
});
afterAll(() => gateway.stop());

interface SlowClient {
  socket: Socket;
  /** What the server sent, and when (ms after the start) it closed the connection. */
  received: string;
  closedAt?: number;
}

/** Opens a connection that sends a request line, then one header line a second, never the end. */
function slowClient(port: number, started: number): Promise<SlowClient> {
  return new Promise((resolve, reject) => {
    const client: SlowClient = { socket: connect(port, '127.0.0.1'), received: '' };
    const trickle = setInterval(() => client.socket.write(`x-slow-${Date.now()}: 1\r\n`), 1000);
    client.socket.setEncoding('utf8');
    client.socket.on('data', (chunk: string) => (client.received += chunk));
    client.socket.on('close', () => {
      clearInterval(trickle);
      client.closedAt = performance.now() - started;
    });
    client.socket.once('error', reject);
    client.socket.once('connect', () => {
      client.socket.write('GET /api/health-check HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      resolve(client);
    });
  });
}

test(`${SLOW_CLIENTS} slow clients: everyone else is served, and each slow one is cut off with 408 after the headers timeout`, async () => {
  const port = Number(new URL(gateway.url).port);
  const started = performance.now();
  const clients = await Promise.all(Array.from({ length: SLOW_CLIENTS }, () => slowClient(port, started)));
  try {
    // While they hold their sockets: ordinary requests, one every 250 ms, all answered quickly.
    const latencies: number[] = [];
    while (performance.now() - started < headersTimeout - 1000) {
      const before = performance.now();
      const response = await fetch(`${gateway.url}/api/health-check`);
      expect(response.status).toBe(200);
      latencies.push(performance.now() - before);
      await new Promise((r) => setTimeout(r, 250));
    }
    const deadline = headersTimeout + connectionsCheckingInterval + 2000;
    while (clients.some((c) => c.closedAt === undefined) && performance.now() - started < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const closedAt = clients.map((c) => c.closedAt ?? Infinity).sort((a, b) => a - b);
    console.log(
      `slowloris: ${latencies.length} ordinary requests, slowest ${Math.max(...latencies).toFixed(1)} ms; ` +
        `${SLOW_CLIENTS} slow clients closed between ${(closedAt[0]! / 1000).toFixed(1)} s and ${(closedAt.at(-1)! / 1000).toFixed(1)} s`,
    );
    expect(Math.max(...latencies)).toBeLessThan(500);
    expect(closedAt.at(-1)).toBeLessThan(deadline);
    expect(closedAt[0]).toBeGreaterThanOrEqual(headersTimeout - 500);
    for (const client of clients) expect(client.received).toMatch(/^HTTP\/1\.1 408 /);
  } finally {
    for (const client of clients) client.socket.destroy();
  }
}, 30_000);
