import { callGraph, OUTSIDE, percentile, SpanKind, StatusCode, type FlatSpan } from '@cruddur/service-map';

let nextId = 0;
function span(service: string, kind: number, parent: FlatSpan | undefined, ms: number, extra: Partial<FlatSpan> = {}): FlatSpan {
  const start = 1_000_000_000n;
  return {
    traceId: parent?.traceId ?? `trace-${nextId}`,
    spanId: `span-${nextId++}`,
    parentSpanId: parent?.spanId,
    name: 'x',
    kind,
    service,
    scope: 'cruddur',
    resource: { 'service.name': service },
    attributes: {},
    status: { code: StatusCode.UNSET },
    events: [],
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(Math.round(ms * 1e6)),
    ...extra,
  };
}

/** One request: outside → gateway → (client) → activities → (client) → users. */
function request(gatewayMs: number, callMs: number, usersFails = false): FlatSpan[] {
  const gateway = span('gateway', SpanKind.SERVER, undefined, gatewayMs);
  const toActivities = span('gateway', SpanKind.CLIENT, gateway, callMs);
  const activities = span('activities', SpanKind.SERVER, toActivities, callMs - 1);
  const internal = span('activities', SpanKind.INTERNAL, activities, 1);
  const toUsers = span('activities', SpanKind.CLIENT, internal, 2);
  const users = span('users', SpanKind.SERVER, toUsers, 1, usersFails ? { attributes: { 'http.response.status_code': 500 } } : {});
  return [gateway, toActivities, activities, internal, toUsers, users];
}

describe('callGraph', () => {
  it("draws a database as a node of its own, each service's queries as one edge to it, failed queries counted", () => {
    const [gateway, toActivities, activities, internal] = request(10, 8);
    const query = (ms: number, fails = false) =>
      span('activities', SpanKind.CLIENT, internal, ms, {
        name: 'pg.query:SELECT cruddur',
        attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'cruddur', 'db.operation.name': 'SELECT' },
        status: { code: fails ? StatusCode.ERROR : StatusCode.UNSET },
      });
    const edges = callGraph([gateway!, toActivities!, activities!, internal!, query(2), query(4, true)]);
    expect(edges.map((e) => [e.caller, e.callee, e.requests, e.errors])).toEqual([
      ['activities', 'postgresql', 2, 1],
      [OUTSIDE, 'gateway', 1, 0],
      ['gateway', 'activities', 1, 0],
    ]);
    expect(edges[0]!.p99Ms).toBe(4);
  });

  it('draws one edge per caller → callee, from outside to the leaves', () => {
    const edges = callGraph([...request(10, 8), ...request(20, 16)]);
    expect(edges.map((e) => [e.caller, e.callee, e.requests])).toEqual([
      ['activities', 'users', 2],
      [OUTSIDE, 'gateway', 2],
      ['gateway', 'activities', 2],
    ]);
  });

  it("measures a call by the caller's CLIENT span and an outside call by the SERVER span", () => {
    const edges = callGraph(request(10, 8));
    expect(edges.find((e) => e.callee === 'activities')?.p50Ms).toBe(8);
    expect(edges.find((e) => e.caller === OUTSIDE)?.p50Ms).toBe(10);
  });

  it('counts a call as failed when either side says so, and computes the rate', () => {
    const edges = callGraph([...request(10, 8, true), ...request(10, 8), ...request(10, 8), ...request(10, 8)]);
    const toUsers = edges.find((e) => e.callee === 'users')!;
    expect(toUsers).toMatchObject({ requests: 4, errors: 1, errorRate: 0.25 });
    expect(edges.find((e) => e.callee === 'activities')!.errors).toBe(0);
  });

  it('counts a call from a sampled trace as the calls its SampleRate stands for', () => {
    const sampled = (rate: number, usersFails = false, ms = 8) =>
      request(10, ms, usersFails).map((s) => ({ ...s, attributes: { ...s.attributes, SampleRate: rate } }));
    // A kept error (rate 1) among kept ordinary traces (rate 10): 21 calls, 1 failed.
    const edges = callGraph([...sampled(10), ...sampled(10, false, 30), ...sampled(1, true)]);
    const toActivities = edges.find((e) => e.callee === 'activities')!;
    expect(toActivities).toMatchObject({ requests: 21, errors: 0 });
    expect(edges.find((e) => e.callee === 'users')).toMatchObject({ requests: 21, errors: 1, errorRate: 1 / 21 });
    // The percentiles too: 10 calls of 8 ms and 10 of 30 ms stand against the one error's 8 ms.
    expect(toActivities).toMatchObject({ p50Ms: 8, p99Ms: 30 });
  });

  it('ignores calls within one service and spans whose parents are not SERVER/CLIENT pairs', () => {
    const gateway = span('gateway', SpanKind.SERVER, undefined, 5);
    const internal = span('gateway', SpanKind.INTERNAL, gateway, 1);
    const sameService = span('gateway', SpanKind.SERVER, span('gateway', SpanKind.CLIENT, internal, 1), 1);
    expect(callGraph([gateway, internal, sameService]).map((e) => `${e.caller}->${e.callee}`)).toEqual([`${OUTSIDE}->gateway`]);
  });
});

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it('takes the value at the rank', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
  });
  it('is 0 for no samples', () => {
    expect(percentile([], 50)).toBe(0);
  });
});
