import { DiagLogLevel, diag, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { envDetector, hostDetector, processDetector, resourceFromAttributes, serviceInstanceIdDetector } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { IncomingMessage } from 'node:http';
import { BaggageAttributesProcessor } from './baggage-attributes';
import { createLogger } from './logger';
import { serviceIdentity } from './service-identity';
import { markServerSpan } from './server-span';
import { setTelemetryHandle, type TelemetryStats } from './telemetry-handle';
import { loadTelemetryConfig, type TelemetryConfig } from './telemetry-config';

/** Probes hit these every few seconds; a trace each would drown the real traffic. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/telemetryz']);

/** Counts sampled spans as they end: the "created" side of span delivery. */
class EndedSpanCounter implements SpanProcessor {
  ended = 0;
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    if (span.spanContext().traceFlags & 1) this.ended++;
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A pull-only reader over the SDK's own self-observability metrics (spans processed, dropped, queued). */
class OnDemandReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function readProcessorStats(metrics: ResourceMetrics, ended: number): TelemetryStats {
  const stats: TelemetryStats = { spansEnded: ended, spansExported: 0, spansDropped: 0, spansFailed: 0, queued: 0 };
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      for (const point of metric.dataPoints) {
        const value = Number(point.value);
        if (metric.descriptor.name === 'otel.sdk.processor.span.queue.size') stats.queued += value;
        if (metric.descriptor.name !== 'otel.sdk.processor.span.processed') continue;
        const errorType = point.attributes['error.type'];
        if (errorType === undefined) stats.spansExported += value;
        else if (errorType === 'queue_full') stats.spansDropped += value;
        else stats.spansFailed += value;
      }
    }
  }
  return stats;
}

function createExporter(config: TelemetryConfig) {
  const protocol = config.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? config.OTEL_EXPORTER_OTLP_PROTOCOL;
  return protocol === 'http/json' ? new OTLPJsonTraceExporter() : new OTLPProtoTraceExporter();
}

/**
 * Starts the OpenTelemetry SDK for this process: OTLP/HTTP export through one batch
 * processor, W3C tracecontext + baggage (the SDK's default propagators), and only the two
 * instrumentations the services use. Express layers are not spans of their own (a span
 * per middleware costs more than it tells), but Express still names the route, so server
 * spans carry `http.route`.
 */
export function startTelemetry(): void {
  const identity = serviceIdentity();
  const log = createLogger(identity.name, 'warn');
  diag.setLogger(
    {
      error: (message, ...args) => log.error({ args }, message),
      warn: (message, ...args) => log.warn({ args }, message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );

  let config: TelemetryConfig;
  try {
    config = loadTelemetryConfig();
  } catch (error) {
    // A preload cannot return an error to anyone: say what is wrong and stop, as config.ts does for the app.
    process.stderr.write(`${identity.name}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  if (config.OTEL_SDK_DISABLED === 'true') return;

  const counter = new EndedSpanCounter();
  const reader = new OnDemandReader();
  const selfObservability = new MeterProvider({ readers: [reader] });
  const resourceAttributes: Attributes = {
    'service.name': identity.name,
    'service.namespace': 'cruddur',
    'service.version': identity.version,
  };

  const sdk = new NodeSDK({
    resource: resourceFromAttributes(resourceAttributes),
    resourceDetectors: [envDetector, hostDetector, processDetector, serviceInstanceIdDetector],
    spanProcessors: [
      new BaggageAttributesProcessor(),
      counter,
      new BatchSpanProcessor({
        exporter: createExporter(config),
        maxQueueSize: config.OTEL_BSP_MAX_QUEUE_SIZE,
        maxExportBatchSize: config.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
        exportTimeoutMillis: config.OTEL_BSP_EXPORT_TIMEOUT,
        selfObsMeterProvider: selfObservability,
      }),
    ],
    // Traces only: no metrics or logs pipelines (the SDK would otherwise start OTLP ones).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?', 1)[0] ?? ''),
        // Called for both directions; only an incoming request (no setHeader) has a SERVER span.
        requestHook: (span, req) => {
          if (!('setHeader' in req)) markServerSpan(req as IncomingMessage, span);
        },
      }),
      new ExpressInstrumentation({
        ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER, ExpressLayerType.REQUEST_HANDLER],
      }),
    ],
  });
  sdk.start();

  let stopped: Promise<void> | undefined;
  setTelemetryHandle({
    shutdown: () => (stopped ??= sdk.shutdown().then(() => selfObservability.shutdown())),
    stats: async () => {
      const { resourceMetrics } = await reader.collect();
      return readProcessorStats(resourceMetrics, counter.ended);
    },
  });
}
