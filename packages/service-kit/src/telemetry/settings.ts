import { z } from 'zod';
import { ConfigError, loadConfig } from '../config';
import { BUNDLED_INSTRUMENTATIONS } from './instrumentations';
import { RESOURCE_DETECTOR_NAMES } from './resource-detectors';

/** A positive whole number, with the project's default. */
const count = (fallback: number) => z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').positive('must be positive').default(fallback);

/** `a, b or c`, for a message that lists what a variable accepts. */
const either = (values: readonly string[]) => `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;

/**
 * A comma-separated list, as the SDK reads OTEL_PROPAGATORS and its like (blanks around the
 * commas ignored), of the given names only: an unknown name stops start-up, naming it and what
 * the variable accepts, where the SDK would skip it with a log line.
 */
function listOf<const T extends string>(accepted: readonly T[]) {
  return z
    .string()
    .transform((text) => text.split(',').map((item) => item.trim()).filter((item) => item !== ''))
    .superRefine((items, ctx) => {
      const unknown = items.filter((item) => !accepted.includes(item as T));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ${either(accepted)} (${unknown.map((u) => `"${u}"`).join(', ')} is not)` });
      else if (items.length === 0) ctx.addIssue({ code: 'custom', message: `must name at least one of ${either(accepted)}` });
    })
    .transform((items) => [...new Set(items)] as T[]);
}

/** The OTLP protocols NodeSDK's trace exporters speak. */
const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;

/**
 * The OTEL_* variables the preload reads, validated before NodeSDK sees them: a bad value
 * stops start-up naming the variable and what it accepts, where the SDK would fall back to a
 * default with a log line, so that a typo silently becomes a default. Each accepts what
 * NodeSDK 0.301 and auto-instrumentations-node 0.82 accept. The OTLP exporters read the
 * endpoint, headers, timeout and compression variables on their own, and the env resource
 * detector OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
 *
 * Where the project's default differs from the SDK's, the reason is given: the batch
 * processor's queue is larger (the SDK's 2048 drops spans under a burst of a few hundred
 * requests a second, silently) and its delay shorter, so spans reach the collector within
 * a second and a SIGTERM has little left to flush; metrics and logs are not exported (the
 * collector's pipelines take traces); the resource detectors that ask cloud metadata
 * addresses off the machine run only when named.
 */
export const telemetrySettings = z.object({
  OTEL_SDK_DISABLED: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  /** `none` records and counts spans but sends them nowhere; `console` prints each span as it ends. */
  OTEL_TRACES_EXPORTER: listOf(['otlp', 'console', 'none']).default(['otlp']),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(PROTOCOLS, { error: `must be ${either(PROTOCOLS)}` }).default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(PROTOCOLS, { error: `must be ${either(PROTOCOLS)}` }).optional(),
  /** NodeSDK's own default is otlp; nothing here reads metrics, and the collector takes traces only. */
  OTEL_METRICS_EXPORTER: listOf(['otlp', 'prometheus', 'console', 'none']).default(['none']),
  /** NodeSDK's own default is otlp; the logs go to stdout as JSON lines, carrying the trace ids. */
  OTEL_LOGS_EXPORTER: listOf(['otlp', 'console', 'none']).default(['none']),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'], {
      error: 'must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio',
    })
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number({ error: 'must be a ratio from 0 to 1' }).min(0, 'must be a ratio from 0 to 1').max(1, 'must be a ratio from 0 to 1').default(1),
  /** The default is NodeSDK's: W3C trace context and baggage (`app.traffic` rides on baggage). */
  OTEL_PROPAGATORS: listOf(['tracecontext', 'baggage', 'b3', 'b3multi', 'none']).default(['tracecontext', 'baggage']),
  OTEL_LOG_LEVEL: z
    .enum(['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'], { error: 'must be none, error, warn, info, debug, verbose or all' })
    .default('warn'),
  /** Every string attribute is cut to this length: several come from client input. */
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: count(1024),
  OTEL_BSP_MAX_QUEUE_SIZE: count(8192),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: count(512),
  OTEL_BSP_SCHEDULE_DELAY: count(1000),
  OTEL_BSP_EXPORT_TIMEOUT: count(10000),
  /** The cloud detectors (alibaba, aws, azure, gcp) ask metadata addresses: only when named here. */
  OTEL_NODE_RESOURCE_DETECTORS: listOf(RESOURCE_DETECTOR_NAMES).default(['env', 'host', 'os', 'process', 'serviceinstance', 'container']),
  /** When set, exactly these instrumentations (the bundle's semantics); unset, the default set (instrumentations.ts). */
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: listOf(BUNDLED_INSTRUMENTATIONS).optional(),
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: listOf(BUNDLED_INSTRUMENTATIONS).default([]),
});

export type TelemetrySettings = z.infer<typeof telemetrySettings>;

/** The checks that span variables; each problem names the variables it is about. */
function crossChecks(settings: TelemetrySettings): string[] {
  const problems: string[] = [];
  if (settings.OTEL_BSP_MAX_EXPORT_BATCH_SIZE > settings.OTEL_BSP_MAX_QUEUE_SIZE) {
    problems.push('OTEL_BSP_MAX_EXPORT_BATCH_SIZE: must not exceed OTEL_BSP_MAX_QUEUE_SIZE');
  }
  for (const name of ['OTEL_TRACES_EXPORTER', 'OTEL_METRICS_EXPORTER', 'OTEL_LOGS_EXPORTER', 'OTEL_PROPAGATORS'] as const) {
    const list: readonly string[] = settings[name];
    if (list.includes('none') && list.length > 1) problems.push(`${name}: none cannot be listed with anything else`);
  }
  const detectors: readonly string[] = settings.OTEL_NODE_RESOURCE_DETECTORS;
  if ((detectors.includes('none') || detectors.includes('all')) && detectors.length > 1) {
    problems.push('OTEL_NODE_RESOURCE_DETECTORS: all and none cannot be listed with anything else');
  }
  return problems;
}

/** The validated settings from `env`; throws one ConfigError naming every bad variable. */
export function loadTelemetrySettings(env: Record<string, string | undefined> = process.env): TelemetrySettings {
  const settings = loadConfig(telemetrySettings, env);
  const problems = crossChecks(settings);
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}
