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
   * True when the preload leaves outgoing calls to the upstream client, which then makes
   * their CLIENT spans itself (client-span.ts): its HTTP instrumentation does not patch
   * http.request. Under another SDK's preload (no handle), that SDK's own HTTP
   * instrumentation makes them, and the upstream client adds none.
   */
  readonly clientSpans: boolean;
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
