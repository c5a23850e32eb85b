/**
 * The preload as it would be with NodeSDK as the SDK, for the start-up and memory figures
 * that decide between the two (BENCHMARKS.md): the compile cache on first, as the project's
 * preload does, then NodeSDK with only the trace pipeline (OTEL_METRICS_EXPORTER and
 * OTEL_LOGS_EXPORTER set to none by the bench) and the same instrumentation: HTTP, for
 * incoming requests only. Bench-only: no service runs with it.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache?.();

/* eslint-disable @typescript-eslint/no-require-imports */
const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
/* eslint-enable @typescript-eslint/no-require-imports */

new NodeSDK({ instrumentations: [new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true })] }).start();
