import { TraceFlags, type Context } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { TelemetryStats } from './running';

/** Counts sampled spans as they end: the "created" side of span delivery. */
class EndedSpanCounter implements SpanProcessor {
  ended = 0;
  onStart(_span: Span, _parentContext: Context): void {}
  onEnd(span: ReadableSpan): void {
    if (span.spanContext().traceFlags & TraceFlags.SAMPLED) this.ended++;
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

/** The delivery counts from the export processors' self-observability metrics, with the spans ended. */
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

/**
 * What became of the spans this process ended: exported, dropped at the batch queue, or lost
 * in a failed export (`GET /telemetryz`, the bench's delivery figures, the cluster's restart
 * checks). The SDK's own self-observability metrics (`otel.sdk.processor.span.*`) count them;
 * they reach no exporter, only a meter provider of their own that this reads on demand.
 * The export processors take `meterProvider`; `endedSpans` goes in the provider's processors.
 */
export class SpanCounts {
  private readonly reader = new OnDemandReader();
  readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  readonly endedSpans: SpanProcessor = new EndedSpanCounter();

  async read(): Promise<TelemetryStats> {
    const { resourceMetrics } = await this.reader.collect();
    return readProcessorStats(resourceMetrics, (this.endedSpans as EndedSpanCounter).ended);
  }

  shutdown(): Promise<void> {
    return this.meterProvider.shutdown();
  }
}
