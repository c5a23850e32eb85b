import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, StackContextManager, TracerProvider } from '@opentelemetry/sdk-trace';
import { BROWSER_SERVICE_NAME, type BrowserConfig } from '../../src/browser-config';
import { browserInstrumentations } from './instrumentations';
import { browserSampler } from './sampler';

/**
 * Starts the browser's tracing: spans of service frontend-web, sampled parent-based at the
 * configured ratio, batched and sent as OTLP/JSON to this origin's relay (never to a vendor:
 * the browser holds no key), W3C trace context on the fetches to the gateway. Batches stay
 * small (64 spans) so each export fits the browser's 64 KiB keepalive budget and the relay's
 * body limit, and the queue is flushed when the page is hidden or closed.
 */
export function startTracing(config: BrowserConfig): void {
  const tracesUrl = new URL(config.tracesUrl, location.origin).href;
  const exporter = new OTLPTraceExporter({ url: tracesUrl });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': BROWSER_SERVICE_NAME,
      'service.namespace': 'cruddur',
      'service.version': config.serviceVersion,
    }),
    sampler: browserSampler(config.sampleRatio),
    spanProcessors: [new BatchSpanProcessor({ exporter, maxExportBatchSize: 64, scheduledDelayMillis: 1000 })],
  });
  context.setGlobalContextManager(new StackContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: browserInstrumentations({ gatewayOrigin: new URL(config.gatewayUrl).origin, tracesUrl }),
  });
}
