/**
 * Each query's span stays in its own request's trace when requests queue for a connection:
 * the activities service with a pool of one connection, many home feeds at once. A pool that
 * hands a waiting query the connection another request released, inside that request's
 * callback, would put the query's span in the other request's trace (store-kit awaits the
 * connection instead, so the context is the query's own).
 */
import { callApi, childrenOf, SpanKind, spansOfTrace, startTracedStack, type OtlpReceiver, type Stack } from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';

let receiver: OtlpReceiver;
let stack: Stack;
let stopAll: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ receiver, stack, stop: stopAll } = await startTracedStack({ serviceEnv: { activities: { PG_POOL_MAX: '1' } } }));
}, 60_000);

afterAll(() => stopAll?.());

test('30 home feeds at once through a pool of one: each trace has exactly its own query, under its own activities.home', async () => {
  const traceIds = Array.from({ length: 30 }, () => randomBytes(16).toString('hex'));
  const answers = await Promise.all(
    traceIds.map((traceId) => callApi(`${stack.gatewayUrl}/api/activities/home`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } })),
  );
  expect(answers.map((a) => a.status)).toEqual(traceIds.map(() => 200));
  const complete = (traceId: string) => {
    const trace = spansOfTrace(receiver.spans, traceId);
    return trace.some((s) => s.name === 'activities.home') && trace.some((s) => s.name === 'users.lookup') && trace.filter((s) => s.kind === SpanKind.CLIENT && s.attributes['db.system.name']).length >= 2;
  };
  await receiver.waitForSpans(() => traceIds.every(complete));
  // A moment for any further query span, so that one in the wrong place would be counted below.
  await new Promise((r) => setTimeout(r, 300));
  for (const traceId of traceIds) {
    const trace = spansOfTrace(receiver.spans, traceId);
    const home = trace.find((s) => s.name === 'activities.home')!;
    const queries = trace.filter((s) => s.service === 'activities' && s.attributes['db.system.name'] === 'postgresql');
    expect({ traceId, queries: queries.length, underHome: childrenOf(trace, home).filter((s) => s.attributes['db.system.name']).length }).toEqual({ traceId, queries: 1, underHome: 1 });
  }
}, 30_000);
