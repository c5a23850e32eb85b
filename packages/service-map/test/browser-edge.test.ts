import { callGraph, OUTSIDE, SpanKind, StatusCode, type FlatSpan } from '@cruddur/service-map';

let nextId = 0;
function span(service: string, kind: number, parent: FlatSpan | undefined, startMs: number, endMs: number, extra: Partial<FlatSpan> = {}): FlatSpan {
  return {
    traceId: parent?.traceId ?? `browser-trace-${nextId}`,
    spanId: `browser-span-${nextId++}`,
    parentSpanId: parent?.spanId,
    name: 'x',
    kind,
    service,
    scope: 'cruddur',
    resource: { 'service.name': service },
    attributes: {},
    status: { code: StatusCode.UNSET },
    events: [],
    startTimeUnixNano: BigInt(startMs * 1e6),
    endTimeUnixNano: BigInt(endMs * 1e6),
    ...extra,
  };
}

/**
 * One click as the frontend traces it: the app's action span (INTERNAL, the root), the fetch
 * instrumentation's CLIENT span under it, then the gateway's SERVER span and its call on.
 */
function click(fetchMs: number, gatewayMs: number, status = 200): FlatSpan[] {
  const action = span('frontend-web', SpanKind.INTERNAL, undefined, 0, fetchMs + 1, { name: 'homeActivities' });
  const fetchSpan = span('frontend-web', SpanKind.CLIENT, action, 1, 1 + fetchMs, {
    name: 'GET',
    scope: '@opentelemetry/instrumentation-fetch',
    attributes: { 'http.response.status_code': status },
    ...(status >= 400 ? { status: { code: StatusCode.ERROR } } : {}),
  });
  const gateway = span('gateway', SpanKind.SERVER, fetchSpan, 5, 5 + gatewayMs, { attributes: { 'http.response.status_code': status } });
  const toActivities = span('gateway', SpanKind.CLIENT, gateway, 6, 4 + gatewayMs);
  const activities = span('activities', SpanKind.SERVER, toActivities, 7, 3 + gatewayMs);
  return [action, fetchSpan, gateway, toActivities, activities];
}

/** The page's load: documentLoad (a root INTERNAL span) with its fetch spans, none of them calls to a service. */
function pageLoad(): FlatSpan[] {
  const load = span('frontend-web', SpanKind.INTERNAL, undefined, 0, 300, { name: 'documentLoad' });
  return [load, span('frontend-web', SpanKind.INTERNAL, load, 0, 40, { name: 'documentFetch' }), span('frontend-web', SpanKind.INTERNAL, load, 50, 90, { name: 'resourceFetch' })];
}

describe('the browser in the call graph', () => {
  it("draws frontend-web → gateway, measured by the browser's fetch span (network included), and the calls on from the gateway", () => {
    const edges = callGraph([...click(30, 10), ...click(50, 20), ...pageLoad()]);
    expect(edges.map((e) => [e.caller, e.callee, e.requests])).toEqual([
      ['frontend-web', 'gateway', 2],
      ['gateway', 'activities', 2],
    ]);
    expect(edges[0]!.p50Ms).toBe(30);
    expect(edges[0]!.p99Ms).toBe(50);
  });

  it('does not count the browser as called from outside: its spans are roots, not SERVER spans', () => {
    const edges = callGraph([...click(30, 10), ...pageLoad()]);
    expect(edges.filter((e) => e.caller === OUTSIDE)).toEqual([]);
  });

  it('counts a call the gateway failed as an error on the browser’s edge', () => {
    const edge = callGraph([...click(30, 10, 502), ...click(30, 10)]).find((e) => e.caller === 'frontend-web')!;
    expect(edge).toMatchObject({ requests: 2, errors: 1, errorRate: 0.5 });
  });
});
