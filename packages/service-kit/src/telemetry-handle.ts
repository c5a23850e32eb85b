/**
 * The bridge between the telemetry preload and the app. The preload is loaded by
 * `--require` before the app and may even be a different copy of this package, so it
 * leaves its handle on a global symbol instead of in module state.
 */
export interface TelemetryStats {
  /** Sampled spans that ended in this process. */
  spansEnded: number;
  /** Spans the exporter delivered. */
  spansExported: number;
  /** Spans the batch processor dropped because its queue was full. */
  spansDropped: number;
  /** Spans in batches that failed to export (collector down, timeouts). */
  spansFailed: number;
  /** Spans waiting in the batch processor's queue. */
  queued: number;
}

export interface TelemetryHandle {
  /** Export what is queued, then stop the SDK. Safe to call more than once. */
  shutdown(): Promise<void>;
  stats(): Promise<TelemetryStats>;
  /**
   * True when the preload leaves the HTTP spans to service-kit: serve() makes each request's
   * SERVER span (server-span.ts) and the upstream client each call's CLIENT span
   * (client-span.ts), as nothing patches http. Under another SDK's preload (no handle), that
   * SDK's own HTTP instrumentation makes them, and service-kit adds none.
   */
  readonly httpSpans: boolean;
}

const KEY = Symbol.for('cruddur.telemetry');

type WithHandle = typeof globalThis & { [KEY]?: TelemetryHandle };

export function setTelemetryHandle(handle: TelemetryHandle): void {
  (globalThis as WithHandle)[KEY] = handle;
}

/** The preload's handle, or undefined when the process runs without telemetry. */
export function telemetryHandle(): TelemetryHandle | undefined {
  return (globalThis as WithHandle)[KEY];
}
