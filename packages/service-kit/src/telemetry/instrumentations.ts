import type * as Bundle from '@opentelemetry/auto-instrumentations-node';
import { isProbe } from '../http/probes';
import type { TelemetrySettings } from './settings';

/**
 * Every instrumentation auto-instrumentations-node 0.82.0 bundles, by the short name
 * OTEL_NODE_ENABLED_INSTRUMENTATIONS and OTEL_NODE_DISABLED_INSTRUMENTATIONS use (the package
 * name without `@opentelemetry/instrumentation-`). A unit test holds the list to the bundle's.
 */
export const BUNDLED_INSTRUMENTATIONS = [
  'amqplib', 'aws-lambda', 'aws-sdk', 'bunyan', 'cassandra-driver', 'connect', 'cucumber', 'dataloader', 'dns', 'express',
  'fs', 'generic-pool', 'graphql', 'grpc', 'hapi', 'host-metrics', 'http', 'ioredis', 'kafkajs', 'knex', 'koa',
  'lru-memoizer', 'memcached', 'mongodb', 'mongoose', 'mysql', 'mysql2', 'nestjs-core', 'net', 'openai', 'oracledb', 'pg',
  'pino', 'redis', 'restify', 'router', 'runtime-node', 'socket.io', 'tedious', 'undici', 'winston',
] as const; // prettier-ignore

export type InstrumentationName = (typeof BUNDLED_INSTRUMENTATIONS)[number];

/**
 * The instrumentations left off unless OTEL_NODE_ENABLED_INSTRUMENTATIONS names them, each
 * with its reason; every other one is on, so a library a user adds is traced with nothing
 * to configure.
 */
export const OFF_BY_DEFAULT: Readonly<Partial<Record<InstrumentationName, string>>> = {
  http: "service-kit makes the SERVER span where serve() creates the server and the CLIENT span where the upstream client calls, for less CPU (BENCHMARKS.md); enabled, it makes them instead and service-kit makes none",
  express: 'a span per middleware and handler; service-kit names the SERVER span after the route the router matched',
  router: "Express 5's router: a span per layer, as express",
  connect: 'middleware spans, as express',
  fs: 'a span per file operation (the bundle leaves it off too)',
  net: 'a span per socket, under every HTTP span',
  dns: 'a span per lookup, under every call by name',
  'host-metrics': 'metrics only (the bundle leaves it off too)',
};

/**
 * The instrumentations to enable, with the bundle's semantics: OTEL_NODE_ENABLED_INSTRUMENTATIONS,
 * when set, names exactly the ones on; unset, the default set is every bundled one but those
 * OFF_BY_DEFAULT. OTEL_NODE_DISABLED_INSTRUMENTATIONS then takes its names away.
 */
export function enabledInstrumentations(settings: Pick<TelemetrySettings, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS' | 'OTEL_NODE_DISABLED_INSTRUMENTATIONS'>): ReadonlySet<InstrumentationName> {
  const base = settings.OTEL_NODE_ENABLED_INSTRUMENTATIONS ?? BUNDLED_INSTRUMENTATIONS.filter((name) => OFF_BY_DEFAULT[name] === undefined);
  const disabled = new Set(settings.OTEL_NODE_DISABLED_INSTRUMENTATIONS);
  return new Set(base.filter((name) => !disabled.has(name)));
}

/**
 * The bundle's configuration: every instrumentation explicitly on or off, as
 * enabledInstrumentations decided (so the bundle's own reading of the variables cannot
 * disagree), and the options of the few whose defaults do not fit:
 * - pino: log correlation on (trace_id, span_id, trace_flags on each line), and log sending
 *   to the Logs SDK only when OTEL_LOGS_EXPORTER exports logs: otherwise every line would be
 *   parsed again for nothing;
 * - http, when a user enables it: the probes untraced, as service-kit's own spans leave them;
 * - pg: no bound values and no pool-connect spans, and db.operation.name on each query span.
 */
export function instrumentationConfigs(enabled: ReadonlySet<InstrumentationName>, settings: Pick<TelemetrySettings, 'OTEL_LOGS_EXPORTER'>): Bundle.InstrumentationConfigMap {
  const configs: Record<string, { enabled: boolean }> = {};
  for (const name of BUNDLED_INSTRUMENTATIONS) configs[`@opentelemetry/instrumentation-${name}`] = { enabled: enabled.has(name) };
  const logsExported = !settings.OTEL_LOGS_EXPORTER.includes('none');
  return {
    ...configs,
    '@opentelemetry/instrumentation-pino': { enabled: enabled.has('pino'), disableLogSending: !logsExported },
    '@opentelemetry/instrumentation-http': { enabled: enabled.has('http'), ignoreIncomingRequestHook: (request) => isProbe(request.url ?? '/') },
    '@opentelemetry/instrumentation-pg': {
      enabled: enabled.has('pg'),
      // Never the bound values: they are what users wrote. db.query.text keeps the $1 placeholders.
      enhancedDatabaseReporting: false,
      // No pg-pool.connect span before every query: it doubled the spans of each request for
      // a wait that is nothing while the pool has a free connection. A failure to connect
      // still shows, on the domain span, as the store_unavailable error it becomes.
      ignoreConnectSpans: true,
      requestHook: (span, { query }) => span.setAttribute('db.operation.name', operationName(query.text)),
    },
  };
}

/**
 * The operation a query's text starts with (SELECT, INSERT, WITH, …), as the pg
 * instrumentation names its span (`pg.query:<OPERATION> <database>`); it writes it only on its
 * duration metric, and the stable database conventions want it on the span too.
 */
export function operationName(text: string): string {
  const first = text.trimStart().split(/\s/, 1)[0] ?? '';
  return first.replace(/;$/, '').toUpperCase();
}

/**
 * The instrumentations, from auto-instrumentations-node's getNodeAutoInstrumentations. The
 * bundle is required here rather than imported at the top: its entry point loads every
 * instrumentation package it has, enabled or not (41 of them), and what reads only the names
 * above (settings.ts, its unit tests) should not pay for that.
 */
export function loadInstrumentations(configs: Bundle.InstrumentationConfigMap): ReturnType<typeof Bundle.getNodeAutoInstrumentations> {
  const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node') as typeof Bundle;
  return getNodeAutoInstrumentations(configs);
}
