import { z } from 'zod';
import { loadConfig } from './config';

const count = (fallback: number) => z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').positive('must be positive').default(fallback);

/**
 * The OTEL_* variables the preload reads itself, validated: a bad value stops start-up
 * naming the variable (the SDK's own parsing would fall back to a default with a log line).
 * The OTLP exporter reads the endpoint, headers, timeout and compression variables on its
 * own; the resource detector reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
 *
 * Batch defaults differ from the SDK's on purpose: a larger queue (the SDK's 2048 drops
 * spans under a burst of a few hundred requests a second, silently) and a shorter delay,
 * so spans reach the collector within a second and a SIGTERM has little left to flush.
 */
export const telemetryConfig = z.object({
  OTEL_SDK_DISABLED: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  /** `none` records and counts spans but sends them nowhere: what making spans costs without their export. */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none'], { error: 'must be otlp or none (no other exporter is built in)' }).default('otlp'),
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json (gRPC is not used here)' })
    .default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z
    .enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json (gRPC is not used here)' })
    .optional(),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'], {
      error: 'must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio',
    })
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number({ error: 'must be a ratio from 0 to 1' }).min(0, 'must be a ratio from 0 to 1').max(1, 'must be a ratio from 0 to 1').default(1),
  OTEL_LOG_LEVEL: z
    .enum(['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'], { error: 'must be none, error, warn, info, debug, verbose or all' })
    .default('warn'),
  /** Every string attribute is cut to this length: several come from client input. */
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: count(1024),
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
