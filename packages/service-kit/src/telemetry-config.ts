import { z } from 'zod';
import { loadConfig } from './config';

const count = (fallback: number) => z.coerce.number().int('must be a whole number').positive('must be positive').default(fallback);

/**
 * The OTEL_* variables the preload reads itself. The OTLP exporters read the endpoint,
 * headers and timeout variables on their own, as the specification says.
 *
 * Batch defaults differ from the SDK's on purpose: a larger queue (the SDK's 2048 drops
 * spans under a burst of a few hundred requests a second, silently) and a shorter delay,
 * so spans reach the collector within a second and a SIGTERM has little left to flush.
 */
export const telemetryConfig = z.object({
  OTEL_SDK_DISABLED: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json (gRPC is not used here)' })
    .default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z
    .enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json (gRPC is not used here)' })
    .optional(),
  OTEL_BSP_MAX_QUEUE_SIZE: count(8192),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: count(512),
  OTEL_BSP_SCHEDULE_DELAY: count(1000),
  OTEL_BSP_EXPORT_TIMEOUT: count(10000),
});

export type TelemetryConfig = z.infer<typeof telemetryConfig>;

export function loadTelemetryConfig(env: Record<string, string | undefined> = process.env): TelemetryConfig {
  const config = loadConfig(telemetryConfig, env);
  if (config.OTEL_BSP_MAX_EXPORT_BATCH_SIZE > config.OTEL_BSP_MAX_QUEUE_SIZE) {
    throw new Error('invalid configuration:\n  - OTEL_BSP_MAX_EXPORT_BATCH_SIZE: must not exceed OTEL_BSP_MAX_QUEUE_SIZE');
  }
  return config;
}
