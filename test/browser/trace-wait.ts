import { childrenOf, rootsOf, SpanKind, spansOfTrace, waitFor, type FlatSpan, type RunningCollector } from '@cruddur/testkit';

/** The trace ID in a traceparent header, and whether its sampled flag is set. */
export function parseTraceparent(header: string | undefined): { traceId: string; sampled: boolean } {
  const match = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/.exec(header ?? '');
  if (!match) throw new Error(`not a W3C traceparent: ${header}`);
  return { traceId: match[1]!, sampled: (parseInt(match[2]!, 16) & 1) === 1 };
}

/**
 * One trace as the collector wrote it, once it holds a span of each of `services` and is one
 * tree (the browser exports about a second after its spans end, the services sooner).
 */
export async function completeTrace(collector: RunningCollector, traceId: string, services: string[]): Promise<FlatSpan[]> {
  let trace: FlatSpan[] = [];
  await waitFor(
    async () => {
      trace = spansOfTrace(await collector.readSpans(), traceId);
      const present = new Set(trace.map((s) => s.service));
      return services.every((s) => present.has(s)) && rootsOf(trace).length === 1;
    },
    { timeoutMs: 15_000, intervalMs: 200, what: `trace ${traceId} with spans of ${services.join(', ')}` },
  );
  return trace;
}

/** A span's duration in milliseconds. */
export const durationMs = (span: FlatSpan): number => Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;

/**
 * The spans of one call the app made, from its trace: the app's span named after the
 * operation, the fetch instrumentation's CLIENT span under it, the gateway's SERVER span under that.
 */
export function browserCall(trace: FlatSpan[], operation: string): { action: FlatSpan; fetchSpan: FlatSpan; gateway: FlatSpan } {
  const action = trace.find((s) => s.service === 'frontend-web' && s.name === operation);
  const fetchSpan = action && childrenOf(trace, action).find((s) => s.service === 'frontend-web' && s.kind === SpanKind.CLIENT);
  const gateway = fetchSpan && childrenOf(trace, fetchSpan).find((s) => s.service === 'gateway' && s.kind === SpanKind.SERVER);
  if (!action || !fetchSpan || !gateway) throw new Error(`no ${operation} span with a fetch span and the gateway's SERVER span under it in the trace`);
  return { action, fetchSpan, gateway };
}
