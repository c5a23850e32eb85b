import { context, diag, DiagLogLevel, propagation, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type * as OtlpJson from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, processDetector, resourceFromAttributes, serviceInstanceIdDetector } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { LevelWithSilent } from 'pino';
import { BaggageAttributesProcessor } from './baggage-attributes';
import { hostDetectorWithoutId } from './host-detector';
import { createLogger } from './logger';
import { OtlpProtoSpanExporter } from './otlp-span-exporter';
import { serviceIdentity } from './service-identity';
import { setTelemetryHandle, type TelemetryStats } from './telemetry-handle';
import { loadTelemetryConfig, type TelemetryConfig } from './telemetry-config';

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

function createExporter(config: TelemetryConfig): SpanExporter {
  const protocol = config.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? config.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol === 'http/json') {
    // Loaded only when asked for: protobuf is the default and the cheaper encoding.
    const json = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpJson;
    return new json.OTLPTraceExporter();
  }
  return new OtlpProtoSpanExporter();
}

/** The one way spans leave the process: batched, OTLP/HTTP, counted by the SDK's self-observability metrics. */
function createBatchProcessor(config: TelemetryConfig, selfObservability: MeterProvider): SpanProcessor {
  return new BatchSpanProcessor({
    exporter: createExporter(config),
    maxQueueSize: config.OTEL_BSP_MAX_QUEUE_SIZE,
    maxExportBatchSize: config.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
    scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
    exportTimeoutMillis: config.OTEL_BSP_EXPORT_TIMEOUT,
    selfObsMeterProvider: selfObservability,
  });
}

function createSampler({ OTEL_TRACES_SAMPLER: name, OTEL_TRACES_SAMPLER_ARG: ratio }: TelemetryConfig): Sampler {
  const root = name.endsWith('always_on') ? new AlwaysOnSampler() : name.endsWith('always_off') ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(ratio);
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/** OTEL_LOG_LEVEL as the SDK's diagnostic level and as the level of the logger that prints it. */
const DIAG_LEVELS: Record<TelemetryConfig['OTEL_LOG_LEVEL'], [DiagLogLevel, LevelWithSilent]> = {
  none: [DiagLogLevel.NONE, 'silent'],
  error: [DiagLogLevel.ERROR, 'error'],
  warn: [DiagLogLevel.WARN, 'warn'],
  info: [DiagLogLevel.INFO, 'info'],
  debug: [DiagLogLevel.DEBUG, 'debug'],
  verbose: [DiagLogLevel.VERBOSE, 'trace'],
  all: [DiagLogLevel.ALL, 'trace'],
};

/**
 * Starts tracing for this process: OTLP/HTTP export through one batch processor, W3C
 * tracecontext + baggage, and no instrumentation patching anything. The HTTP spans are
 * service-kit's own, made where it creates its servers and its one upstream client, each
 * measured cheaper than the stock instrumentation it replaces (BENCHMARKS.md, "What each
 * lever did"): SERVER spans named after the route the router matched (server-span.ts), and
 * CLIENT spans that carry the context to the next service (client-span.ts). The handle
 * set here tells the app to make them.
 *
 * Composed from the trace SDK rather than NodeSDK: NodeSDK's entry point loads every
 * exporter it could use (gRPC, Zipkin, Prometheus, logs, metrics), which costs each
 * service 19-89 ms of start-up and 9-11 MB of memory for code that never runs
 * (BENCHMARKS.md). The OTEL_* variables the preload reads are validated in telemetry-config.ts.
 */
export function startTelemetry(): void {
  const identity = serviceIdentity();
  let config: TelemetryConfig;
  try {
    config = loadTelemetryConfig();
  } catch (error) {
    // A preload cannot hand an error to anyone: say what is wrong and stop, as the app does.
    process.stderr.write(`${identity.name}: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (config.OTEL_SDK_DISABLED === 'true') return;

  // The SDK's own diagnostics (export failures, drops) as JSON log lines like the app's.
  const [diagLevel, logLevel] = DIAG_LEVELS[config.OTEL_LOG_LEVEL];
  const log = createLogger(identity.name, logLevel);
  diag.setLogger(
    {
      error: (message, ...args) => log.error({ args }, message),
      warn: (message, ...args) => log.warn({ args }, message),
      info: (message, ...args) => log.info({ args }, message),
      debug: (message, ...args) => log.debug({ args }, message),
      verbose: (message, ...args) => log.trace({ args }, message),
    },
    diagLevel,
  );

  const counter = new EndedSpanCounter();
  const reader = new OnDemandReader();
  const selfObservability = new MeterProvider({ readers: [reader] });
  const identityAttributes: Attributes = {
    'service.name': identity.name,
    'service.namespace': 'cruddur',
    'service.version': identity.version,
  };
  const resource = resourceFromAttributes(identityAttributes).merge(
    detectResources({ detectors: [envDetector, hostDetectorWithoutId, processDetector, serviceInstanceIdDetector] }),
  );

  const provider = new TracerProvider({
    resource,
    sampler: createSampler(config),
    spanLimits: { attributeValueLengthLimit: config.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT },
    spanProcessors: [new BaggageAttributesProcessor(), counter, ...(config.OTEL_TRACES_EXPORTER === 'otlp' ? [createBatchProcessor(config, selfObservability)] : [])],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);
  let stopped: Promise<void> | undefined;
  setTelemetryHandle({
    httpSpans: true,
    shutdown: () => (stopped ??= provider.shutdown().then(() => selfObservability.shutdown())),
    stats: async () => {
      const { resourceMetrics } = await reader.collect();
      return readProcessorStats(resourceMetrics, counter.ended);
    },
  });
}
