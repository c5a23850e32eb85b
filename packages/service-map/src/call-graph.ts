import { SpanKind, StatusCode, type FlatSpan } from './otlp-json';

/** Where requests come from when no traced caller made them (browsers, k6, curl). */
export const OUTSIDE = 'clients';

export interface CallEdge {
  caller: string;
  callee: string;
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
}

const durationMs = (span: FlatSpan) => Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;

const failed = (span: FlatSpan) =>
  span.status.code === StatusCode.ERROR || Number(span.attributes['http.response.status_code'] ?? 0) >= 500;

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Call {
  caller: string;
  callee: string;
  /** The callee's SERVER span. */
  server: FlatSpan;
  /** The caller's CLIENT span; undefined for a call from outside. */
  client: FlatSpan | undefined;
}

/**
 * Every call between services: a SERVER span whose parent is a CLIENT span of another
 * service. A SERVER span with no traced parent is a call from outside.
 */
export function resolveCalls(spans: Iterable<FlatSpan>): Call[] {
  const byId = new Map<string, FlatSpan>();
  const servers: FlatSpan[] = [];
  for (const span of spans) {
    byId.set(`${span.traceId}/${span.spanId}`, span);
    if (span.kind === SpanKind.SERVER) servers.push(span);
  }
  return servers.flatMap((server): Call[] => {
    const parent = server.parentSpanId ? byId.get(`${server.traceId}/${server.parentSpanId}`) : undefined;
    if (!parent) return [{ caller: OUTSIDE, callee: server.service, server, client: undefined }];
    if (parent.kind === SpanKind.CLIENT && parent.service !== server.service) {
      return [{ caller: parent.service, callee: server.service, server, client: parent }];
    }
    return [];
  });
}

/**
 * The call graph as a service map draws it, one edge per caller → callee. A call's
 * latency is the caller's (its CLIENT span: what the caller waited); it failed if either
 * side says so.
 */
export function callGraph(spans: Iterable<FlatSpan>): CallEdge[] {
  const edges = new Map<string, { caller: string; callee: string; durations: number[]; errors: number }>();
  for (const { caller, callee, server, client } of resolveCalls(spans)) {
    const measured = client ?? server;
    const key = `${caller}\u0000${callee}`;
    const edge = edges.get(key) ?? { caller, callee, durations: [], errors: 0 };
    edge.durations.push(durationMs(measured));
    if (failed(server) || failed(measured)) edge.errors++;
    edges.set(key, edge);
  }

  return [...edges.values()]
    .map(({ caller, callee, durations, errors }) => {
      const sorted = durations.sort((a, b) => a - b);
      return {
        caller,
        callee,
        requests: sorted.length,
        errors,
        errorRate: errors / sorted.length,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
      };
    })
    .sort((a, b) => a.caller.localeCompare(b.caller) || a.callee.localeCompare(b.callee));
}
