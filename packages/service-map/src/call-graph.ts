import { SpanKind, StatusCode, type FlatSpan } from './otlp-json';

/** Where requests come from when no traced caller made them (browsers, k6, curl). */
export const OUTSIDE = 'clients';

export interface CallEdge {
  caller: string;
  callee: string;
  /** Calls, each counted as the calls it stands for (its SampleRate, when a sampler kept it). */
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
}

const durationMs = (span: FlatSpan) => Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;

const failed = (span: FlatSpan) =>
  span.status.code === StatusCode.ERROR || Number(span.attributes['http.response.status_code'] ?? 0) >= 500;

/**
 * How many calls a span stands for: its SampleRate (set by the tail samplers: 10 for a trace
 * kept at 10 %), 1 when it has none.
 */
export function sampleRateOf(span: FlatSpan): number {
  const rate = Number(span.attributes.SampleRate);
  return Number.isFinite(rate) && rate >= 1 ? rate : 1;
}

/** Nearest-rank percentile of values each standing for `weight` samples (ascending by value). */
function weightedPercentile(sorted: Array<{ value: number; weight: number }>, p: number): number {
  const total = sorted.reduce((sum, s) => sum + s.weight, 0);
  let seen = 0;
  for (const { value, weight } of sorted) {
    seen += weight;
    if (seen >= (p / 100) * total) return value;
  }
  return sorted.at(-1)?.value ?? 0;
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Call {
  caller: string;
  callee: string;
  /** The callee's SERVER span; for a database, which makes none, the caller's query span. */
  server: FlatSpan;
  /** The caller's CLIENT span; undefined for a call from outside. */
  client: FlatSpan | undefined;
  /** For a query: the database system (`postgresql`), which is the callee's name too. */
  database?: string;
}

/**
 * Every call between services: a SERVER span whose parent is a CLIENT span of another
 * service. A SERVER span with no traced parent is a call from outside. A database query (a
 * CLIENT span with `db.system.name`, the stable database conventions) is a call to a node
 * named after the system, as Jaeger and Honeycomb draw it: `activities → postgresql`.
 */
export function resolveCalls(spans: Iterable<FlatSpan>): Call[] {
  const byId = new Map<string, FlatSpan>();
  const servers: FlatSpan[] = [];
  const queries: Call[] = [];
  for (const span of spans) {
    byId.set(`${span.traceId}/${span.spanId}`, span);
    if (span.kind === SpanKind.SERVER) servers.push(span);
    const system = span.attributes['db.system.name'];
    if (span.kind === SpanKind.CLIENT && typeof system === 'string' && system !== '') {
      queries.push({ caller: span.service, callee: system, server: span, client: span, database: system });
    }
  }
  return [
    ...servers.flatMap((server): Call[] => {
      const parent = server.parentSpanId ? byId.get(`${server.traceId}/${server.parentSpanId}`) : undefined;
      if (!parent) return [{ caller: OUTSIDE, callee: server.service, server, client: undefined }];
      if (parent.kind === SpanKind.CLIENT && parent.service !== server.service) {
        return [{ caller: parent.service, callee: server.service, server, client: parent }];
      }
      return [];
    }),
    ...queries,
  ];
}

/**
 * The call graph as a service map draws it, one edge per caller → callee. A call's
 * latency is the caller's (its CLIENT span: what the caller waited); it failed if either
 * side says so. A call from a sampled trace counts as many as its SampleRate says, in the
 * requests, the errors and the percentiles alike, so sampled traces give true figures.
 */
export function callGraph(spans: Iterable<FlatSpan>): CallEdge[] {
  const edges = new Map<string, { caller: string; callee: string; samples: Array<{ value: number; weight: number }>; errors: number }>();
  for (const { caller, callee, server, client } of resolveCalls(spans)) {
    const measured = client ?? server;
    const key = `${caller}\u0000${callee}`;
    const edge = edges.get(key) ?? { caller, callee, samples: [], errors: 0 };
    const weight = sampleRateOf(server);
    edge.samples.push({ value: durationMs(measured), weight });
    if (failed(server) || failed(measured)) edge.errors += weight;
    edges.set(key, edge);
  }

  return [...edges.values()]
    .map(({ caller, callee, samples, errors }) => {
      const sorted = samples.sort((a, b) => a.value - b.value);
      const requests = sorted.reduce((sum, s) => sum + s.weight, 0);
      return {
        caller,
        callee,
        requests,
        errors,
        errorRate: errors / requests,
        p50Ms: weightedPercentile(sorted, 50),
        p99Ms: weightedPercentile(sorted, 99),
      };
    })
    .sort((a, b) => a.caller.localeCompare(b.caller) || a.callee.localeCompare(b.callee));
}
