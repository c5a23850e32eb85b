// An upstream that refuses or hangs: the client gets 502/504, the gateway's own spans
// carry the error, and the gateway keeps serving.
import {
  callApi,
  childrenOf,
  freePort,
  rootsOf,
  SpanKind,
  spansOfTrace,
  startTracedStack,
  StatusCode,
  type OtlpReceiver,
  type Stack,
} from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

let receiver: OtlpReceiver;
let stack: Stack;
let hanging: Server;
let stopAll: (() => Promise<void>) | undefined;

beforeAll(async () => {
  // Accepts requests and never answers: the notifications upstream times out.
  hanging = createServer(() => {});
  const hangingPort = await freePort();
  await new Promise<void>((resolve) => hanging.listen(hangingPort, '127.0.0.1', resolve));
  ({ receiver, stack, stop: stopAll } = await startTracedStack({
    serviceEnv: {
      gateway: {
        NOTIFICATIONS_URL: `http://127.0.0.1:${hangingPort}`,
        NOTIFICATIONS_TIMEOUT_MS: '300',
        // Nothing listens here: refused at once.
        SEARCH_URL: `http://127.0.0.1:${await freePort()}`,
      },
    },
  }));
}, 60_000);

afterAll(async () => {
  await stopAll?.();
  hanging?.closeAllConnections();
  await new Promise((resolve) => hanging?.close(resolve));
});

async function failingRequest(path: string) {
  const traceId = randomBytes(16).toString('hex');
  const { status, body } = await callApi(`${stack.gatewayUrl}${path}`, {
    headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
  });
  await receiver.waitForSpans((spans) => spansOfTrace(spans, traceId).some((s) => s.service === 'gateway' && s.kind === SpanKind.SERVER));
  const trace = spansOfTrace(receiver.spans, traceId);
  const [gateway] = rootsOf(trace);
  return { status, body, trace, gateway: gateway! };
}

it('answers 502 when an upstream refuses, with the error on the gateway span', async () => {
  const { status, body, trace, gateway } = await failingRequest('/api/activities/search?term=cloud');
  expect(status).toBe(502);
  expect(body).toEqual({ error: 'upstream_unavailable', message: 'search is unavailable (ECONNREFUSED)' });
  // The failure's message stays on the span, though the span's end sets its status again from the code.
  expect(gateway.status).toEqual({ code: StatusCode.ERROR, message: 'search is unavailable (ECONNREFUSED)' });
  expect(gateway.attributes['http.response.status_code']).toBe(502);
  expect(gateway.events.find((e) => e.name === 'exception')?.attributes['exception.message']).toContain('search is unavailable');
  const client = childrenOf(trace, gateway).find((s) => s.kind === SpanKind.CLIENT);
  expect(client?.status.code).toBe(StatusCode.ERROR);
});

it('answers 504 when an upstream does not answer within its timeout', async () => {
  const started = Date.now();
  const { status, body, gateway } = await failingRequest('/api/activities/notifications');
  expect(status).toBe(504);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(body).toEqual({ error: 'upstream_timeout', message: 'notifications did not answer within 300 ms' });
  expect(gateway.status).toEqual({ code: StatusCode.ERROR, message: 'notifications did not answer within 300 ms' });
  expect(gateway.events.some((e) => e.name === 'exception')).toBe(true);
});

it('keeps the gateway healthy and the other routes answering', async () => {
  await expect(fetch(`${stack.gatewayUrl}/api/health-check`).then((r) => r.json())).resolves.toEqual({ success: true });
  expect((await fetch(`${stack.gatewayUrl}/api/activities/home`)).status).toBe(200);
  expect((await fetch(`${stack.services.gateway.url}/readyz`)).status).toBe(200);
});
