import { hasShape, MAX_FAILED_RATE, pickRequest, REQUESTS, traceparent } from '@cruddur/loadtests';
import { startStack, type Stack } from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';

describe('the traffic mix', () => {
  it('picks each request in proportion to its weight', () => {
    const counts = new Map<string, number>();
    const draws = 10_000;
    // Evenly spaced draws: the mix exactly, with no randomness in the test.
    for (let i = 0; i < draws; i++) {
      const name = pickRequest(i / draws).name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const total = REQUESTS.reduce((sum, r) => sum + r.weight, 0);
    for (const request of REQUESTS) {
      expect(counts.get(request.name)! / draws).toBeCloseTo(request.weight / total, 3);
    }
  });

  it('is mostly home-feed reads with a few writes', () => {
    const share = (pred: (r: (typeof REQUESTS)[number]) => boolean) =>
      REQUESTS.filter(pred).reduce((s, r) => s + r.weight, 0) / REQUESTS.reduce((s, r) => s + r.weight, 0);
    expect(share((r) => r.name === 'home')).toBeGreaterThan(0.4);
    expect(share((r) => r.method === 'POST')).toBeLessThan(0.1);
    expect(MAX_FAILED_RATE).toBeLessThanOrEqual(0.01);
  });

  it('makes valid W3C traceparents for new sampled traces', () => {
    const value = traceparent(new Uint8Array(randomBytes(24)));
    expect(value).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceparent(new Uint8Array(24).fill(255))).toBe(`00-${'f'.repeat(32)}-${'f'.repeat(16)}-01`);
  });

  it('tells lists from created objects', () => {
    expect(hasShape([], 'list')).toBe(true);
    expect(hasShape({ uuid: 'x' }, 'object')).toBe(true);
    expect(hasShape({ error: 'x' }, 'object')).toBe(false);
    expect(hasShape(['message_blank'], 'object')).toBe(false);
  });
});

describe('the profile against the real API', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 60_000);
  afterAll(() => stack?.stop());

  it.each(REQUESTS.map((r) => [r.name, r] as const))('%s answers as the profile expects', async (_name, request) => {
    const response = await fetch(`${stack.gatewayUrl}${request.path}`, {
      method: request.method,
      headers: { 'content-type': 'application/json' },
      body: request.body ? JSON.stringify(request.body) : undefined,
    });
    expect(response.status).toBe(request.expect.status);
    expect(hasShape(await response.json(), request.expect.shape)).toBe(true);
  });
});
