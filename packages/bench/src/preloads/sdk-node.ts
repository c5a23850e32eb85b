/**
 * The preload as it would be with NodeSDK as the SDK, for the start-up and memory figures
 * that decide between the two (BENCHMARKS.md): the compile cache on first, as the project's
 * preload does, then NodeSDK with only the trace pipeline (OTEL_METRICS_EXPORTER and
 * OTEL_LOGS_EXPORTER set to none by the bench) and, as in the project's preload, no
 * instrumentation: the HTTP spans are service-kit's own. Bench-only: no service runs with it.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache?.();

/* eslint-disable @typescript-eslint/no-require-imports */
const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
/* eslint-enable @typescript-eslint/no-require-imports */

new NodeSDK({ instrumentations: [] }).start();
