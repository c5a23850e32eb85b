import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { originPattern } from './origin-pattern';

/**
 * The page's load (documentLoad, documentFetch and a resourceFetch per file, from the
 * browser's navigation and resource timings) and every fetch as a CLIENT span. Trace headers
 * go to the gateway's origin only (and this origin, which the instrumentation always
 * includes): never to a third party. The span relay's own requests are never traced (the
 * exporter suppresses them; ignoreUrls says so twice).
 */
export function browserInstrumentations({ gatewayOrigin, tracesUrl }: { gatewayOrigin: string; /** Absolute. */ tracesUrl: string }): Instrumentation[] {
  return [
    new DocumentLoadInstrumentation(),
    new FetchInstrumentation({
      propagateTraceHeaderCorsUrls: [originPattern(gatewayOrigin)],
      ignoreUrls: [tracesUrl],
    }),
  ];
}
