// OTEL_TRACES_EXPORTER=none: the services make and count their spans, and still carry the
// context from hop to hop, but send nothing.
import { startTracedStack, type OtlpReceiver, type Stack } from '@cruddur/testkit';

let receiver: OtlpReceiver;
let stack: Stack;
let stopAll: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ receiver, stack, stop: stopAll } = await startTracedStack({ env: { OTEL_TRACES_EXPORTER: 'none' } }));
}, 60_000);

afterAll(() => stopAll?.());

it('makes and counts spans but sends none, even when it stops', async () => {
  for (let i = 0; i < 5; i++) expect((await fetch(`${stack.gatewayUrl}/api/activities/home`)).status).toBe(200);
  const stats = (await (await fetch(`${stack.services.gateway.url}/telemetryz`)).json()) as { enabled: boolean; spansEnded: number; spansExported: number };
  // A SERVER and a CLIENT span for each request.
  expect(stats).toMatchObject({ enabled: true, spansExported: 0 });
  expect(stats.spansEnded).toBeGreaterThanOrEqual(10);

  const exits = await Promise.all(Object.values(stack.services).map((service) => service.stop('SIGTERM')));
  expect(exits.every((exit) => exit.code === 0)).toBe(true);
  expect(receiver.spans).toHaveLength(0);
});
