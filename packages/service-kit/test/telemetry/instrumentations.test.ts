import type { Span } from '@opentelemetry/api';
import type { PgInstrumentationConfig } from '@opentelemetry/instrumentation-pg';
import type { IncomingMessage } from 'node:http';
import { BUNDLED_INSTRUMENTATIONS, enabledInstrumentations, instrumentationConfigs, loadInstrumentations, OFF_BY_DEFAULT, operationName, type InstrumentationName } from '../../src/telemetry/instrumentations';
import { loadTelemetrySettings } from '../../src/telemetry/settings';

const enabledBy = (env: Record<string, string>) => [...enabledInstrumentations(loadTelemetrySettings(env))].sort();
const DEFAULT_OFF = ['connect', 'dns', 'express', 'fs', 'host-metrics', 'http', 'net', 'router'];

describe('the instrumentations the preload enables', () => {
  it('names exactly the ones auto-instrumentations-node bundles', () => {
    // Every one constructed (and enabled, then disabled again): the bundle's own names.
    const all = loadInstrumentations(instrumentationConfigs(new Set(BUNDLED_INSTRUMENTATIONS), loadTelemetrySettings({})));
    try {
      expect(all.map((i) => i.instrumentationName.replace('@opentelemetry/instrumentation-', '')).sort()).toEqual([...BUNDLED_INSTRUMENTATIONS].sort());
    } finally {
      for (const instrumentation of all) instrumentation.disable();
    }
  });

  it('by default: every one but those service-kit makes natively (http, express, router, connect) and the noisy ones (fs, net, dns, host-metrics)', () => {
    expect(Object.keys(OFF_BY_DEFAULT).sort()).toEqual(DEFAULT_OFF);
    const enabled = enabledBy({});
    expect(enabled).toEqual(BUNDLED_INSTRUMENTATIONS.filter((name) => !DEFAULT_OFF.includes(name)).sort());
    // What a user adds is traced: Postgres, DynamoDB and the other AWS clients, Redis, fetch, the logger.
    expect(enabled).toEqual(expect.arrayContaining(['pg', 'aws-sdk', 'ioredis', 'redis', 'undici', 'pino']));
  });

  it('takes OTEL_NODE_ENABLED_INSTRUMENTATIONS as the whole list, as the bundle does, and then takes the disabled ones away', () => {
    expect(enabledBy({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express' })).toEqual(['express', 'http']);
    expect(enabledBy({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express,pg', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg' })).toEqual(['express', 'http']);
    expect(enabledBy({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pino,undici' })).not.toEqual(expect.arrayContaining(['pino']));
    expect(enabledBy({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pino,undici' })).toHaveLength(BUNDLED_INSTRUMENTATIONS.length - DEFAULT_OFF.length - 2);
  });

  it('hands the bundle every instrumentation on or off explicitly, so its own reading of the variables cannot differ', () => {
    const enabled = new Set<InstrumentationName>(['pg', 'http']);
    const configs = instrumentationConfigs(enabled, loadTelemetrySettings({})) as Record<string, { enabled?: boolean }>;
    expect(Object.keys(configs)).toHaveLength(BUNDLED_INSTRUMENTATIONS.length);
    for (const name of BUNDLED_INSTRUMENTATIONS) expect(configs[`@opentelemetry/instrumentation-${name}`]!.enabled).toBe(enabled.has(name));
  });

  it('sends pino lines to the Logs SDK only when logs are exported', () => {
    const pino = (env: Record<string, string>) => instrumentationConfigs(new Set(['pino']), loadTelemetrySettings(env))['@opentelemetry/instrumentation-pino'];
    expect(pino({})).toMatchObject({ enabled: true, disableLogSending: true });
    expect(pino({ OTEL_LOGS_EXPORTER: 'otlp' })).toMatchObject({ enabled: true, disableLogSending: false });
  });

  it('leaves the probes untraced by the stock HTTP instrumentation, as service-kit does', () => {
    const http = instrumentationConfigs(new Set(['http']), loadTelemetrySettings({}))['@opentelemetry/instrumentation-http']!;
    const ignored = (url: string) => http.ignoreIncomingRequestHook!({ url } as IncomingMessage);
    expect(['/healthz', '/readyz?x=1', '/telemetryz'].map(ignored)).toEqual([true, true, true]);
    expect(['/api/activities/home', '/healthzz'].map(ignored)).toEqual([false, false]);
  });

  it('has pg record no bound values and no pool-connect spans, and name the operation on each query span', () => {
    const pg = instrumentationConfigs(new Set(['pg']), loadTelemetrySettings({}))['@opentelemetry/instrumentation-pg'] as PgInstrumentationConfig;
    expect(pg).toMatchObject({ enabled: true, enhancedDatabaseReporting: false, ignoreConnectSpans: true });
    const attributes: Record<string, unknown> = {};
    const span = { setAttribute: (key: string, value: unknown) => ((attributes[key] = value), span) } as unknown as Span;
    pg.requestHook!(span, { query: { text: '\n  select uuid FROM activities.activities WHERE uuid = $1', values: ['secret'] }, connection: {} });
    expect(attributes).toEqual({ 'db.operation.name': 'SELECT' });
  });

  it.each([
    ['SELECT 1', 'SELECT'],
    ['  with parent AS (UPDATE x SET y = 1) INSERT INTO z SELECT 1', 'WITH'],
    ['BEGIN;', 'BEGIN'],
    ['delete\tFROM t', 'DELETE'],
  ])('names the operation of %p %p, as the span name does', (text, name) => {
    expect(operationName(text)).toBe(name);
  });
});
