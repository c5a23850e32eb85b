/**
 * Where each built service listens when HOST is not set (`npm start`, `make run`): the
 * domain services on loopback only, as they trust x-cruddur-user from whoever reaches them;
 * the gateway, the public entry, on every interface. Read from the kernel's socket table,
 * so no traffic leaves loopback to prove it.
 */
import { readFileSync } from 'node:fs';
import { freePort, SERVICE_NAMES, startService, type RunningService } from '@cruddur/testkit';

/** The local IPv4 addresses of the sockets listening on `port` (the services listen on IPv4). */
function listeningOn(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const addresses: string[] = [];
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, , state] = line.trim().split(/\s+/);
    // State 0A is LISTEN; the address is hex, little-endian: 0100007F is 127.0.0.1.
    if (state !== '0A' || local !== `${local?.slice(0, 8)}:${hexPort}`) continue;
    addresses.push(local.slice(0, 8).match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.'));
  }
  return addresses;
}

const running: RunningService[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
});

test.each(SERVICE_NAMES)('%s listens where it should without HOST', async (name) => {
  const port = await freePort();
  // Untraced, with no upstreams: only the listening socket matters here.
  const service = await startService(name, { PORT: String(port), LOG_LEVEL: 'warn', OTEL_SDK_DISABLED: 'true' }, { untraced: true });
  running.push(service);
  expect(listeningOn(port)).toEqual(name === 'gateway' ? ['0.0.0.0'] : ['127.0.0.1']);
});
