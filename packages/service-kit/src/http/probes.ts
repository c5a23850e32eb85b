/**
 * The paths every service answers for its orchestrator: liveness, readiness and the span
 * counts. Probes hit them every few seconds, so they are never traced: a trace each would
 * drown the real traffic. service-kit's SERVER spans skip them (server-span.ts), and so does
 * the stock HTTP instrumentation when a user enables it (telemetry/instrumentations.ts).
 */
export const PROBE_PATHS = { live: '/healthz', ready: '/readyz', telemetry: '/telemetryz' } as const;

const PATHS: ReadonlySet<string> = new Set(Object.values(PROBE_PATHS));

/** Whether a request target (path and query, as the request line has it) is one of the probes. */
export function isProbe(url: string): boolean {
  const query = url.indexOf('?');
  return PATHS.has(query === -1 ? url : url.slice(0, query));
}
