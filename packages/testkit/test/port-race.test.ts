import { freePort, holdsListeningPort, lostPortRace, startService } from '@cruddur/testkit';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

// freePort() hands out a port that is free now; another test's process can bind it before
// the service does. Readiness must then not be taken from the process that got there first.

async function listen(server: Server, port = 0): Promise<number> {
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

describe('holdsListeningPort', () => {
  const server = createServer((_req, res) => res.end('ok'));
  let port: number;
  beforeAll(async () => (port = await listen(server)));
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('is true for the process that listens on the port', () => {
    expect(holdsListeningPort(process.pid, port)).toBe(true);
  });

  it('is false for another process, and for a port nobody listens on', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10_000)'], { stdio: 'ignore' });
    await once(other, 'spawn');
    try {
      expect(holdsListeningPort(other.pid!, port)).toBe(false);
      expect(holdsListeningPort(process.pid, await freePort())).toBe(false);
    } finally {
      other.kill();
    }
  });
});

describe('startService on a port another process has taken', () => {
  it('does not take the other process for the service, and fails as a lost race', async () => {
    // Answers every path, /readyz included, with 200: what a service of another stack would do.
    const squatter = createServer((_req, res) => res.end('{}'));
    const port = await listen(squatter);
    try {
      const error = await startService('users', { HOST: '127.0.0.1', PORT: String(port), OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'warn' }, { untraced: true }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/users exited during start-up/);
      expect(lostPortRace(error)).toBe(true);
    } finally {
      await new Promise<void>((done) => squatter.close(() => done()));
    }
  });

  it('does not call other start-up failures a lost race', () => {
    expect(lostPortRace(new Error('users exited during start-up:\ninvalid configuration:\n  - PORT: must be a port'))).toBe(false);
    expect(lostPortRace('EADDRINUSE')).toBe(false);
  });
});
