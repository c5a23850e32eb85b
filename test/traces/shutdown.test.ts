// SIGTERM: in-flight work finishes, queued spans are flushed, and the process exits
// promptly with status 0, even with idle keep-alive connections open.
import { spansOfTrace, startTracedStack, type OtlpReceiver, type Stack } from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';
import { request, Agent } from 'node:http';

let receiver: OtlpReceiver;
let stack: Stack;

let stopAll: (() => Promise<void>) | undefined;

beforeAll(async () => {
  // A batch delay far longer than the test: only the shutdown flush can deliver these spans.
  ({ receiver, stack, stop: stopAll } = await startTracedStack({ env: { OTEL_BSP_SCHEDULE_DELAY: '600000' } }));
}, 60_000);

afterAll(() => stopAll?.());

it('flushes every span of completed requests on SIGTERM and exits 0 within seconds', async () => {
  const traceId = randomBytes(16).toString('hex');
  // Keep-alive agent: the connection stays open and idle after the response.
  const agent = new Agent({ keepAlive: true });
  const status = await new Promise<number>((resolve, reject) => {
    request(`${stack.gatewayUrl}/api/activities/search?term=cloud`, {
      agent,
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    })
      .on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject)
      .end();
  });
  expect(status).toBe(200);
  expect(spansOfTrace(receiver.spans, traceId)).toHaveLength(0);

  const started = Date.now();
  const exits = await Promise.all(Object.values(stack.services).map((service) => service.stop('SIGTERM')));
  const elapsed = Date.now() - started;
  agent.destroy();

  expect(exits.every((e) => e.code === 0)).toBe(true);
  expect(elapsed).toBeLessThan(5000);
  const trace = spansOfTrace(receiver.spans, traceId);
  // gateway: server + client; search: server + search.activities + client;
  // activities: server + activities.find + its query + client; users: server + users.lookup + its query.
  const perService = (name: string) => trace.filter((s) => s.service === name).length;
  expect({ gateway: perService('gateway'), search: perService('search'), activities: perService('activities'), users: perService('users') }).toEqual({
    gateway: 2,
    search: 3,
    activities: 4,
    users: 3,
  });
  expect(trace).toHaveLength(12);
});
