/** The span counts `GET /telemetryz` shows and the bench and the cluster checks read. */
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

/**
 * What the app needs from the telemetry the preload started: whether to make the HTTP
 * spans itself, the span counts, and the flush at the end of a graceful stop.
 */
export interface RunningTelemetry {
  /**
   * True when the HTTP spans are service-kit's own: serve() makes each request's SERVER span
   * (http/server-span.ts) and the upstream client each call's CLIENT span
   * (http/client-span.ts). False when the user enabled the stock HTTP instrumentation
   * (OTEL_NODE_ENABLED_INSTRUMENTATIONS naming `http`), which then makes them.
   */
  readonly nativeHttpSpans: boolean;
  stats(): Promise<TelemetryStats>;
  /** Exports what is queued, then stops the SDK. Safe to call more than once. */
  shutdown(): Promise<void>;
}

// Module state, not a global: `--require @cruddur/service-kit/register` and the app's
// `require('@cruddur/service-kit')` resolve to the same files (one workspace, one install in
// the image), so the preload and the app share this module. Another SDK's preload (the
// bench's stock setup) never sets it, and service-kit then makes no HTTP spans.
let running: RunningTelemetry | undefined;

/** Called once by the preload, when the SDK has started. */
export function setRunningTelemetry(telemetry: RunningTelemetry | undefined): void {
  running = telemetry;
}

/** The telemetry the preload started, or undefined when the process runs without it. */
export function runningTelemetry(): RunningTelemetry | undefined {
  return running;
}
