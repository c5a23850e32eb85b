import { SpanKind, type FlatSpan } from './otlp-json';

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

/**
 * Service-to-service edges in a trace, as a service map draws them: a CLIENT span in one
 * service whose child SERVER span is in another.
 */
export function callEdges(trace: FlatSpan[]): Array<{ caller: string; callee: string; client: FlatSpan; server: FlatSpan }> {
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  return trace.flatMap((server) => {
    const client = server.parentSpanId ? byId.get(server.parentSpanId) : undefined;
    return server.kind === SpanKind.SERVER && client?.kind === SpanKind.CLIENT && client.service !== server.service
      ? [{ caller: client.service, callee: server.service, client, server }]
      : [];
  });
}

/** The gateway's SERVER span for a request, found by route and method. */
export function serverSpan(trace: FlatSpan[], service: string): FlatSpan | undefined {
  return trace.find((s) => s.service === service && s.kind === SpanKind.SERVER);
}
