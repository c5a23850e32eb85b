import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { TelemetrySettings } from './settings';

/**
 * The OTLP exporter of the protocol the settings name; each reads its endpoint, headers,
 * timeout and compression from the OTEL_EXPORTER_OTLP_* variables itself. Protobuf is the
 * library's own encoding: service-kit's hand-written encoder, a third of its CPU per span,
 * lifted home's throughput ratio by nothing measurable in the stack and was removed
 * (BENCHMARKS.md, "Issue 21").
 */
function otlpExporter(protocol: TelemetrySettings['OTEL_EXPORTER_OTLP_PROTOCOL']): SpanExporter {
  switch (protocol) {
    case 'http/protobuf':
      return new OtlpProtobufExporter();
    case 'http/json':
      return new OtlpJsonExporter();
    case 'grpc':
      return new OtlpGrpcExporter();
    default: {
      const unhandled: never = protocol;
      throw new Error(`no OTLP exporter speaks ${String(unhandled)}`);
    }
  }
}

/**
 * The span processors that send spans somewhere, one per exporter OTEL_TRACES_EXPORTER names,
 * as NodeSDK would build them (a batch processor for OTLP, a simple one for the console),
 * with the project's batch defaults and each counted by the SDK's self-observability metrics
 * (span-counts.ts). `none`: no processor, the spans are made and counted but sent nowhere.
 * Built here rather than by NodeSDK because NodeSDK takes either its own exporters or a list
 * of processors, and the project's processors (baggage, counts) go in the same list.
 */
export function exportProcessors(settings: TelemetrySettings, selfObsMeterProvider: MeterProvider): SpanProcessor[] {
  return settings.OTEL_TRACES_EXPORTER.flatMap((name): SpanProcessor[] => {
    switch (name) {
      case 'otlp':
        return [
          new BatchSpanProcessor({
            exporter: otlpExporter(settings.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? settings.OTEL_EXPORTER_OTLP_PROTOCOL),
            maxQueueSize: settings.OTEL_BSP_MAX_QUEUE_SIZE,
            maxExportBatchSize: settings.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
            scheduledDelayMillis: settings.OTEL_BSP_SCHEDULE_DELAY,
            exportTimeoutMillis: settings.OTEL_BSP_EXPORT_TIMEOUT,
            selfObsMeterProvider,
          }),
        ];
      case 'console':
        return [new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter(), selfObsMeterProvider })];
      case 'none':
        return [];
      default: {
        const unhandled: never = name;
        throw new Error(`no span exporter is named ${String(unhandled)}`);
      }
    }
  });
}
