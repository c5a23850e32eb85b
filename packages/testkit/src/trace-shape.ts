import { resolveCalls, SpanKind, type Call, type FlatSpan } from '@cruddur/service-map';

export function spansOfTrace(spans: FlatSpan[], traceId: string): FlatSpan[] {
  return spans.filter((s) => s.traceId === traceId);
}

/** Spans whose parent is not in the set: a complete trace has exactly one (its root). */
export function rootsOf(trace: FlatSpan[]): FlatSpan[] {
  const ids = new Set(trace.map((s) => s.spanId));
  return trace.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
}

export function childrenOf(trace: FlatSpan[], parent: FlatSpan): FlatSpan[] {
  return trace.filter((s) => s.parentSpanId === parent.spanId);
}

/** Service-to-service calls within one trace (calls from outside and database queries left out). */
export function callEdges(trace: FlatSpan[]): Call[] {
  return resolveCalls(trace).filter((call) => call.client !== undefined && call.database === undefined);
}

/** The first SERVER span of `service` in a trace. */
export function serverSpan(trace: FlatSpan[], service: string): FlatSpan | undefined {
  return trace.find((s) => s.service === service && s.kind === SpanKind.SERVER);
}
